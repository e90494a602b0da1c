"""Settings shared by every environment. Values that vary come from config.env."""

from config import env

BASE_DIR = env.BASE_DIR
SECRET_KEY = env.secret_key()
AUDIT_HMAC_KEY = env.audit_key()
# PostgreSQL: audit rows are sealed by each process's sealing thread within this delay of their commit, many
# requests' rows in one seal (``audit/sealer.py``); 0 seals right after each commit.
AUDIT_SEAL_DELAY_MS = env.AUDIT_SEAL_DELAY_MS
OPEN311_PREPARED_STATEMENTS = env.OPEN311_PREPARED_STATEMENTS
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

DOMAIN_APPS = [
    "chuangcheng.core",
    "chuangcheng.audit",
    "chuangcheng.accounts",
    "chuangcheng.org",
    "chuangcheng.places",
    "chuangcheng.standards",
    "chuangcheng.programs",
    "chuangcheng.cases",
    "chuangcheng.inspections",
    "chuangcheng.assessments",
    "chuangcheng.readiness",
    "chuangcheng.dossiers",
    "chuangcheng.campaigns",
    "chuangcheng.public",
    "chuangcheng.dashboard",
    "chuangcheng.notifications",
    "chuangcheng.exchange",
    "chuangcheng.volunteers",
    "chuangcheng.civility",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "chuangcheng.core.csp.ContentSecurityPolicyMiddleware",  # no inline script: see core/csp.py
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "chuangcheng.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chuangcheng.core.context_processors.navigation",
                "chuangcheng.core.context_processors.map_tiles",
                "chuangcheng.readiness.context_processors.countdown",
            ],
        },
    },
]

DATABASES = {"default": env.database()}
if env.replica_database():  # reports and dashboards read from a streaming replica (config/db_router.py)
    DATABASES["replica"] = env.replica_database()
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
REPLICA_READ_APPS = ("dashboard",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chuangcheng.accounts.validators.UsernamePlusDigitsValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
# Local state of the embedded default (SQLite file, generated secrets, the periodic runner's lock).
VAR_DIR = env.VAR_DIR
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
UPLOAD_MAX_BYTES = env.UPLOAD_MAX_BYTES
UPLOAD_MAX_PIXELS = env.UPLOAD_MAX_PIXELS

# Redis is optional at run time (chuangcheng.core.cache falls back when it is down): short socket timeouts, so
# an unreachable server costs half a second once every few seconds, not a hung request.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
CACHES = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    if env.REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chuangcheng"}}
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "chuangcheng.accounts.authentication.ServiceTokenAuthentication",
        "chuangcheng.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["chuangcheng.core.filters.BoundedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "chuangcheng.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "chuangcheng.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "创城 API",
    "DESCRIPTION": "创卫/创文 工作平台接口（/api/v1/）",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets come from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

CELERY_BROKER_URL = env.CELERY_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.CELERY_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
# A stopped broker is noticed within a second (enqueues then run in-process: core/taskqueue.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "dashboard-refresh": {"task": "dashboard.refresh", "schedule": 600.0},
    # Cases: 催办/督办/提级督办 every 30 minutes (idempotent; one level per case at most once).
    "cases-escalate-overdue": {"task": "chuangcheng.cases.tasks.escalate_overdue_cases_task", "schedule": 1800.0},
}
# campaigns: overdue tasks climb the escalation ladder (idempotent, so hourly is safe)
CELERY_BEAT_SCHEDULE["campaigns.escalate_overdue_tasks"] = {
    "task": "campaigns.escalate_overdue_tasks",
    "schedule": 3600.0,
}
# campaigns: 抄告单 whose reply is late are escalated and their unit heads and 包抓 leaders told (idempotent)
CELERY_BEAT_SCHEDULE["campaigns.escalate_overdue_notices"] = {
    "task": "campaigns.escalate_overdue_notices",
    "schedule": 3600.0,
}
# public: reporter notices for case changes (dispatch, closure) – the cases app has no change hook
CELERY_BEAT_SCHEDULE["public.sync_reporter_notices"] = {"task": "public.sync_reporter_notices", "schedule": 300.0}
# public: open the cases of 12345 orders saved without one (an import interrupted after its commit)
CELERY_BEAT_SCHEDULE["public.open_pending_order_cases"] = {"task": "public.open_pending_order_cases", "schedule": 300.0}
# audit: seal rows whose after-commit sealing failed (normally none are left)
CELERY_BEAT_SCHEDULE["audit.seal_pending"] = {"task": "audit.seal_pending", "schedule": 60.0}
# core: monthly partitions of the timeline and audit log, 24 months ahead (PostgreSQL only; idempotent)
CELERY_BEAT_SCHEDULE["core.ensure_partitions"] = {"task": "core.ensure_partitions", "schedule": 86400.0}
# audit: verify every hash chain daily, so /audit/ always shows a recent result
CELERY_BEAT_SCHEDULE["audit.verify"] = {"task": "audit.verify", "schedule": 86400.0}
# dossiers: recompute the completeness summary (catches requirement edits made in the standards app)
CELERY_BEAT_SCHEDULE["dossiers.rebuild_completeness"] = {
    "task": "dossiers.rebuild_completeness",
    "schedule": 86400.0,
}

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if env.EMAIL_URL else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.EMAIL_URL or "localhost"
EMAIL_PORT = env.EMAIL_PORT
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

