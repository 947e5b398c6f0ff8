from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Code no visitor or curator reads: its strings are not the interface's.
IGNORED = [".venv/*", "tests/*", "benchmarks/*", "examples/*", "docs/*", "staticfiles/*", "media/*"]


class Command(BaseCommand):
    help = (
        "Update the Arabic catalogues from the source (`make messages`): Django's makemessages "
        "over the whole project, whose rule puts an app's strings in the app's own locale/ "
        "(core, hub, learning, actionplan) and the rest in the project's locale/. Entries no "
        "longer in the source are dropped; translations of the others are kept."
    )

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=["ar"],
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=options["verbosity"],
        )
        self.stdout.write(f"updated the catalogues under {settings.BASE_DIR}")
