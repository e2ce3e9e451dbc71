"""Settings, all read from the environment (see README's Configuration section).

Values that look wrong fail loudly at start-up rather than being guessed.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number")
    return int(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/ for this checkout."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from archive import embedded_db

    return embedded_db.database_url()


def _database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL (full-text search needs it), got {config['ENGINE']}"
        )
    options = config.setdefault("OPTIONS", {})
    # A socket directory given as ?host=/path (pgserver's URLs) belongs in HOST.
    if not config["HOST"] and "host" in options:
        config["HOST"] = options.pop("host")
    # A server-side cap on every query, so a pathological query cannot hold a worker.
    # Off by default: migrations and bulk imports on large data legitimately run long.
    timeout_ms = envint("STATEMENT_TIMEOUT_MS", 0)
    if timeout_ms:
        options["options"] = f"-c statement_timeout={timeout_ms}"
    # A stopped or frozen database fails a new connection within seconds (pages then answer
    # 503, see archive/errors.py) instead of holding the worker until gunicorn kills it.
    options.setdefault("connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 2))
    # … and so does an open connection's health check (see archive/postgresql/base.py).
    config["ENGINE"] = "archive.postgresql"
    return config


DEBUG = envbool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Behind TLS (production): redirect to HTTPS, secure cookies, HSTS. Off for the local demo,
# which is served over plain http://127.0.0.1:8000.
HTTPS_ONLY = envbool("HTTPS_ONLY", False)
if HTTPS_ONLY:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script or style, no plugins, no framing. Templates therefore carry no <script> body,
# no on…= handler and no <style> (statements/tests/test_templates.py checks them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the admin's widgets draw a few icons as data: URLs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): the archive needs none of the browser's
# powerful features, except writing to the clipboard (the citation's Copy button).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
} | {"clipboard-write": ["self"]}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_MINUTES, even with the right
# password. Attempts are kept in the database; staff unlock in the admin ("Access attempts")
# or with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "axes",
    "statements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Traffic: the public's reads to a replica; public pages from the cache (after auth).
    "archive.routers.ReplicaReadsMiddleware",
    "archive.pagecache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
# A transcript's admin page posts every statement inline (about 10 fields each); Django's
# default cap of 1,000 fields would refuse long press conferences (the corpus has 338 turns).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Traffic: databases, replicas, caches (README: "Running in production", "Running on
# several machines") ---


def _replica_config(url: str) -> dict:
    config = _database_config(url)
    # A replica that does not answer is skipped (archive/routers.py) after this long.
    # (_database_config always sets OPTIONS and the primary's connect_timeout.)
    config["OPTIONS"]["connect_timeout"] = min(config["OPTIONS"]["connect_timeout"], 2)
    config["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database
    return config


def _caches(url: str) -> dict:
    """Django's RedisCache at REDIS_URL (shared by every app server), else this process's
    memory."""
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "archive",
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        }
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL={url!r}: expected redis://, rediss:// or unix://")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "archive"),
            # A Redis that stops answering costs a request this long, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


DATABASES = {"default": _database_config(_database_url())} | {
    f"replica{number}": _replica_config(url)
    for number, url in enumerate(envlist("DATABASE_REPLICA_URLS", ""), start=1)
}
DATABASE_ROUTERS = ["archive.routers.PublicReadsToReplicas"]
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = envint("REPLICA_CHECK_SECONDS", 5)

CACHES = _caches(os.environ.get("REDIS_URL", "").strip())
# Public pages are kept in the cache this long at most (0: not cached); a change of the
# data files them afresh at once whatever this says (archive/pagecache.py).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 3600)
# A CSV export of 10,000 statements is ~10 MB: kept too.
PAGE_CACHE_MAX_BYTES = envint("PAGE_CACHE_MAX_BYTES", 16_000_000)
# How long proxies and CDNs may serve a public page without asking again (0: they ask
# each time, with a conditional GET).
PROXY_CACHE_SECONDS = envint("PROXY_CACHE_SECONDS", 0)
# Sessions (an editor's login, the import previews waiting for confirmation) are kept in
# the database, which every app server shares: no app server keeps state of its own.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- end of Traffic ---

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The cap on each query of a public search (page, API, CSV export): a search that needs
# longer says so instead of holding a worker.
SEARCH_TIMEOUT_MS = envint("SEARCH_TIMEOUT_MS", 5000)

# Mail (alerts), with Django's own names: Django's SMTP backend, configured from the
# environment. SITE_URL makes the links in mails that `send_alerts` writes (no request).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "alerts@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Failed logins and lockouts (django-axes logs them at WARNING) reach the console
    # whatever LOG_LEVEL says.
    "loggers": {"axes": {"level": "WARNING"}},
}
