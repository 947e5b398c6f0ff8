"""Settings for s4c, read from the environment (and a local `.env` file, if present).

Every value a deployment may change comes from an environment variable documented in
`.env.example`. Production mode is `DEBUG` off: it then requires a real `SECRET_KEY`,
`ALLOWED_HOSTS` and HTTPS, and refuses to start with a message naming what is missing.
"""

from email.utils import parseaddr as _parseaddr
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's `.env` (written by `make .env`) fills in what the real environment does not set.
environ.Env.read_env(env.str("S4C_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, *, default: bool) -> bool:
    """A strictly parsed boolean: a typo must not silently turn a security setting off."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"The setting {name} must be true or false, not {raw!r}.")


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"The setting {name} is required when DEBUG is off: set the environment variable {name} "
            f"(see .env.example)."
        )
    return value


DEBUG = _bool("DEBUG", default=False)
TESTING = _bool("S4C_TESTING", default=False)

# Django's own deployment check asks for at least 50 characters.
_SECRET_KEY_MIN_CHARS = 50
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = _required("SECRET_KEY")
    if len(SECRET_KEY) < _SECRET_KEY_MIN_CHARS or SECRET_KEY.startswith("insecure"):
        raise ImproperlyConfigured(
            "The setting SECRET_KEY is too weak for production: use at least 50 random characters."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    _required("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The origin of absolute links (e-mails, feeds, calendars, citations, the API): always this one in
# production; in debug mode, unless set explicitly, links follow the request (core/links.py).
SITE_URL_EXPLICIT = bool(env.str("SITE_URL", default=""))
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes patch correctly.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "django_countries",
    # Only its ProseMirror build (static files) is used, by core.html.RichTextWidget.
    "django_prose_editor",
    "csp",
    "core.apps.SignInProtectionConfig",  # django-axes, named in the admin's languages
    # The library (label "s4c") and the partner app come first: the content apps register with them.
    "core",
    "partners",
    "hub",
    "actionplan",
    "learning",
    "pages",
]

MIDDLEWARE = [
    "core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed here rather than at the proxy: Django's gzip pads each response
    # by a random length (against BREACH, with the per-response masking of CSRF tokens), which
    # nginx's gzip does not. Below whitenoise (its files come pre-compressed) and above every
    # middleware that reads or caches the body, so the page cache stores plain responses and
    # each visitor's copy is padded anew.
    "django.middleware.gzip.GZipMiddleware",
    # `If-None-Match: *` on the API's answers without an ETag (the root, the feed, the schema).
    "core.api.conditional.AnyRepresentationMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.admin_tools.ArabicAdminDigitsMiddleware",
    "core.errors.QueryStringGuard",
    "core.errors.NulPathGuard",
    "core.links.RequestOriginMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.caching.PublicPageCacheMiddleware",
    "partners.capture.CapturedWritesMiddleware",
    "core.observability.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "s4c.urls"
WSGI_APPLICATION = "s4c.wsgi.application"
ASGI_APPLICATION = "s4c.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Database: a SQLite file by default so the portal runs with nothing installed;
# PostgreSQL (full-text search, concurrency guarantees) through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Reconnect transparently after a database restart instead of failing one request per worker.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that is down or silent fails a request (a 503) and /healthz after this many
# seconds instead of holding a gunicorn worker for the kernel's TCP timeout (libpq: 2 at least).
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=3)
# The longest /healthz's own query may run (milliseconds): a database that accepts connections
# but cannot answer (locked, overloaded) is reported down within a bound.
HEALTH_STATEMENT_TIMEOUT_MS = env.int("HEALTH_STATEMENT_TIMEOUT_MS", default=1000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker (REDIS_URL) and the cache (CACHE_REDIS_URL, by default the same
# server, which is simple for development and CI). In production they are two instances
# (docker-compose.yml): the cache has a memory limit and evicts, the broker never evicts, so
# anonymous traffic filling the cache can never push out queued tasks.
# Without either the portal needs no Redis at all: a local-memory cache, tasks run eagerly.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default=REDIS_URL)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            # A cache that is down is a slower site, not a broken or noisy one: a circuit
            # breaker answers misses at once and logs one warning per outage (core/outage.py).
            "BACKEND": "core.outage.ResilientRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            # Two portals on one Redis database (a test run's live servers) keep apart by prefix.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="s4c"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# While Redis (cache or broker) is unreachable, it is tried again this often, not on every call.
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5.0)
# Anonymous public pages are cached this long (0 disables); any content change invalidates them.
# On in the test suite too: a page is tested as visitors get it (a test that counts a view's own
# queries turns it off for itself).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# The Knowledge Hub list's search results (total, page ids, facet counts) are cached this long,
# shared by both languages and every spelling of a query (0 disables); content changes invalidate.
HUB_LIST_CACHE_SECONDS = env.int("HUB_LIST_CACHE_SECONDS", default=3600)
# Public API answers (200s) are cached this long (0 disables); any content change invalidates.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=300)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Every task is stopped after these many seconds (the soft limit first, so it can clean up); the
# long ones (link check, re-indexing) have their own, longer limits. The broker hands a message
# of a vanished worker to another after CELERY_VISIBILITY_TIMEOUT, which must exceed the longest
# task (a longer task would be run twice at once): `check --deploy` says so (core/checks.py).
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=4 * 60)
TASK_LONG_TIME_LIMIT = env.int("TASK_LONG_TIME_LIMIT", default=13 * 60)
TASK_LONG_SOFT_TIME_LIMIT = env.int("TASK_LONG_SOFT_TIME_LIMIT", default=12 * 60)
# A task whose worker dies mid-way is delivered again; tasks are written to be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is unreachable: the outbox (core/outbox.py) keeps the task for later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker vanished (killed with its pool) is handed out again after this long.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Tasks the outbox sends again when the broker took them but they never completed (a broker that
# lost its messages): the e-mails. They are idempotent; the delay exceeds their own retries.
OUTBOX_REDELIVER_TASKS = [
    "learning.send_acknowledgement",
    "learning.send_already_applied",
    "learning.send_sign_in_link",
    "learning.send_password_reset",
    "learning.send_commitment_reminder",
]
OUTBOX_REDELIVER_MINUTES = env.int("OUTBOX_REDELIVER_MINUTES", default=10)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
CELERY_BEAT_SCHEDULE: dict = {
    "relay-outbox": {"task": "s4c.relay_outbox", "schedule": 60.0},
    "retry-webhooks": {"task": "s4c.retry_webhooks", "schedule": 60.0},
    # Writes made around the services (raw SQL, a shell) reach the change feed within this long.
    "sweep-changes": {"task": "s4c.sweep_changes", "schedule": 30.0},
}
CELERY_TIMEZONE = "UTC"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Internationalisation: English and Arabic, every public URL prefixed by its language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
# The project's catalogue, then each of our apps' that has one. Listed here, not only found in
# the apps, so that our wording wins over every installed package's (Django merges LOCALE_PATHS
# over the apps' catalogues, and the admin and the third-party apps come before ours in
# INSTALLED_APPS: the admin's "مرشّح" would otherwise be shown for our "Filter", "تصفية").
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *(BASE_DIR / app / "locale" for app in INSTALLED_APPS if (BASE_DIR / app / "locale").is_dir()),
]
FORMAT_MODULE_PATH = ["core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "s4c_language"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ar")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "en": ("ar",)}

STATIC_URL = "/static/"
# Where collectstatic writes (the image: /app/staticfiles, which the front server also serves).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Behind nginx (deploy/nginx): the internal location uploaded files are handed to once the portal
# allowed them (X-Accel-Redirect). Empty: the portal streams them itself.
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# E-mail
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="South-4-Care <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# OAI-PMH (/oai/): the address harvesters write to (OAI-PMH wants a full domain, which the
# development default no-reply@localhost lacks), and how many records a list page holds.
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default=_parseaddr(DEFAULT_FROM_EMAIL)[1])
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)

# Security. In production (DEBUG off) everything goes over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A strict policy: no inline script or style anywhere, every asset served by the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# How many proxies of ours stand in front of the portal (0: none, the connection's address is the
# client's). The one rule for the client address of throttles, lockouts, rate limits and logs:
# core/net.py. DRF's NUM_PROXIES and django-axes' own proxy settings are deliberately not used.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("The setting TRUSTED_PROXY_COUNT must be 0 or more.")

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.OrjsonRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Anonymous reads, or a partner's API key (partners/keys.py); no sessions, no passwords.
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.keys.ApiKeyAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": [
        "partners.keys.AnonymousRateThrottle",
        "partners.keys.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/minute"),
        "api_key": env.str("API_KEY_RATE", default="2000/minute"),
    },
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
}
# Webhooks to partners (partners/webhooks.py): bounded attempts with exponential backoff.
WEBHOOK_ALLOW_HTTP = _bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)  # production: https only
# May an endpoint's host be, or resolve to, a loopback, private, link-local or reserved address
# (partners/addresses.py)? Production: never (staff could probe internal hosts); debug mode, and
# tests with a local receiver: yes.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600.0)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=5.0)
# A webhook attempt holds its delivery this long (more than a POST's connect and read timeouts);
# a worker killed mid-attempt leaves it to the sweep (s4c.retry_webhooks) once the lease is over.
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=120)
WEBHOOK_LOG_DAYS = env.int("WEBHOOK_LOG_DAYS", default=90)  # finished deliveries kept this long
CELERY_BEAT_SCHEDULE["prune-webhooks"] = {"task": "s4c.prune_webhooks", "schedule": 24 * 3600.0}

SPECTACULAR_SETTINGS = {
    "TITLE": "South-4-Care API",
    "DESCRIPTION": "Public, read-only API of the South-4-Care Knowledge Hub, Learning Hub and action plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the portal itself (no CDN; the portal works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Secrets in URL paths (the named group `secret`), replaced by "[redacted]" in every log line,
# gunicorn's access log included (core/observability.py): sign-in links' tokens, and the token of
# the admin's password-reset links (/<lang>/admin/reset/<uidb64>/<token>/; Django's next page,
# .../<uidb64>/set-password/, holds none). deploy/nginx/s4c.conf.template does the same.
# Slashes as they are or percent-encoded (%2F: the link in a redirect's ?next=).
LOG_REDACTED_PATHS = [
    r"(?i)(?:/|%2F)sign-in(?:/|%2F)(?P<secret>[^/?#&%\s\"']+)",
    r"(?i)(?:/|%2F)admin(?:/|%2F)reset(?:/|%2F)[^/?#&%\s\"']+(?:/|%2F)"
    r"(?!set-password(?:[/?#&%\s\"']|$))(?P<secret>[^/?#&%\s\"']+)",
]
# Logging: one line per event, JSON in production (LOG_FORMAT=json), each with the request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
SLOW_QUERY_MS = env.float("SLOW_QUERY_MS", default=200.0)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.observability.RequestIdFilter"},
        "redact": {"()": "core.observability.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request log replaces runserver's and Django's own request lines.
        "django.server": {"level": "WARNING"},
        "s4c.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# Optional error reporting (any Sentry-compatible service).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.observability import init_error_reporting

    init_error_reporting(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Admin brute-force protection: lock a username from an address after repeated failures.
AXES_ENABLED = _bool("AXES_ENABLED", default=not TESTING)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as every other limit and log (core/net.py, TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "core.net.client_network"
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Each app contributes its part of the real content, in this order (organisations first).
S4C_CONTENT_LOADERS = [
    "core.content.load",
    "hub.content.load",
    "actionplan.content.load",
    "learning.content.load",
]

# --- Knowledge Hub ---
LINK_CHECK_CONCURRENCY = env.int("LINK_CHECK_CONCURRENCY", default=8)
LINK_CHECK_TIMEOUT = env.float("LINK_CHECK_TIMEOUT", default=10.0)
# May a person publish a draft that was never submitted for review? Off: a second pair of eyes
# (a reviewer, after a curator's submission) reads every resource before it is public.
HUB_ALLOW_DIRECT_PUBLISH = env.bool("HUB_ALLOW_DIRECT_PUBLISH", default=False)
# May a curator (not only a reviewer) edit an organisation that published resources show as
# their publisher? Off: such an edit changes public pages without a second pair of eyes.
HUB_CURATORS_EDIT_PUBLIC_ORGANISATIONS = env.bool(
    "HUB_CURATORS_EDIT_PUBLIC_ORGANISATIONS", default=False
)
CELERY_BEAT_SCHEDULE["hub-publish-scheduled"] = {"task": "hub.publish_scheduled", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["hub-check-links"] = {"task": "hub.check_links", "schedule": 24 * 3600.0}

# --- Learning Hub ---
COMMITMENT_INACTIVE_DAYS = env.int("COMMITMENT_INACTIVE_DAYS", default=365)
SIGN_IN_LINK_MINUTES = env.int("SIGN_IN_LINK_MINUTES", default=30)
# Public forms' limits per clock hour, counting accepted submissions only (learning/ratelimits.py):
# applications and sign-in requests per client address (generous: an office shares an address),
# and e-mails the forms send to one recipient address (no e-mail bombing).
APPLICATION_RATE_LIMIT = env.int("APPLICATION_RATE_LIMIT", default=20)
SIGN_IN_RATE_LIMIT = env.int("SIGN_IN_RATE_LIMIT", default=20)
EMAIL_RATE_LIMIT = env.int("EMAIL_RATE_LIMIT", default=5)
# Accepted admin password-reset requests per client address and clock hour.
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
CELERY_BEAT_SCHEDULE["learning-inactive-commitments"] = {
    "task": "learning.mark_inactive_commitments",
    "schedule": 24 * 3600.0,
}
# Personal data of applicants is erased this many days after their cohort ended (beat, daily).
APPLICANT_DATA_RETENTION_DAYS = env.int("APPLICANT_DATA_RETENTION_DAYS", default=730)
if APPLICANT_DATA_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("The setting APPLICANT_DATA_RETENTION_DAYS must be at least 1.")
CELERY_BEAT_SCHEDULE["learning-prune-password-reset-markers"] = {
    "task": "learning.prune_password_reset_markers",
    "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["learning-erase-expired-applicants"] = {
    "task": "learning.erase_expired_applicants",
    "schedule": 24 * 3600.0,
}

# Beat never reads what its tasks return: they are sent without a result, so beat subscribes to
# nothing in the result store (with Redis down it waited on it for every due task, 20 tries each,
# and logged CRITICAL "Retry limit exceeded ... must be restarted"). Last: after every entry.
for _entry in CELERY_BEAT_SCHEDULE.values():
    _entry.setdefault("options", {})["ignore_result"] = True
