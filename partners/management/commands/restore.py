from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from partners.backup import ENCRYPTED_SECRETS_FORMAT, restore_backup


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
            report = restore_backup(archive_path=archive)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        manifest, feed = report["manifest"], report["feed"]
        lines = [
            f"Restored {manifest['objects']} objects and {manifest['media_files']} media files "
            f"from the backup of {manifest['created_at']}"
            + (
                f" (after {report['attempts']} attempts: live traffic held locks)."
                if report["attempts"] > 1
                else "."
            ),
            f"Change feed: epoch {feed['epoch']} (cursors given before answer 409 and ask "
            f"partners to re-crawl); new events start at id {feed['first_event_id']}; "
            f"{feed['events']['upsert']} upsert and {feed['events']['delete']} delete events "
            "(with their webhooks) for what the restore changed.",
        ]
        if "erasures" in report:
            erasures = report["erasures"]
            lines.append(
                f"Erasures recorded after the backup, replayed: {erasures['erasures_replayed']} "
                f"({erasures['applications_erased_again']} applications erased again)."
            )
        if "sign_in_links" in report:
            lines.append(
                "Sign-in links issued before the restore no longer work: "
                f"{report['sign_in_links']['expired']} still usable were expired (participants "
                "ask for a new one)."
            )
        if report["webhook_endpoints_deactivated"]:
            lines.append(
                f"{report['webhook_endpoints_deactivated']} webhook endpoints had a secret this "
                "SECRET_KEY cannot decrypt (a backup from another installation): they are "
                "deactivated with a new secret; share it with the partner and reactivate them."
            )
        elif manifest["format"] < ENCRYPTED_SECRETS_FORMAT:
            lines.append("Webhook secrets were restored from a format-2 archive (unencrypted).")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
