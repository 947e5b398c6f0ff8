from django.conf import settings
from django.core.management.base import BaseCommand

from core.permissions import COMMAND
from learning import privacy


class Command(BaseCommand):
    help = (
        "Erase the personal data of applicants of cohorts that ended more than "
        "APPLICANT_DATA_RETENTION_DAYS ago (Celery beat runs it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what would be erased")

    def handle(self, *args, dry_run, **options):
        days = settings.APPLICANT_DATA_RETENTION_DAYS
        if dry_run:
            cohorts = privacy.cohorts_past_retention()
            for cohort in cohorts.order_by("slug"):
                n = privacy.expired_applications().filter(cohort=cohort).count()
                self.stdout.write(f"{cohort.slug} (ended {cohort.last_day}): {n} application(s)")
            total = privacy.expired_applications().count()
            self.stdout.write(f"Dry run: {total} application(s) would be erased (> {days} days).")
            return
        ids = privacy.erase_expired(actor=COMMAND)
        self.stdout.write(f"{len(ids)} application(s) erased (cohorts ended > {days} days ago).")
