"""Personal data of applicants and participants: erasure, export and retention.

What we hold about a person is their applications (one per cohort, found by e-mail address) and
what hangs from them: sign-in links, attendance, the commitments they made with their progress
updates, the e-mails we sent them, and copies of all that in history tables and queued tasks.

- `person_erase` (``manage.py erase_person``, the admin action) anonymises every application of
  an address: name, address, organisation, languages and motivation are blanked; country,
  constituency, status and dates stay, so the statistics of a cohort still add up. Sign-in links
  and queued tasks are deleted, sent e-mails lose their recipient, commitments lose their author
  (in history rows too). An `ErasureRecord` keeps a keyed hash of the address, the counts, the
  time and the acting user: never the data itself.
- `erase_expired` (daily beat task, ``manage.py erase_expired_applicants``) does the same for
  every applicant of a cohort that ended more than APPLICANT_DATA_RETENTION_DAYS ago.
- An application deleted (in the admin) before its person is erased leaves a `DeletedApplication`
  (a keyed hash of the address and ids, no data): the erasure finds through it the admin log's
  entries that still name the person, and the name in them, and scrubs those too.
- `person_export` (``manage.py export_person``) returns everything we hold about an address as
  JSON-ready data, in the shape documented on `person_export`.
"""

import datetime as dt
import hashlib
import hmac
import re
from collections import Counter

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Max, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges

from core.bilingual import bilingual_dict
from core.errors import DomainError
from core.models import OutboxTask
from core.permissions import as_user

from . import permissions
from .models import (
    Application,
    Attendance,
    Cohort,
    Commitment,
    DeletedApplication,
    ErasureRecord,
    SentEmail,
    SignInToken,
)

EXPORT_FORMAT = "s4c.person-export/1"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be a real address


def normalise_email(email: str) -> str:
    return email.strip().lower()


def subject_hash(email: str) -> str:
    """A keyed hash of an address: it tells whether a given address was erased, and cannot be
    reversed by trying addresses without the SECRET_KEY (rotating the key forgets old hashes)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def _check_permission(actor) -> None:
    if not permissions.can_erase(actor):
        raise DomainError(
            _("You do not have permission to erase or export personal data."), code="forbidden"
        )


def _history_models():
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def remember_deleted_application(sender, instance: Application, **kwargs) -> None:
    """pre_delete of an application (the admin, a shell, a queryset): what a later erasure of its
    address needs to find its traces (see DeletedApplication). Nothing for an erased one."""
    if instance.erased_at is not None:
        return
    DeletedApplication.objects.create(
        subject_hash=subject_hash(instance.email),
        application_id=instance.pk,
        attendance_ids=sorted(
            Attendance.objects.filter(application_id=instance.pk).values_list("pk", flat=True)
        ),
    )


def _names_in_admin_log(content_type_ids: dict, object_ids: dict) -> set[str]:
    """The names the admin log gives deleted applications and attendances: their `object_repr`
    starts with the applicant's name ("Layla Haddad · Cohort 2027", "… · Cohort · Session")."""
    from django.contrib.admin.models import LogEntry

    which = Q(pk__in=[])
    for model, ids in object_ids.items():
        if ids:
            which |= Q(content_type_id=content_type_ids[model], object_id__in=ids)
    reprs = LogEntry.objects.filter(which).values_list("object_repr", flat=True)
    return {r.split(" · ")[0].strip() for r in reprs if r and r != ERASED} - {""}


