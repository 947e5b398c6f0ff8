"""`manage.py check --deploy`: webhook settings meant for a developer's machine only."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def webhooks_to_the_public_internet_only(**kwargs):  # app_configs: these are settings
    """Either setting lets a partner's endpoint reach what only the server should (a private
    address: the database, the cache, a cloud's metadata service) or be read on the way."""
    found = []
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        found.append(
            checks.Warning(
                "WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on: webhooks may be sent to loopback, private "
                "and link-local addresses.",
                hint="Leave it unset in production (it follows DEBUG).",
                id="s4c.W002",
            )
        )
    if settings.WEBHOOK_ALLOW_HTTP:
        found.append(
            checks.Warning(
                "WEBHOOK_ALLOW_HTTP is on: signed events may be sent unencrypted.",
                hint="Leave it unset in production (it follows DEBUG).",
                id="s4c.W003",
            )
        )
    return found
