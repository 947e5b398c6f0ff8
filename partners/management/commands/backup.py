from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from partners.backup import create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive of all data (history included) and uploaded media, readable by "
        "its owner only; webhook secrets are encrypted with a key derived from SECRET_KEY."
    )

    def add_arguments(self, parser):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        parser.add_argument("--output", type=Path, default=Path("backups") / f"s4c-{stamp}.tar.gz")

    def handle(self, *args, output: Path, **options):
        manifest = create_backup(output=output)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} (owner-only): {manifest['objects']} objects, "
                f"{manifest['media_files']} media files, "
                f"{manifest['webhook_secrets']['encrypted']} webhook secrets encrypted."
            )
        )
