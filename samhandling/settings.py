"""Django settings. Everything a deployment changes comes from the environment, with safe local defaults."""

import os
from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from samhandling.core.cache import caches_from_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAMHANDLING_VAR", PROJECT_DIR / "var"))
SHARED_DIR = Path(os.environ.get("SAMHANDLING_SHARED", PROJECT_DIR.parent / "shared"))

PRODUCTION = os.environ.get("SAMHANDLING_PRODUCTION", "") == "1"
DEBUG = os.environ.get("SAMHANDLING_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SAMHANDLING_SECRET_KEY", "")
if PRODUCTION and len(SECRET_KEY) < 50:
    # The development key below is public (it is in this file): production signing with it is forgeable.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SAMHANDLING_PRODUCTION=1 requires SAMHANDLING_SECRET_KEY: a random secret of at least 50 characters, "
        "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-in-production"
ALLOWED_HOSTS = os.environ.get("SAMHANDLING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from local static files (no CDN, CSP-compatible)
    "csp",
    "django_htmx",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "samhandling.core",
    "samhandling.access",
    "samhandling.programmes",
    "samhandling.projects",
    "samhandling.partnership",
    "samhandling.calls",
    "samhandling.assessment",
    "samhandling.projectbank",
    "samhandling.portfolio",
    "samhandling.imports",
    "samhandling.mobilisation",
    "samhandling.mail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samhandling.partnership.scope.PartnershipMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samhandling.core.ratelimit.ApiRateLimitMiddleware",
    "samhandling.core.middleware.ApiUnstorableTextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samhandling.core.audit.AuditlogMiddleware",
    "samhandling.access.middleware.AccessMatrixMiddleware",
    "samhandling.core.middleware.ConcurrentEditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samhandling.urls"
WSGI_APPLICATION = "samhandling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "samhandling.core.context_processors.site",
            ],
        },
    },
    {  # the project bank's results fragment only, on the search's hot path (samhandling/core/jinja.py)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "samhandling.core.jinja.environment"},
    },
]
FORM_RENDERER = "samhandling.core.forms.FormRenderer"  # errors at fields, linked; required marked

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samhandling.sqlite3'}"),
        conn_max_age=int(os.environ.get("SAMHANDLING_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at the start of a transaction,
    # so parallel saves queue (up to `timeout` seconds) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

if os.environ.get("SAMHANDLING_REPLICA_URL"):
    # Anonymous GET/HEAD requests read the product's tables from a read replica (samhandling.core.replica).
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["SAMHANDLING_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["samhandling.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "samhandling.core.replica.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every server process shares (rate limits, page and result caches, precomputed public pages):
# db://TABLE (default; Django's database cache in this database) or redis://HOST:PORT/DB (also valkey://).
# See samhandling.core.cache.
CACHE_URL = os.environ.get("CACHE_URL", "db://samhandling_cache")
CACHES = caches_from_url(CACHE_URL)
# django-ratelimit counts in that cache (samhandling.core.ratelimit).
RATELIMIT_USE_CACHE = "default"
# Behind a proxy that sets it, the header carrying the client's address (e.g. HTTP_X_REAL_IP); see docs/deploy.md.
RATELIMIT_IP_META_KEY = os.environ.get("SAMHANDLING_CLIENT_IP_META", "REMOTE_ADDR")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "samhandling.access.passwords.SwedishCommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:tasks"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address as the rate limits read it (REMOTE_ADDR, or the proxy's header: docs/deploy.md).
AXES_IPWARE_META_PRECEDENCE_ORDER = (RATELIMIT_IP_META_KEY,)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Source maps (half the bytes: the API docs' bundles) are read only by a developer's tools; compressing them with
# Brotli cost every `collectstatic`, so every `make run`, some 9 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Demo mode: the login page lists the demo accounts (`samhandling demo` creates them). Never in production,
# where a system check refuses to start while demo accounts exist (samhandling.access.checks).
DEMO_MODE = not PRODUCTION and os.environ.get("SAMHANDLING_DEMO", "1") == "1"
# How long an invitation's or a password reset's link stays valid (Django's token generator), in seconds.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("SAMHANDLING_LINK_TIMEOUT", str(3 * 24 * 3600)))

# E-mail: with SAMHANDLING_EMAIL_HOST set, SMTP; otherwise (the demo) each message is written as a file to
# var/mail/ so nothing leaves the machine and every message can be read. SAMHANDLING_EMAIL_BACKEND overrides.
EMAIL_HOST = os.environ.get("SAMHANDLING_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("SAMHANDLING_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SAMHANDLING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMHANDLING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SAMHANDLING_EMAIL_TLS", "1") == "1" and EMAIL_PORT != 465
EMAIL_USE_SSL = EMAIL_PORT == 465
EMAIL_TIMEOUT = 30
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_BACKEND = os.environ.get(
    "SAMHANDLING_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "SAMHANDLING_EMAIL_FROM", os.environ.get("SAMHANDLING_FROM_EMAIL", "samhandling@localhost")
)

# Background work (samhandling.core.background): django-tasks on the project's own database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds before each new try of a failed task (e-mail): three more tries over about an hour.
TASK_RETRY_DELAYS = [int(s) for s in os.environ.get("SAMHANDLING_TASK_RETRY_DELAYS", "60,600,3600").split(",") if s]
# Where the accessibility statement (/tillganglighet/) tells people to report problems; empty hides the address.
ACCESSIBILITY_CONTACT = os.environ.get("SAMHANDLING_ACCESSIBILITY_CONTACT", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy through django-csp (Django 5.2 has none built in): no inline script or style.
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

# Public API rate limit per client address (authenticated users get the higher figure), requests per minute.
API_RATE_LIMIT = int(os.environ.get("SAMHANDLING_API_RATE_LIMIT", "240"))
API_RATE_LIMIT_AUTHENTICATED = int(os.environ.get("SAMHANDLING_API_RATE_LIMIT_AUTH", "1200"))
# Anonymous requests per minute and address to each expensive public page (network, open-data downloads),
# and to the project bank's search.
PUBLIC_PAGE_RATE_LIMIT = int(os.environ.get("SAMHANDLING_PUBLIC_PAGE_RATE_LIMIT", "30"))
SEARCH_RATE_LIMIT = int(os.environ.get("SAMHANDLING_SEARCH_RATE_LIMIT", "120"))
# Anonymous sign-ups to information meetings per client address (django-ratelimit's rate syntax).
SIGNUP_RATE_LIMIT = os.environ.get("SAMHANDLING_SIGNUP_RATE_LIMIT", "5/h")

# Attachments: what users may upload (see samhandling.core.uploads).
ATTACHMENT_MAX_BYTES = int(os.environ.get("SAMHANDLING_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# Lists of operations uploaded for import in the browser (the command line has no limit).
IMPORT_MAX_BYTES = int(os.environ.get("SAMHANDLING_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))

# Electronic signatures of minutes (PAdES; see samhandling.partnership.signing and docs/signing.md).
SIGNING_PKCS12 = os.environ.get("SAMHANDLING_SIGNING_PKCS12", "")
SIGNING_PKCS12_PASSWORD = os.environ.get("SAMHANDLING_SIGNING_PKCS12_PASSWORD", "")
SIGNING_PKCS11_MODULE = os.environ.get("SAMHANDLING_SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_TOKEN = os.environ.get("SAMHANDLING_SIGNING_PKCS11_TOKEN", "")
SIGNING_PKCS11_KEY_LABEL = os.environ.get("SAMHANDLING_SIGNING_PKCS11_KEY_LABEL", "")
SIGNING_PKCS11_CERT_LABEL = os.environ.get("SAMHANDLING_SIGNING_PKCS11_CERT_LABEL", "")
SIGNING_PKCS11_PIN = os.environ.get("SAMHANDLING_SIGNING_PKCS11_PIN", "")
SIGNING_TRUST_ROOTS = [p for p in os.environ.get("SAMHANDLING_SIGNING_TRUST_ROOTS", "").split(os.pathsep) if p]
SIGNING_TSA_URL = os.environ.get("SAMHANDLING_TSA_URL", "")

if PRODUCTION:
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SAMHANDLING_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    LANGUAGE_COOKIE_SECURE = True

PARTNERSHIP_NAME = os.environ.get("SAMHANDLING_PARTNERSHIP", "Strategiska partnerskapet Stockholm")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMHANDLING_LOG_LEVEL", "WARNING")},
}
