from typing import ClassVar

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.commands import makemessages

# Code no visitor or curator reads: its strings are not the interface's.
IGNORED = [".venv/*", "tests/*", "benchmarks/*", "examples/*", "docs/*", "staticfiles/*", "media/*"]


class MakeMessages(makemessages.Command):
    # A new string gets an empty translation, never a guess from a similar one: msgmerge's fuzzy
    # matches read like translations ("participant" guessed from "Participants: sign in").
    msgmerge_options: ClassVar[list[str]] = [
        *makemessages.Command.msgmerge_options,
        "--no-fuzzy-matching",
    ]


class Command(BaseCommand):
    help = (
        "Update the Arabic catalogues from the source (`make messages`): Django's makemessages "
        "over the whole project, whose rule puts an app's strings in the app's own locale/ "
        "(hub, learning, actionplan) and the rest in the project's locale/. Entries no longer in "
        "the source are dropped; translations of the others are kept; new ones are left empty."
    )

    def handle(self, *args, **options):
        call_command(
            MakeMessages(),
            locale=["ar"],
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=options["verbosity"],
        )
        self.stdout.write(f"updated the catalogues under {settings.BASE_DIR}")
