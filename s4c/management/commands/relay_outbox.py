from datetime import timedelta

from django.core.management.base import BaseCommand

from s4c.outbox import relay


class Command(BaseCommand):
    help = "Send queued tasks that could not reach the broker when they were created."

    def handle(self, *args, **options):
        sent = relay(older_than=timedelta(0))
        self.stdout.write(f"{sent} queued task(s) sent.")