def _anonymise(
    applications: list[Application],
    *,
    now,
    deleted: list[DeletedApplication] = (),
    emails: list[str] = (),
    names: list[str] = (),
) -> dict[str, int]:
    """Erase the personal data of these applications everywhere; returns what was touched.

    `deleted`: applications of the same people deleted before (their traces in the admin log and
    history rows); `emails`, `names`: the addresses and names asked for, searched in free text
    too."""
    from django.contrib.contenttypes.models import ContentType

    ids = [application.pk for application in applications]
    gone_ids = [trace.application_id for trace in deleted]
    every_id = ids + gone_ids
    emails = sorted(
        {normalise_email(application.email) for application in applications}
        | {normalise_email(email) for email in emails}
    )
    content_types = {
        model: ContentType.objects.get_for_model(model).pk for model in (Application, Attendance)
    }
    own_objects = {
        Application: [str(pk) for pk in every_id],
        Attendance: [
            str(pk)
            for pk in Attendance.objects.filter(application_id__in=ids).values_list("pk", flat=True)
        ]
        + [str(pk) for trace in deleted for pk in trace.attendance_ids],
    }
    names = (
        {name.strip() for name in names}
        | {application.name.strip() for application in applications}
        | _names_in_admin_log(
            content_types,
            {Application: [str(pk) for pk in gone_ids], Attendance: own_objects[Attendance]},
        )
    )
    words = sorted((w for w in names | set(emails) if w), key=len, reverse=True)
    owned = list(Commitment.objects.filter(owner_id__in=ids).values_list("pk", flat=True))
    counts = {"applications": len(ids)}
    if deleted:
        counts["deleted_applications"] = len(deleted)

    # Queued tasks first: an e-mail still waiting must not go out to a blanked row.
    pending = OutboxTask.objects.filter(sent_at__isnull=True)
    outbox_ids = set(
        pending.filter(kwargs__application_id__in=every_id).values_list("pk", flat=True)
    )
    outbox_ids |= set(
        pending.filter(
            task_name="learning.send_commitment_reminder", kwargs__commitment_id__in=owned
        ).values_list("pk", flat=True)
    )
    # Any queued row, sent or not, that copied an address into its arguments.
    copied = Q(pk__in=[])  # no address known (a replayed erasure of deleted rows only): none
    for email in emails:
        copied |= Q(text__icontains=email)
    outbox_ids |= set(
        OutboxTask.objects.annotate(text=Cast("kwargs", TextField()))
        .filter(copied)
        .values_list("pk", flat=True)
    )
    counts["outbox_tasks"] = OutboxTask.objects.filter(pk__in=outbox_ids).delete()[0]

    counts["sign_in_links"] = SignInToken.objects.filter(application_id__in=ids).delete()[0]
    counts["emails"] = SentEmail.objects.filter(application_id__in=ids).update(recipient="")
    # Commitments are the country's and stay (published ones are public content); their author
    # link goes, here and in every history row that copied it.
    counts["commitments"] = Commitment.objects.filter(pk__in=owned).update(owner=None)
    history_rows = 0
    for model in _history_models():
        if getattr(model, "instance_type", None) is Application:
            history_rows += model.objects.filter(id__in=ids).delete()[0]
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Application:
                history_rows += model.objects.filter(**{f"{field.attname}__in": every_id}).update(
                    **{field.attname: None}
                )
    counts["history_rows"] = history_rows + _scrub_history_reasons(words)
    counts["admin_log_entries"] = _scrub_admin_log(words, content_types, own_objects)
    DeletedApplication.objects.filter(pk__in=[trace.pk for trace in deleted]).delete()

    Application.objects.filter(pk__in=ids).update(
        name="",
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}")),
        organisation="",
        working_languages="",
        motivation="",
        erased_at=now,
    )
    return counts


ERASED = "[erased]"


