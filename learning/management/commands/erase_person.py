from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.permissions import COMMAND
from learning import privacy


class Command(BaseCommand):
    help = (
        "Erase one person's personal data everywhere (applications, sign-in links, e-mail log, "
        "history rows, queued tasks), leaving an audit record without the data. Irreversible."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument("--actor", help="username recorded as the one who erased (optional)")
        parser.add_argument(
            "--name",
            action="append",
            default=[],
            dest="names",
            help=(
                "a full name of the person to scrub from the admin log and history reasons too "
                "(repeatable): for applications deleted before the portal recorded deletions, "
                "which nothing ties to the address any more"
            ),
        )

    def handle(self, *args, email, actor, names, **options):
        user = COMMAND  # without --actor, the command itself is the one who erased
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"No user named {actor!r}.")
        record = privacy.person_erase(email=email, actor=user, names=names)
        counts = ", ".join(f"{name}: {n}" for name, n in sorted(record.counts.items()))
        self.stdout.write(f"Erasure record {record.pk} ({record.subject_hash[:12]}…): {counts}.")
