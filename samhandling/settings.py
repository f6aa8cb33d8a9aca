"""Django settings. Everything a deployment changes comes from the environment, with safe local defaults."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAMHANDLING_VAR", PROJECT_DIR / "var"))
SHARED_DIR = Path(os.environ.get("SAMHANDLING_SHARED", PROJECT_DIR.parent / "shared"))

PRODUCTION = os.environ.get("SAMHANDLING_PRODUCTION", "") == "1"
DEBUG = os.environ.get("SAMHANDLING_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SAMHANDLING_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samhandling.core.middleware.ApiRateLimitMiddleware",
    "samhandling.core.middleware.ApiUnstorableTextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "samhandling.access.middleware.AccessMatrixMiddleware",
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
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samhandling.sqlite3'}"),
        conn_max_age=int(os.environ.get("SAMHANDLING_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

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

EMAIL_BACKEND = os.environ.get("SAMHANDLING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SAMHANDLING_FROM_EMAIL", "samhandling@localhost")

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

# Attachments: what users may upload (see samhandling.core.uploads).
ATTACHMENT_MAX_BYTES = int(os.environ.get("SAMHANDLING_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))

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
