from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning Hub")

    def ready(self):
        from .api.kinds import register_kinds

        register_kinds()
