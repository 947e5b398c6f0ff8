from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning Hub")

    def ready(self):
        from .api.kinds import register_kinds

        register_kinds()
        from core import media

        from .models import Speaker

        # Speakers' photos are shown on the public session pages.
        media.register(
            "speakers/",
            lambda request, name: (
                media.PUBLIC if Speaker.objects.filter(photo=name).exists() else None
            ),
        )
        from django.db.models.signals import pre_delete

        from core.permissions import MAILER
        from partners import backup

        from . import privacy, services
        from .models import Application

        # An application deleted before its person is erased: what the erasure needs later.
        pre_delete.connect(
            privacy.remember_deleted_application,
            sender=Application,
            dispatch_uid="learning.remember_deleted_application",
        )
        # A restore must not bring back people erased after the backup was taken.
        backup.register_replay(
            name="erasures",
            capture=privacy.erasures_snapshot,
            replay=lambda snapshot: privacy.erasures_replay(snapshot=snapshot),
        )
        # Nor sign-in links used since (the restored rows say "unused"): every link issued
        # before the restore stops working.
        backup.register_replay(
            name="sign_in_links",
            capture=lambda: None,
            replay=lambda _nothing: {"expired": services.sign_in_links_expire_all(actor=MAILER)},
        )
