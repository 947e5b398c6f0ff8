from datetime import timedelta

from django.core.management.base import BaseCommand

from s4c.outbox import relay
from s4c.webhooks import retry_due


class Command(BaseCommand):
    help = (
        "Send queued tasks that could not reach the broker when they were created, and the "
        "webhook attempts that are due."
    )

    def handle(self, *args, **options):
        sent = relay(older_than=timedelta(0))
        self.stdout.write(f"{sent} queued task(s) sent.")
        due = retry_due(grace=timedelta(0))
        self.stdout.write(f"{due} webhook attempt(s) due sent.")
