from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class S4cConfig(AppConfig):
    name = "s4c"
    verbose_name = _("Site")

    def ready(self):
        from .api import changes, registry
        from .caching import connect_invalidation

        connect_invalidation()
        registry.register_all()
        changes.connect()
