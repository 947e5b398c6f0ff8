"""Rate limits of the public forms (apply, sign-in), counted in the database.

Only accepted submissions count: a typo corrected three times costs nothing. Each form has a
generous limit per client address (`core.net.client_ip`: colleagues behind one office address are
not one applicant) and every e-mail the portal sends because of a form counts against the
recipient's address (no e-mail bombing through the sign-in or apply forms, whoever sends them).
Windows are clock hours, so a refusal can say exactly when to come back.

The counters live in PostgreSQL rather than the cache: these are a few writes per accepted form,
and the limits keep working (and the forms keep accepting) while Redis is down.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import FormRateCounter

WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted: "apply-address", "sign-in-address", "mail"
    ident: str  # whose: a client address, an e-mail address
    limit: int  # accepted submissions per clock hour


def _bucket(limit: Limit) -> str:
    message = f"{limit.scope}:{limit.ident.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window_start(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def refused_until(limits: list[Limit], *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the submission may be made again if one of `limits` is used up, else None."""
    start = _window_start(now or timezone.now())
    allowed = {_bucket(limit): limit.limit for limit in limits}
    counts = dict(
        FormRateCounter.objects.filter(bucket__in=allowed, window_start=start).values_list(
            "bucket", "count"
        )
    )
    if any(counts.get(bucket, 0) >= limit for bucket, limit in allowed.items()):
        return start + WINDOW
    return None


def record(limits: list[Limit], *, now: dt.datetime | None = None) -> None:
    """Count one accepted submission in each of `limits` (call it in the submission's
    transaction, so a submission that rolls back is not counted)."""
    start = _window_start(now or timezone.now())
    for limit in limits:
        bucket = _bucket(limit)
        counter = FormRateCounter.objects.filter(bucket=bucket, window_start=start)
        if counter.update(count=F("count") + 1):
            continue
        try:
            with transaction.atomic():
                FormRateCounter.objects.create(bucket=bucket, window_start=start, count=1)
        except IntegrityError:  # created meanwhile by a concurrent submission
            counter.update(count=F("count") + 1)
    FormRateCounter.objects.filter(window_start__lt=start - WINDOW).delete()
