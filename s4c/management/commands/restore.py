from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from s4c.backup import restore_backup
from s4c.errors import DomainError


class Command(BaseCommand):
    help = "Replace ALL data and media with the content of a backup archive written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive: Path, interactive: bool, **options):
        if not archive.is_file():
            raise CommandError(f"No backup archive at {archive}.")
        if interactive:
            answer = input("This replaces every record and uploaded file. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(archive_path=archive)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {manifest['objects']} objects and {manifest['media_files']} media files "
                f"from the backup of {manifest['created_at']}."
            )
        )
