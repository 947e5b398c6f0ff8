from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """What serves partners: the public-state ledger, the change feed and its capture, API keys
    and webhooks. Content apps register their public kinds here (`partners.changes.register`);
    this app imports none of them."""

    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from core.api import base

        from . import capture, changes, checks  # noqa: F401 - checks register themselves

        capture.connect()
        # The API's `updated_at`, conditional requests and 410s read this app's ledger.
        base.use_ledger(changes)
        # The library's site texts are shown on pages (the home page) but are not a feed kind.
        changes.register_page_model(self.apps.get_model("s4c", "SiteText"))