def _needles(words: list[str]) -> re.Pattern | None:
    """What identifies these people in free text: their names and addresses, as whole words."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)


def _mentioning(queryset, fields: list[str], words: list[str]):
    """Rows of `queryset` whose `fields` mention one of `words` (names, addresses)."""
    mention = Q()
    for word in words:
        for field in fields:
            mention |= Q(**{f"{field}__icontains": word})
    return queryset.filter(mention) if mention else queryset.none()


def _scrub_admin_log(words: list[str], content_types: dict, own_objects: dict) -> int:
    """The admin's action log ("Recent actions", each object's history) keeps the name of what
    was changed (`object_repr`, "Layla Haddad · Cohort 2027") and of inline rows added or changed
    with it (`change_message`, e.g. an attendance in a session's page). `own_objects`: the ids of
    the people's applications and attendances (deleted ones too), whose entries lose their
    `object_repr` whole."""
    from django.contrib.admin.models import LogEntry

    pattern = _needles(words)
    own = Q(pk__in=[])
    for model, ids in own_objects.items():
        if ids:
            own |= Q(content_type_id=content_types[model], object_id__in=ids)
    own_entries = set(LogEntry.objects.filter(own).values_list("pk", flat=True))
    mentioning = _mentioning(LogEntry.objects.all(), ["object_repr", "change_message"], words)
    touched = 0
    for entry in LogEntry.objects.filter(Q(pk__in=own_entries) | Q(pk__in=mentioning.values("pk"))):
        scrub = pattern.sub if pattern else (lambda _erased, text: text)
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=ERASED if entry.pk in own_entries else scrub(ERASED, entry.object_repr),
            change_message=scrub(ERASED, entry.change_message),
        )
        touched += 1
    return touched


def _scrub_history_reasons(words: list[str]) -> int:
    """History rows' free-text reasons ("history_change_reason") that name these people."""
    pattern = _needles(words)
    touched = 0
    for model in _history_models():
        if not any(f.name == "history_change_reason" for f in model._meta.fields):
            continue  # m2m history rows have no reason
        for row in _mentioning(model.objects.all(), ["history_change_reason"], words):
            model.objects.filter(pk=row.pk).update(
                history_change_reason=pattern.sub(ERASED, row.history_change_reason)
            )
            touched += 1
    return touched


@transaction.atomic
def person_erase(
    *, email: str, actor, reason: str = ErasureRecord.Reason.REQUEST, names: list[str] = ()
) -> ErasureRecord:
    """Erase everything we hold about the person with this address (a no-op, still recorded,
    when we hold nothing). Irreversible.

    `names`: names of the person to scrub from the admin log and history reasons as well, for
    applications deleted before deletions were recorded (DeletedApplication), which nothing ties
    to the address any more. Every whole-word mention is scrubbed: give the full name."""
    _check_permission(actor)
    now = timezone.now()
    applications = list(
        Application.objects.select_for_update()
        .filter(email__iexact=normalise_email(email), erased_at__isnull=True)
        .order_by("pk")
    )
    deleted = list(
        DeletedApplication.objects.select_for_update().filter(subject_hash=subject_hash(email))
    )
    counts = (
        _anonymise(applications, now=now, deleted=deleted, emails=[email], names=names)
        if applications or deleted or names
        else {"applications": 0}
    )
    return ErasureRecord.objects.create(
        subject_hash=subject_hash(email),
        reason=reason,
        actor=as_user(actor),
        counts=counts,
        erased_at=now,
    )


def cohorts_past_retention(*, now=None):
    """Cohorts whose last day (last phase, else the close of applications) is older than the
    retention period."""
    now = now or timezone.now()
    cutoff = now.date() - dt.timedelta(days=settings.APPLICANT_DATA_RETENTION_DAYS)
    return Cohort.objects.annotate(
        last_day=Coalesce(Max("phases__end_date"), TruncDate("applications_close_at"))
    ).filter(last_day__lt=cutoff)


def expired_applications(*, now=None):
    return Application.objects.filter(
        cohort__in=cohorts_past_retention(now=now).values("pk"), erased_at__isnull=True
    ).order_by("pk")


@transaction.atomic
def erase_expired(*, actor, now=None) -> list[int]:
    """Erase the applicants of cohorts past the retention period; returns the application ids.
    One erasure record per person (address)."""
    now = now or timezone.now()
    applications = list(expired_applications(now=now).select_for_update())
    if not applications:
        return []
    per_person = Counter(normalise_email(application.email) for application in applications)
    _anonymise(applications, now=now)
    ErasureRecord.objects.bulk_create(
        ErasureRecord(
            subject_hash=subject_hash(email),
            reason=ErasureRecord.Reason.RETENTION,
            actor=as_user(actor),
            counts={"applications": n},
            erased_at=now,
        )
        for email, n in sorted(per_person.items())
    )
    return [application.pk for application in applications]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def person_export(*, email: str, actor) -> dict:
    """Everything we hold about the person with this address, for a subject access request.

    Shape (format "s4c.person-export/1"; times ISO 8601 in UTC, texts {"en", "ar"} where the
    portal keeps both languages)::

        {"format", "email", "exported_at",
         "applications": [{"id", "cohort": {"slug", "name"}, "name", "email", "country",
             "organisation", "constituency", "working_languages", "motivation", "language",
             "status", "submitted_at", "decided_at", "acknowledged_at",
             "attendance": [{"session", "title", "date", "attended", "recorded_at"}],
             "sign_in_links": [{"expires_at", "used_at"}],
             "commitments": [{"id", "country", "lever", "text", "deliverable", "target_date",
                 "status", "consent_to_publish", "published", "created_at", "updated_at",
                 "progress_updates": [{"date", "status", "text", "created_at"}]}]}],
         "emails": [{"kind", "recipient", "subject", "sent_at"}]}
    """
    _check_permission(actor)
    address = normalise_email(email)
    applications = (
        Application.objects.filter(email__iexact=address, erased_at__isnull=True)
        .select_related("cohort")
        .prefetch_related(
            "attendances__session", "sign_in_tokens", "commitments__updates", "sent_emails"
        )
        .order_by("submitted_at", "pk")
    )
    result = {
        "format": EXPORT_FORMAT,
        "email": address,
        "exported_at": timezone.now().isoformat(),
        "applications": [],
        "emails": [],
    }
    for application in applications:
        result["applications"].append(
            {
                "id": application.pk,
                "cohort": {"slug": application.cohort.slug, "name": application.cohort.name},
                "name": application.name,
                "email": application.email,
                "country": application.country.code,
                "organisation": application.organisation,
                "constituency": application.constituency,
                "working_languages": application.working_languages,
                "motivation": application.motivation,
                "language": application.language,
                "status": application.status,
                "submitted_at": _iso(application.submitted_at),
                "decided_at": _iso(application.decided_at),
                "acknowledged_at": _iso(application.acknowledged_at),
                "attendance": [
                    {
                        "session": attendance.session.slug,
                        "title": bilingual_dict(attendance.session, "title", missing=""),
                        "date": _iso(attendance.session.date),
                        "attended": attendance.attended,
                        "recorded_at": _iso(attendance.recorded_at),
                    }
                    for attendance in sorted(application.attendances.all(), key=lambda a: a.pk)
                ],
                "sign_in_links": [
                    {"expires_at": _iso(token.expires_at), "used_at": _iso(token.used_at)}
                    for token in sorted(application.sign_in_tokens.all(), key=lambda t: t.pk)
                ],
                "commitments": [
                    {
                        "id": commitment.pk,
                        "country": commitment.country.code,
                        "lever": commitment.lever,
                        "text": bilingual_dict(commitment, "text", missing=""),
                        "deliverable": bilingual_dict(commitment, "deliverable", missing=""),
                        "target_date": _iso(commitment.target_date),
                        "status": commitment.light,
                        "consent_to_publish": commitment.consent_to_publish,
                        "published": commitment.published,
                        "created_at": _iso(commitment.created_at),
                        "updated_at": _iso(commitment.updated_at),
                        "progress_updates": [
                            {
                                "date": _iso(update.date),
                                "status": update.light,
                                "text": bilingual_dict(update, "text", missing=""),
                                "created_at": _iso(update.created_at),
                            }
                            for update in sorted(
                                commitment.updates.all(), key=lambda u: (u.date, u.pk)
                            )
                        ],
                    }
                    for commitment in sorted(application.commitments.all(), key=lambda c: c.pk)
                ],
            }
        )
        result["emails"] += [
            {
                "kind": sent.kind,
                "recipient": sent.recipient,
                "subject": sent.subject,
                "sent_at": _iso(sent.sent_at),
            }
            for sent in application.sent_emails.all()
        ]
    result["emails"].sort(key=lambda sent: sent["sent_at"])
    return result


def erasures_snapshot() -> list[dict]:
    """The erasure records as plain data, taken by a restore before it replaces the database."""
    return [
        {
            "subject_hash": record.subject_hash,
            "reason": record.reason,
            "counts": record.counts,
            "erased_at": record.erased_at,
            "actor": record.actor.get_username() if record.actor else None,
        }
        for record in ErasureRecord.objects.select_related("actor").order_by("erased_at", "pk")
    ]


@transaction.atomic
def erasures_replay(*, snapshot: list[dict]) -> dict[str, int]:
    """Erase again the people erased after a backup was taken, once that backup is restored.

    A restore brings the applications back as they were when the backup was taken: without this, a
    person erased since would come back. The records of `snapshot` (`erasures_snapshot` before the
    restore) missing from the restored data are replayed: the addresses are found again by their
    keyed hash, anonymised as by `person_erase`, and the records put back with their own time,
    reason, counts and acting user (when that user exists in the restored data). Run by the
    restore itself, not by a person.
    """
    present = set(ErasureRecord.objects.values_list("subject_hash", "erased_at"))
    missing = [r for r in snapshot if (r["subject_hash"], r["erased_at"]) not in present]
    wanted = {record["subject_hash"] for record in missing}
    applications = [
        application
        for application in Application.objects.select_for_update()
        .filter(erased_at__isnull=True)
        .order_by("pk")
        if wanted and subject_hash(application.email) in wanted
    ]
    deleted = list(
        DeletedApplication.objects.select_for_update().filter(subject_hash__in=wanted)
        if wanted
        else []
    )
    if applications or deleted:
        _anonymise(applications, now=timezone.now(), deleted=deleted)
    users = get_user_model()
    actors = {
        user.get_username(): user
        for user in users.objects.filter(
            **{f"{users.USERNAME_FIELD}__in": {r["actor"] for r in missing if r["actor"]}}
        )
    }
    ErasureRecord.objects.bulk_create(
        ErasureRecord(
            subject_hash=record["subject_hash"],
            reason=record["reason"],
            counts=record["counts"],
            erased_at=record["erased_at"],
            actor=actors.get(record["actor"]),
        )
        for record in missing
    )
    return {"erasures_replayed": len(missing), "applications_erased_again": len(applications)}
