from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import PublicAutoSchema, StrictFormatMixin, check_parameters
from partners.capture import sweep
from partners.models import ChangeEvent, FeedEpoch

PAGE = 500


class ChangeFeedView(StrictFormatMixin, APIView):
    """An ordered feed of every change to public objects; `next` is never null."""

    schema = PublicAutoSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "string", "pattern": "^([1-9][0-9]{0,8}-)?[0-9]{1,18}$"},
                description=(
                    "The `next` cursor of the previous page (0: the start). A cursor beyond the "
                    "feed's head (one it never gave) is a 400; one given before the feed was "
                    "restored from a backup (an earlier `epoch`) answers 409: re-crawl."
                ),
            )
        ],
        responses={
            200: inline_serializer(
                "ChangeFeed",
                {
                    "results": inline_serializer(
                        "Change",
                        {
                            "type": serializers.CharField(),
                            "id": serializers.CharField(),
                            "action": serializers.ChoiceField(choices=["upsert", "delete"]),
                            "changed_at": serializers.DateTimeField(),
                        },
                        many=True,
                    ),
                    "next": serializers.CharField(),
                    "epoch": serializers.IntegerField(),
                },
            ),
            409: inline_serializer(
                "ChangeFeedEpochChanged",
                {
                    "detail": serializers.CharField(),
                    "code": serializers.CharField(),
                    "epoch": serializers.IntegerField(),
                    "next": serializers.CharField(),
                },
            ),
        },
    )
    def get(self, request):
        check_parameters(request, accepted={"since", "format"})
        cursor = FeedEpoch.parse_cursor(request.query_params.get("since", "0"))
        if cursor is None:
            raise ValidationError(
                {"since": [_("This cursor is not valid: start again from the first page.")]}
            )
        epoch = FeedEpoch.current()
        since_epoch, since = cursor
        if since_epoch != epoch and since:
            # The feed was restored from a backup since this cursor was given: the events after
            # it may be gone and objects changed back, so resuming would silently miss changes.
            # 409, not 410: the cursor conflicts with the feed's current history (any other
            # epoch, even one never given, gets this answer: re-crawling is always safe).
            return Response(
                {
                    "detail": _(
                        "The change feed was restored from a backup after this cursor was given. "
                        "Re-crawl: read the feed again from the cursor “next” (its start) and "
                        "drop the objects it does not list."
                    ),
                    "code": "feed_epoch_changed",
                    "epoch": epoch,
                    "next": FeedEpoch.cursor(epoch=epoch, event_id=0),
                },
                status=409,
            )
        # A write that went around the services (a shell, raw SQL) is recorded before it is read.
        sweep()
        events = list(ChangeEvent.objects.filter(id__gt=since).order_by("id")[:PAGE])
        if not events and since and not ChangeEvent.objects.filter(id__gte=since).exists():
            # Beyond the head: no `next` this feed ever gave (a typo, or another server's feed).
            # Echoing it back would make the client wait for events it would then skip.
            raise ValidationError(
                {"since": [_("This cursor is beyond the end of the feed: start from 0.")]}
            )
        results = [
            {
                "type": e.kind,
                "id": e.object_id,
                "action": e.action,
                "changed_at": serializers.DateTimeField().to_representation(e.changed_at),
            }
            for e in events
        ]
        last = events[-1].id if events else since
        return Response(
            {
                "results": results,
                "next": FeedEpoch.cursor(epoch=epoch, event_id=last),
                "epoch": epoch,
            }
        )
