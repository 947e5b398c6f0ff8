from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The library the apps share (bilingual fields, text folding, caching, the outbox, errors,
    roles, the API base), and the site's own texts.

    Its label stays "s4c", the project package's label before the library was split out of it:
    the tables, migration history, permissions and content types of deployed databases keep
    their names."""

    default = True  # "core" in INSTALLED_APPS means this one (the module holds two configs)
    name = "core"
    label = "s4c"
    verbose_name = _("Site")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
        from .caching import connect_invalidation

        connect_invalidation()


class SignInProtectionConfig(AxesAppConfig):
    """django-axes under a name the admin shows in both languages (its own is "Axes")."""

    verbose_name = _("Sign-in protection")
