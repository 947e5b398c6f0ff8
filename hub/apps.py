from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Knowledge Hub")

    def ready(self):
        from .api.kinds import register_kinds
        from .media import register_media

        register_kinds()
        register_media()
