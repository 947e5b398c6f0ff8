"""Strings of installed packages that their own Arabic catalogues lack, shown in our admin.

Marked here so that `make messages` keeps them in the project's catalogue, whose translations win
over every package's (LOCALE_PATHS). Nothing imports this module: xgettext reads it."""

from django.utils.translation import gettext_noop

VENDOR_STRINGS = (
    # Django's user form (5.1 and later wording; its Arabic catalogue has the older one).
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    # django-axes: a column and a filter of the access attempts, a field of the access log.
    gettext_noop("Locked Out"),
    gettext_noop("Session key hash (sha256)"),
)
