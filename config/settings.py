"""Waystation settings, read from the environment.

Every deploy-specific value comes from an environment variable; the defaults are
safe for a newcomer's laptop (SQLite inside the project, debug off unless asked).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean variable; refuse anything that is not clearly yes or no."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=true for local development only."
        )
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.apps.WaystationAdminConfig",
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
    "leaflet",
    "simple_history",
    "stations",
    "riders",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user as the author of every change django-simple-history stores.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# SQLite inside the project is the embedded default; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the map read while an import writes; a busy timeout avoids "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "riders.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "waystation",
        }
    }
else:
    # One process's own cache; room for a large import's geocoding answers (the default keeps 300).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Waystation API · 暖新驿站地图",
    "DESCRIPTION": (
        "Rest stations for delivery riders and couriers. Coordinates are WGS-84 decimal "
        "degrees; times are Asia/Shanghai."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (31.2304, 121.4737),
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [
        (
            os.environ.get("WAYSTATION_TILE_NAME", "OpenStreetMap"),
            os.environ.get("WAYSTATION_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            {
                "attribution": os.environ.get("WAYSTATION_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"),
                "maxZoom": 19,
            },
        )
    ],
    "RESET_VIEW": False,
}
# Coordinate system of the configured tiles: "wgs84" (OSM) or "gcj02" (Amap, Tencent).
WAYSTATION_TILE_CRS = os.environ.get("WAYSTATION_TILE_CRS", "wgs84")
if WAYSTATION_TILE_CRS not in {"wgs84", "gcj02"}:
    raise ImproperlyConfigured("WAYSTATION_TILE_CRS must be wgs84 or gcj02.")

# Geocoding through geopy (see stations/geocoding.py). Off unless a provider is named.
try:
    _geocoder_options = json.loads(os.environ.get("WAYSTATION_GEOCODER_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured("WAYSTATION_GEOCODER_OPTIONS must be a JSON object.") from exc
WAYSTATION_GEOCODER = {
    "provider": os.environ.get("WAYSTATION_GEOCODER", ""),
    "options": {"user_agent": "waystation", **_geocoder_options},
    "crs": os.environ.get("WAYSTATION_GEOCODER_CRS", "wgs84"),
    "min_delay_seconds": float(os.environ.get("WAYSTATION_GEOCODER_MIN_DELAY", "1.0")),
    "timeout": env_int("WAYSTATION_GEOCODER_TIMEOUT", 5),
    "cache_seconds": env_int("WAYSTATION_GEOCODER_CACHE_SECONDS", 30 * 24 * 3600),
}

# A station not verified for this many days is flagged stale in the admin.
WAYSTATION_STALE_AFTER_DAYS = env_int("WAYSTATION_STALE_AFTER_DAYS", 90)
if WAYSTATION_STALE_AFTER_DAYS < 1:
    raise ImproperlyConfigured("WAYSTATION_STALE_AFTER_DAYS must be at least 1.")

# Uploaded import files are kept this many days (to confirm a preview, or to look at what was
# imported), then `manage.py prune_imports` deletes them; the import record and its hash stay.
WAYSTATION_IMPORT_FILE_DAYS = env_int("WAYSTATION_IMPORT_FILE_DAYS", 30)
if WAYSTATION_IMPORT_FILE_DAYS < 1:
    raise ImproperlyConfigured("WAYSTATION_IMPORT_FILE_DAYS must be at least 1.")

# The largest spreadsheet the admin and the API accept, in MB (about 1.5 million CSV rows at 200).
WAYSTATION_IMPORT_MAX_MB = env_int("WAYSTATION_IMPORT_MAX_MB", 200)
if WAYSTATION_IMPORT_MAX_MB < 1:
    raise ImproperlyConfigured("WAYSTATION_IMPORT_MAX_MB must be at least 1.")

# Travel speeds used for the "minutes by e-bike / on foot" estimates (km/h), documented in the API.
WAYSTATION_EBIKE_KMH = 15.0
WAYSTATION_WALK_KMH = 4.8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
