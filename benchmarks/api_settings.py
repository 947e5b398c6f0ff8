"""Settings of the API benchmark: the portal's own settings, plus the benchmark-only URLconf.

Selected only by `benchmarks/api_resources.py` (`DJANGO_SETTINGS_MODULE=benchmarks.api_settings`).
"""

from s4c.settings import *  # noqa: F403 - the portal's settings, then the overrides below

ROOT_URLCONF = "benchmarks.api_reference"
# The public page cache never answers: neither path is a cached /en|ar/ page, and it is off anyway.
PAGE_CACHE_SECONDS = 0
API_CACHE_SECONDS = 0
