from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class S4cConfig(AppConfig):
    name = "s4c"
    verbose_name = _("Site")

    def ready(self):
        from .api import capture
        from .api.changes import register_page_model
        from .caching import connect_invalidation

        connect_invalidation()
        capture.connect()
        register_page_model(self.get_model("SiteText"))
