"""Strings of installed packages that their own Arabic catalogues lack, shown in our admin.

Marked here so that `make messages` keeps them in the project's catalogue, whose translations win
over every package's (LOCALE_PATHS). Nothing imports this module: xgettext reads it."""

from django.utils.translation import gettext_noop

VENDOR_STRINGS = (
    # django-axes: a column and a filter of the access attempts, a field of the access log.
    gettext_noop("Locked Out"),
    gettext_noop("Session key hash (sha256)"),
)
