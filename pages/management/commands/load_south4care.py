import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from partners.capture import captured


class Command(BaseCommand):
    help = "Load the real South-4-Care content once: adds only what is missing, never changes existing objects."

    def handle(self, *args, **options):
        total = 0
        # One transaction, captured once at its end: each public object gets one change event
        # for what the whole load made of it, not one per step (a plan is touched by each of its
        # deliverables, a session by each of its speakers).
        with captured():
            for dotted in settings.S4C_CONTENT_LOADERS:
                module_name = dotted.rsplit(".", 1)[0]
                if importlib.util.find_spec(module_name) is None:
                    # An app whose content has not been written yet contributes nothing.
                    continue
                loader = import_string(dotted)
                changed = loader(stdout=self.stdout)
                total += changed
                self.stdout.write(f"{dotted}: {changed} object(s) created or changed")
        self.stdout.write(self.style.SUCCESS(f"South-4-Care content loaded ({total} change(s))."))
