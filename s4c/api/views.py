from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from s4c.models import ChangeEvent
from s4c.text import whole_number

from .base import PublicAutoSchema
from .capture import sweep

PAGE = 500


class ChangeFeedView(APIView):
    """An ordered feed of every change to public objects; `next` is never null."""

    schema = PublicAutoSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "string", "pattern": "^[0-9]+$"},
                description="The `next` cursor of the previous page.",
            )
        ],
        responses=inline_serializer(
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
            },
        ),
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"since", "format"})
        if unknown:
            raise ValidationError(
                {unknown[0]: [_("Unknown parameter “%(name)s”.") % {"name": unknown[0]}]}
            )
        # A cursor is an event id: at most 18 digits keeps it inside a 64-bit integer.
        since = whole_number(request.query_params.get("since", "0"), max_digits=18)
        if since is None:
            raise ValidationError(
                {"since": [_("This cursor is not valid: start again from the first page.")]}
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
        return Response({"results": results, "next": str(events[-1].id if events else since)})
