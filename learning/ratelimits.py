"""Rate limits of the public forms (apply, sign-in), counted in the database.

Only accepted submissions count: a typo corrected three times costs nothing. Each form has a
generous limit per client address (`core.net.client_network`: colleagues behind one office address are
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
from django.db import transaction
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


class _UsedUp(Exception):  # unwinds take()'s savepoint
    pass


def take(limits: list[Limit], *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Count one accepted submission in each of `limits`, unless one is used up: then nothing is
    counted and the answer is when the submission may be made again (None: counted).

    Call it in the submission's transaction, so a submission that rolls back is not counted.
    Counting is the check: each counter's row is incremented only while under its limit, and
    concurrent submissions queue on the row, so fifteen at once for one address count as fifteen
    (checked first and counted after, they all passed a limit of five).
    """
    start = _window_start(now or timezone.now())
    # A fixed order: two submissions sharing two buckets take their rows in the same order.
    wanted = sorted({_bucket(limit): limit.limit for limit in limits}.items())
    try:
        with transaction.atomic():
            for bucket, limit in wanted:
                FormRateCounter.objects.get_or_create(
                    bucket=bucket, window_start=start, defaults={"count": 0}
                )
                counter = FormRateCounter.objects.filter(
                    bucket=bucket, window_start=start, count__lt=limit
                )
                if not counter.update(count=F("count") + 1):
                    raise _UsedUp
    except _UsedUp:
        return start + WINDOW
    FormRateCounter.objects.filter(window_start__lt=start - WINDOW).delete()
    return None
