"""The actors the services know: people (Django users; a visitor without an account is Django's
AnonymousUser, as views find it in ``request.user``) and named system actors.

Every service takes an explicit `actor`. Scheduled work, loaders and management commands act as
a named `SystemActor` (``SCHEDULER``, ``CONTENT_LOADER``…), so a log line or a workflow entry says
which job did it. Who may do what is decided in each app's ``permissions.py``; those modules ask
`is_system(actor)` instead of treating a missing actor as "skip the checks".

``None`` is no actor: every function here raises TypeError for it, so a call site that forgot
its actor fails loudly instead of silently skipping the checks.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    """A job acting on its own: has every permission its job needs, and is nobody's account."""

    name: str
    pk = None
    is_active = True
    is_staff = False
    is_superuser = False
    is_authenticated = False
    is_anonymous = False

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor("system")
SCHEDULER = SystemActor("scheduler")
CONTENT_LOADER = SystemActor("content loader")
COMMAND = SystemActor("management command")
# The jobs that write to applicants (acknowledgements, sign-in links) and staff's password-reset
# e-mails: never a request.
MAILER = SystemActor("mailer")


def require_actor(actor):
    """`actor` itself; TypeError for None (a forgotten actor is a bug, not a system job)."""
    if actor is None:
        raise TypeError(
            "A service needs an actor: a user, or a named system actor from core.permissions "
            "(SCHEDULER, CONTENT_LOADER, COMMAND…), never None."
        )
    return actor


def is_system(actor) -> bool:
    return isinstance(require_actor(actor), SystemActor)


def is_visitor(actor) -> bool:
    """A person on the public site who has no account (Django's AnonymousUser): an applicant,
    a participant following their sign-in link."""
    return bool(getattr(require_actor(actor), "is_anonymous", False))


def as_user(actor):
    """The user to record as the author of a change: None for a system actor or a visitor."""
    return None if is_system(actor) or is_visitor(actor) else actor


def note_for(actor, note: str = "") -> str:
    """A workflow note that names the system job that acted, if no note says it already."""
    if is_system(actor) and not note:
        return actor.name
    return note


def has_perm(actor, perm: str) -> bool:
    """A system actor may do its job; a person needs the permission (and an active account)."""
    return is_system(actor) or (actor.is_active and actor.has_perm(perm))


def model_permission(actor, obj, action: str) -> bool:
    """`action` ("add", "change", "delete", "view") on `obj`'s model, Django's permission."""
    opts = obj._meta
    return has_perm(actor, f"{opts.app_label}.{action}_{opts.model_name}")