MAP_TILE_URL = env.MAP_TILE_URL
MAP_TILE_ATTRIBUTION = env.MAP_TILE_ATTRIBUTION
MAP_TILE_CRS = env.MAP_TILE_CRS
TIANDITU_KEY = env.TIANDITU_KEY
MAP_TILE_SUBDOMAINS = env.MAP_TILE_SUBDOMAINS
MAP_TILE_LABEL_URL = env.MAP_TILE_LABEL_URL
LOGIN_MAX_FAILURES = env.LOGIN_MAX_FAILURES
LOGIN_LOCK_SECONDS = env.LOGIN_LOCK_SECONDS
LOGIN_ACCOUNT_MAX_FAILURES = env.LOGIN_ACCOUNT_MAX_FAILURES
CITY_NAME = env.CITY_NAME
PUBLIC_SMS_BACKEND = env.PUBLIC_SMS_BACKEND
PUBLIC_DISPUTE_DAYS = env.PUBLIC_DISPUTE_DAYS
PUBLIC_DISPUTE_MAX = env.PUBLIC_DISPUTE_MAX
PUBLIC_RATING_DAYS = env.PUBLIC_RATING_DAYS
PUBLIC_POINTS_PER_REPORT = env.PUBLIC_POINTS_PER_REPORT
PUBLIC_POINTS_DAILY_CAP = env.PUBLIC_POINTS_DAILY_CAP
PUBLIC_POINTS_CASH_VALUE = env.PUBLIC_POINTS_CASH_VALUE
READINESS_MIN_COVERAGE = env.READINESS_MIN_COVERAGE_PERCENT / 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"chuangcheng": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
# exchange: send due outbound messages (retries with backoff), queue rule-matched pushes the intake batch
# dispatched, pull the Open311 servers (each endpoint at its own interval); all idempotent
CELERY_BEAT_SCHEDULE["exchange.deliver_due"] = {"task": "exchange.deliver_due", "schedule": 30.0}
CELERY_BEAT_SCHEDULE["exchange.enqueue_matching_cases"] = {"task": "exchange.enqueue_matching_cases", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["exchange.pull_open311"] = {"task": "exchange.pull_open311", "schedule": 60.0}
EXCHANGE_BASE_URL = env.get_str("EXCHANGE_BASE_URL", "http://127.0.0.1:8000")
# notifications: SMS gateway (dotted path; empty = log only, honest in the UI) and its options, robot HTTP timeout,
# the site address for links in SMS/robot messages, chasing defaults until the office saves its policy page.
SMS_BACKEND = env.get_str("SMS_BACKEND", "")
SMS_OPTIONS = {
    name: env.get_str(f"SMS_{name}", "")
    for name in ("HTTP_URL", "HTTP_TOKEN", "HTTP_SECRET", "SIGN_NAME", "TEMPLATE_CODE", "TEMPLATE_PARAM",
                 "ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "APP_ID", "REGION", "ENDPOINT")
}  # fmt: skip
NOTIFY_HTTP_TIMEOUT = float(env.get_str("NOTIFY_HTTP_TIMEOUT", "5"))
NOTIFY_SITE_URL = env.get_str("NOTIFY_SITE_URL", "")
NOTIFY_ACK_KINDS = env.get_list("NOTIFY_ACK_KINDS", ["case_escalated"])
NOTIFY_REMINDER_HOURS = env.get_int("NOTIFY_REMINDER_HOURS", 4)
NOTIFY_QUIET_START = env.get_str("NOTIFY_QUIET_START", "22:00")
NOTIFY_QUIET_END = env.get_str("NOTIFY_QUIET_END", "07:30")
# notifications: retries of the delivery outbox (backoff per delivery) and reminders until acknowledged
CELERY_BEAT_SCHEDULE["notifications.send_due"] = {"task": "notifications.send_due", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["notifications.remind"] = {"task": "notifications.remind", "schedule": 300.0}
