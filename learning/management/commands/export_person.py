import json

from django.core.management.base import BaseCommand

from core.permissions import COMMAND
from learning import privacy


class Command(BaseCommand):
    help = (
        "Everything held about one person, as JSON (subject access request). The shape is "
        "documented in learning/privacy.py (person_export)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, email, output, **options):
        text = json.dumps(
            privacy.person_export(email=email, actor=COMMAND), ensure_ascii=False, indent=2
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(text)
