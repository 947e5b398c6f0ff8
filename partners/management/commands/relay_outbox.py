from datetime import timedelta

from django.core.management.base import BaseCommand

from core.outbox import redeliver, relay
from partners.webhooks import retry_due


class Command(BaseCommand):
    help = (
        "Send queued tasks that could not reach the broker when they were created, those the "
        "broker lost, and the webhook attempts that are due."
    )

    def handle(self, *args, **options):
        sent = relay(older_than=timedelta(0))
        self.stdout.write(f"{sent} queued task(s) sent.")
        again = redeliver()
        self.stdout.write(f"{again} task(s) lost by the broker sent again.")
        due = retry_due(grace=timedelta(0))
        self.stdout.write(f"{due} webhook attempt(s) due sent.")
