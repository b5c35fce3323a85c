"""Settings read from environment variables; without them, production (see .env.example).

Production sets DJANGO_SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and the EMAIL_* variables;
nothing secret has a default. `make run` and the tests say DJANGO_DEBUG=true, which brings the
embedded defaults for a laptop (a development key, SQLite, a folder as broker).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARTNERXPRESS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(
    parents=True, exist_ok=True
)  # the embedded database, broker and mail folder live here


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A forgotten variable must not turn debugging on in production: only DJANGO_DEBUG=true does.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set (or DJANGO_DEBUG=true on a development machine)."
        )
    SECRET_KEY = "insecure-development-key-only-for-make-run-and-tests"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Absolute address of the portal, for links in e-mails and letters.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "partnerxpress.core",
    "partnerxpress",  # the project: the demo command, pages that wire several apps
    "contracts",
    "renewals",
    "upgrades",
    "incidents",
    "notifications",
]

MIDDLEWARE = [
    "partnerxpress.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnerxpress.core.middleware.NoStoreMiddleware",
    "partnerxpress.core.middleware.RegionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnerxpress.urls"
WSGI_APPLICATION = "partnerxpress.wsgi.application"

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
                "partnerxpress.core.context_processors.permissions",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'partnerxpress.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Random reads cost little more than sequential ones on SSDs; PostgreSQL's default (4) makes
    # it scan a big reseller's every row where two index ranges would do (bench/run.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a Celery worker started by a test sees the test's rows.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# History is read, never written back: Revert would save old values around the services (it
# un-booked orders). Admin's history pages refuse to save as well (core.admin.HistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Cached figures (the home page's) are keyed by version, so a cache per process is correct;
# CACHE_URL (redis://…) shares one between web processes.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "contracts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partnerxpress.core.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours (the lock-out page says "an hour")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies (a load balancer, …) the client's address is in X-Forwarded-For:
# without this every client would share the proxy's address and its lock-outs.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Content security policy: everything from this site, no inline script, no framing. The
# portal has no script at all; admin and the API docs load theirs from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        # One inline style attribute, by its hash: django-simple-history's history page.
        "style-src": [SELF, UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en-us", "English (US)"), ("en-gb", "English (UK)")]
# One date style per language (partnerxpress/formats); a reseller's users get their region's.
FORMAT_MODULE_PATH = ["partnerxpress.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Source maps are fetched only by browsers' developer tools; compressing them (12 MB of Swagger
# UI's and ReDoc's, with brotli) tripled collectstatic's time in every image build.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Files the apps make: e-mail attachments ("default") and private files ("private": letters,
# downloads; served only by views that check who asks). The embedded default is MEDIA_ROOT on
# this machine's disk. With AWS_STORAGE_BUCKET_NAME they go to S3 or a compatible server
# (MinIO…), which every web and worker machine shares: the bucket mirrors MEDIA_ROOT's layout.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "notifications.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    _bucket = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # None: AWS itself
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        # None: boto3 finds credentials itself (an instance role, ~/.aws)
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path": MinIO
        "signature_version": "s3v4",  # what every region and MinIO accept (boto3 may pick v2)
        # Downloads answer with a redirect to an address signed for this many seconds; turn it
        # off when browsers cannot reach the endpoint, and the files pass through the app.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "60")),
        # A second file of the same name gets a new name, as on disk: the letter service
        # deletes the file it just saved when its claim was lost, never someone else's.
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _bucket}
    STORAGES["private"] = {
        "BACKEND": "notifications.s3.PrivateS3Storage",
        "OPTIONS": {**_bucket, "location": "private"},
    }

# E-mail: SMTP when EMAIL_HOST is set; otherwise each message is a file in var/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "PartnerXpress <partnerxpress@avst.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production and CI; a folder-based broker needs no server for `make run`.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-queue"
    for _folder in (_queue_dir, VAR_DIR / "celery-control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery-control"),
        "polling_interval": 0.2,  # the folder is polled; 1 s (the default) is one task a second
    }
if CELERY_BROKER_URL.startswith("redis"):
    # An unacknowledged task returns after this long. It must outlast the longest countdown
    # (e-mail retries wait up to 600 s), or the task is delivered twice while it waits; lost
    # work is recovered sooner by the sweeps and the hourly digest, not by this timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat runs in UTC and fires often; each task decides what is due (see PITFALLS.md).
CELERY_BEAT_SCHEDULE = {
    "email-sweep": {"task": "notifications.tasks.email_sweep_task", "schedule": 300.0},
    "bulletin-sweep": {"task": "upgrades.tasks.bulletin_sweep_task", "schedule": 600.0},
    # Hourly at :00 UTC; the task decides in each region's zone whether its month is due.
    "renewal-digest": {
        "task": "renewals.tasks.digest_schedule_task",
        "schedule": crontab(minute=0),
    },
    "letter-sweep": {"task": "contracts.tasks.letter_sweep_task", "schedule": 600.0},
}

# REST API (SPEC §6.2). Token first, so an anonymous caller gets 401 with WWW-Authenticate;
# every list gets keyset pagination, every view the per-user throttle and the error shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnerxpress.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["partnerxpress.core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "partnerxpress.core.api.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["partnerxpress.core.filtering.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "partnerxpress.core.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["partnerxpress.core.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_THROTTLE_USER", "3600/hour")},
    "EXCEPTION_HANDLER": "partnerxpress.core.api.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per calendar feed address (SPEC §6.5 asks for at least 60 an hour): clients poll
# every few hours, so this only stops a runaway script or a leaked address being hammered.
CALENDAR_FEED_RATE = os.environ.get("CALENDAR_FEED_RATE", "120/hour")
# Password-reset requests: per client (a 429 past it) and per address (silently nothing sent).
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "20/hour")
PASSWORD_RESET_ADDRESS_RATE = os.environ.get("PASSWORD_RESET_ADDRESS_RATE", "3/hour")

SPECTACULAR_SETTINGS = {
    "TITLE": "PartnerXpress API",
    "DESCRIPTION": (
        "XpressCare contracts, orders and support for CallXpress and Seneca resellers.\n\n"
        "Authenticate with the portal session or `Authorization: Token <key>` (staff make a "
        "key with `manage.py drf_create_token USER`). Lists are paginated by `next`/`previous` "
        'links; errors are JSON: `{"field": ["message"]}` for bad input (400), '
        '`{"detail": "message"}` otherwise.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Orders have their own "kind" and "state", unlike a contract's kind (shown on orders too).
    "ENUM_NAME_OVERRIDES": {
        "CoverageStatusEnum": "contracts.serializers.STATUS_CHOICES",
        "ContractKindEnum": "contracts.models.KIND_CHOICES",
        "OrderKindEnum": "renewals.models.KIND_CHOICES",
        "OrderStateEnum": "renewals.models.STATE_CHOICES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
