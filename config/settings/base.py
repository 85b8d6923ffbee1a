"""Settings shared by every environment; values come from the environment only."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    TIME_ZONE=(str, "Asia/Shanghai"),
    LANGUAGE_CODE=(str, "en"),
)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
# Every signed checkpoint is appended here too, outside the database (audit/anchor.py).
AUDIT_ANCHOR_PATH = env.str("AUDIT_ANCHOR_PATH", default=str(VAR_DIR / "audit-anchor.jsonl"))
# A CJK TrueType font embedded in licence certificates (Debian fonts-wqy-microhei by default).
CERTIFICATE_FONT_PATH = env.str(
    "CERTIFICATE_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
# The address printed on certificates and in e-mails; production requires it (production.py).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, in dependency order: each may import only those above it.
    "audit",
    "notifications",
    "registry",
    "aftersales",
    "licensing",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.otp.StaffOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AbsoluteSessionLifetimeMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "registry.language.PreferredLanguageMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "portal.middleware.WrongDoorMiddleware",
    # Last, as django-axes requires: turns lockouts into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "portal.context.portal_layout",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "db.sqlite3"
SQLITE_OPTIONS = {
    # Serialise writers at BEGIN so a transition's compare-and-swap cannot interleave.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A streaming replica for audit exports and verification (docs/deployment.md).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/portal/login/"
LOGIN_REDIRECT_URL = "/portal/"

LANGUAGE_CODE = env.str("LANGUAGE_CODE")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Evidence documents live outside the web root and are served only through views
# that check who may see the case.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "documents")))
# Evidence on S3-compatible object storage (django-storages) when a bucket is named; the
# credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (docs/deployment.md).
if env.str("DOCUMENTS_S3_BUCKET", default=""):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DOCUMENTS_S3_REGION", default="") or None,
            "location": "cases",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
MEDIA_URL = None
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# 30 minutes idle, 12 hours absolute (NIST SP 800-63B AAL2).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)

AUTHENTICATION_BACKENDS = [
    "config.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a (username, IP) pair after 5 failures so an attacker cannot lock out a real officer.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Staff must verify a TOTP code (or a backup code) before any admin page (config/otp.py).
# Off by default for development and tests; production refuses to start without it.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "EV Export Licensing"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin and Swagger UI set a few style attributes inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="licensing@ev-export.example")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.NamedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"verify": "60/min", "coverage": "60/min", "token": "20/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EV Export Licensing API",
    "DESCRIPTION": (
        "Export licensing of battery-electric passenger cars. Every timestamp is ISO 8601 in "
        "Beijing time (UTC+8, written with the +08:00 offset); dates are Beijing calendar days."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Recommendation, decision and action bodies share one approve/refuse choice set.
    "ENUM_NAME_OVERRIDES": {"CaseOutcomeEnum": "licensing.models.cases.Case.Outcome"},
}

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    # A broker that needs no server: messages are files under var/broker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Without this, the control exchange (pidbox) lands in the current directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# The ministry works on Beijing time: the daily sweeps run at 07:00 there, whatever TIME_ZONE.
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat: a Redis lock held while it runs (config/beat.py, docs/deployment.md).
CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"
# Bearer token the Prometheus server sends to /metrics (staff may read it signed in).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=90)
# Queues per kind of work: reminders and outbox delivery apart from everything else, so a
# long export or recompute never holds up a due notice. Off by default (one worker, one queue).
if env.bool("CELERY_QUEUES_BY_KIND", default=False):
    CELERY_TASK_ROUTES = {"notifications.tasks.*": {"queue": "reminders"}}
CELERY_BEAT_SCHEDULE = {
    "reminder-sweeps": {
        "task": "notifications.tasks.run_all_sweeps",
        "schedule": crontab(hour=7, minute=0),
    },
    "deliver-outbox": {
        "task": "notifications.tasks.deliver_pending",
        "schedule": 60.0,
    },
    "recompute-obligations": {
        "task": "aftersales.tasks.recompute_obligations",
        "schedule": crontab(hour=6, minute=30),
    },
    # 02:00 on the 1st, Beijing time: the report of the month just ended.
    "monthly-report": {
        "task": "licensing.tasks.generate_monthly_report",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "audit-checkpoint": {
        "task": "audit.tasks.sign_checkpoint",
        "schedule": crontab(minute=5),
    },
}

# How long a delivery worker holds the notifications it claimed before another may retry them.
NOTIFICATION_CLAIM_LEASE_SECONDS = env.int("NOTIFICATION_CLAIM_LEASE_SECONDS", default=600)
# Where, from a user, the language they chose lives: notifications are written in it.
USER_LANGUAGE_LOOKUP = "profile__language"
# send_reminders --as-of a future day --apply: for test and staging databases only.
REMINDERS_ALLOW_FUTURE_APPLY = True
# Days before a deadline at which each reminder goes out (DESIGN.md §6, docs/operations.md).
REMINDER_OFFSETS = {
    "licence_expiring": [30, 14, 7],
    "commitment_ending": [90, 30, 7],
    "information_request_due": 2,  # working days
    "qualification_closing": 7,
}
# Next year's qualification may be applied for from/to these (month, day) of the year.
QUALIFICATION_RENEWAL_WINDOW = ((11, 1), (11, 30))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Working days the review clock allows, by case kind (Administrative Licensing Law; DESIGN.md §1).
SLA_WORKING_DAYS = {"licence": 3, "exchange": 3, "used_licence": 3, "qualification": 20}
# Used-vehicle exports (issue 13): a used EV first registered in China this many days or fewer
# before the application needs its manufacturer's after-sales confirmation letter.
USED_VEHICLE_LETTER_DAYS = env.int("USED_VEHICLE_LETTER_DAYS", default=180)
# The most vehicles one used-vehicle application may list.
USED_VEHICLE_SCHEDULE_MAX = 500
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

# After-sales obligations (issue 10): an obligation turns at risk when an outlet contract or
# commitment ends before its last warranty does and within this many days.
OBLIGATION_WARNING_DAYS = env.int("OBLIGATION_WARNING_DAYS", default=90)
# First-registration CSV uploads: row and size ceilings (larger files are refused unread).
FIRST_REGISTRATION_CSV_MAX_ROWS = 100_000
FIRST_REGISTRATION_CSV_MAX_BYTES = 8 * 1024 * 1024
# Compliance reports: one per enterprise × market with exports per period of this many months
# (periods start on 1 January), due this many days after the period ends.
COMPLIANCE_PERIOD_MONTHS = env.int("COMPLIANCE_PERIOD_MONTHS", default=6)
COMPLIANCE_REPORT_DUE_DAYS = env.int("COMPLIANCE_REPORT_DUE_DAYS", default=30)
# A breach opens by itself when a due compliance report is this many days overdue.
BREACH_REPORT_OVERDUE_DAYS = env.int("BREACH_REPORT_OVERDUE_DAYS", default=30)
# Authenticator secrets never show in the admin (no key, no QR code): enrolment is admin/otp/enrol/.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
