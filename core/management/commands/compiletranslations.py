from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_paths() -> list[Path]:
    """Every catalogue of the project (django.po, and djangojs.po for the admin's scripts): the
    project's and each of our apps' (settings.LOCALE_PATHS lists them all)."""
    return sorted(
        p.resolve()
        for root in settings.LOCALE_PATHS
        for name in ("django.po", "djangojs.po")
        for p in Path(root).glob(f"*/LC_MESSAGES/{name}")
    )


class Command(BaseCommand):
    help = (
        "Compile the project's .po catalogues to .mo with polib: works on machines without GNU gettext "
        "(Django's compilemessages needs msgfmt)."
    )

    def handle(self, *args, **options):
        for po_path in catalogue_paths():
            mo_path = po_path.with_suffix(".mo")
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
