"""Settings, read from the environment with production-safe defaults.

Every variable is documented in README.md ("Configuration"). The advisor keeps no user data:
no sessions, no users, no cookies. A result is a pure function of its URL.

Without any variable set the advisor refuses to start (it needs DJANGO_SECRET_KEY), and with
only that one it runs with DEBUG off, host checks on, every security header set and no page
frameable by another site. The opt-ins are for what only the operator knows: the host names,
whether a TLS-terminating load balancer sits in front, and who may embed the advisor.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {value!r}."
        )
    return number


def env_list(name: str, default: str = "") -> list[str]:
    """A comma- or space-separated list."""
    return [item for item in re.split(r"[\s,]+", os.environ.get(name, default)) if item]


# A CSP source a page may be framed by: 'self', 'none', *, a scheme (https:), or an origin
# whose host may start with a `*.` wildcard. Nothing else, so no value can add a directive.
FRAME_SOURCE = re.compile(
    r"'self'|'none'|\*|https?:|https?://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?",
    re.IGNORECASE,
)


def frame_sources(name: str, default: str) -> list[str]:
    sources = env_list(name, default)
    if bad := [source for source in sources if not FRAME_SOURCE.fullmatch(source)]:
        raise ImproperlyConfigured(
            f"{name} holds {bad[0]!r}, which is not an origin. Give origins such as "
            "https://docs.example.com or https://*.example.com, or 'self', or *."
        )
    if "'none'" in sources and len(sources) > 1:
        raise ImproperlyConfigured(f"{name}: 'none' cannot be combined with other origins.")
    return sources


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "development-only-not-secret"  # only ever with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "advisor",
]

# No CsrfViewMiddleware: the advisor has no cookies, sessions or signed-in users, so a forged
# request has nothing to ride on; the wizard is GET and every POST endpoint is a stateless API.
# With it, a POST to a page got "CSRF verification failed" instead of the 405 that says why.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

MIDDLEWARE = [
    "advisor.middleware.RequestLogMiddleware",  # outermost: every request gets its log line
    # Security headers on every answer, /healthz and static files included (they are answered
    # by the two middleware below it, before the middleware that set headers on pages).
    "advisor.middleware.SecurityHeadersMiddleware",
    "advisor.middleware.HealthCheckMiddleware",  # before the host check and HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Replays finished (compressed) results, so it sits just outside CompressionMiddleware.
    "advisor.response_cache.ResponseCacheMiddleware",
    "advisor.middleware.CompressionMiddleware",  # brotli or gzip; no secrets: BREACH-safe
    "django.middleware.common.CommonMiddleware",
    "advisor.middleware.MethodNotAllowedMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "advisor.limits.QueryStringLimitMiddleware",  # oversized query strings: 414/400 that say so
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
            ],
        },
    },
]

# The embedded default. The advisor defines no models and stores nothing.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# In production WhiteNoise serves the files collectstatic wrote: hashed names, cached for a
# year (`immutable`), with gzip and Brotli copies made once at build time.
STORAGES = {
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- HTTPS, behind a load balancer ----------------------------------------------------------

# A load balancer that terminates TLS talks plain HTTP to the advisor and says what the client
# used in X-Forwarded-Proto. Trust that header only when the advisor is reachable solely
# through such a proxy, one that sets the header itself.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Redirect plain HTTP to HTTPS. /healthz is answered before this redirect (see
# advisor.middleware.HealthCheckMiddleware), so a load balancer's HTTP check still passes.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# HSTS is only ever sent on HTTPS responses; a year is the value browsers' preload lists ask for.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# `check --deploy` asks for each of these three; they stay opt-ins, each silenced while off:
# - W008, no HTTPS redirect: the advisor answers plain HTTP where nothing else can, on
#   localhost (`docker run -p 8000:8000`, then http://localhost:8000/), and behind a load
#   balancer that terminates TLS and redirects port 80 itself (deploy/advisor.yaml's does).
#   Reached directly over a network, an operator sets DJANGO_SECURE_SSL_REDIRECT.
# - W005, includeSubDomains: it binds every subdomain of the advisor's host name to HTTPS for
#   a year, which only whoever owns that domain can decide.
# - W021, preload: it needs includeSubDomains and a registrable domain, and takes months to
#   undo. Both are sent over HTTPS only; on localhost's plain HTTP no HSTS is sent at all.
SILENCED_SYSTEM_CHECKS += [
    check
    for check, opted_in in [("security.W008", SECURE_SSL_REDIRECT),
                            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
                            ("security.W021", SECURE_HSTS_PRELOAD)]
    if not opted_in
]
# The advisor sets no cookie, but if Django ever does (a CSRF token), it travels on HTTPS only.
CSRF_COOKIE_SECURE = not DEBUG

# --- Security headers -----------------------------------------------------------------------

# Every page refuses to be framed; the embed views relax this per view.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Strict CSP: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Browser features the advisor does not use, denied to it and to anything it could frame.
# The one it uses: the "Copy" buttons write to the clipboard.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-read": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "sync-xhr": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Origins allowed to frame /embed/ pages: CSP `frame-ancestors` sources, comma- or
# space-separated. By default only the advisor's own pages (an embed preview); an operator
# names the documentation sites that embed it. See README.md for why not `*`.
EMBED_ALLOWED_ORIGINS = frame_sources("ADVISOR_EMBED_ORIGINS", "'self'")

# --- HTTP caching ---------------------------------------------------------------------------

# How long browsers and shared caches may reuse a result before revalidating it with its ETag
# (advisor.caching). A result only changes when the rules or the code do, which a new
# release's ETag tells apart, so this bounds how long a release takes to reach every reader.
CACHE_MAX_AGE = env_int("ADVISOR_CACHE_SECONDS", 3600)
# Finished responses kept for repeated URLs (advisor/response_cache.py), in Django's cache:
# each worker's own memory, at most ADVISOR_RESPONSE_CACHE_MB of it (0 = off), or the Redis
# server that ADVISOR_CACHE_URL names, which every replica then shares.
RESPONSE_CACHE_BYTES = env_int("ADVISOR_RESPONSE_CACHE_MB", 32) * 1024 * 1024
CACHE_URL = os.environ.get("ADVISOR_CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "ADVISOR_CACHE_URL must be a Redis URL (redis://host:6379/0, rediss:// for TLS, "
            f"or unix:///path), not {CACHE_URL.split('://')[0]!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "advisor",
            # Redis answers in well under a millisecond; one that does not is skipped (the
            # page is rendered) rather than waited for.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "advisor.response_cache.BoundedLocMemCache",
            "LOCATION": "responses",
            "OPTIONS": {"MAX_BYTES": RESPONSE_CACHE_BYTES},
        }
    }
RESPONSE_CACHE = "default" if CACHE_URL or RESPONSE_CACHE_BYTES else None

# --- Logs -----------------------------------------------------------------------------------

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
# Everything goes to stdout as one JSON object per line (advisor.jsonlog). Requests are logged
# once, by advisor.middleware.RequestLogMiddleware; Django's own "Not Found: /x" warnings
# would log 4xx requests twice, so django.request keeps only errors (with their traceback).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "advisor.jsonlog.JsonFormatter"}},
    "filters": {"refused_host": {"()": "advisor.jsonlog.RefusedHost"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},  # runserver's own access log: ours is enough
        # A Host outside ALLOWED_HOSTS: one short WARNING, no traceback (advisor.jsonlog).
        "django.security.DisallowedHost": {
            "level": "CRITICAL" if LOG_LEVEL in ("ERROR", "CRITICAL") else "WARNING",
            "filters": ["refused_host"],
        },
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
