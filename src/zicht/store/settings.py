"""Django settings for one project directory: the store, the workbench, its users and its safety.

Made by a function, not a module of constants, because the database and the secret belong
to the project folder the CLI or `zicht serve` was given. They live in the store, which sets
Django up for the CLI as for the workbench; one Django project serves both, so the workbench's
parts (middleware, templates, CSP, login lockout) are named here too, as strings: the store
never imports zicht.web.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

SESSION_HOURS = 8  # a working day; after that, log in again
LOGIN_FAILURES = 5  # then the username is locked for COOLOFF_MINUTES from that address
COOLOFF_MINUTES = 15


APPLICATION: dict[str, Any] = {  # the one Django project: its apps, middleware, pages and language
    "DEBUG": False,
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
    "INSTALLED_APPS": [
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "django_htmx",
        "csp",
        "axes",
        "zicht.store",
        "zicht.web",
    ],
    "MIDDLEWARE": [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "zicht.web.middleware.AccessLog",
        "zicht.web.middleware.NothingKept",
        "zicht.web.middleware.NoNulCharacter",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "zicht.web.middleware.LoginLasts",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "csp.middleware.CSPMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    ],
    "ROOT_URLCONF": "zicht.web.urls",
    "TEMPLATES": [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                    "zicht.web.roles.context",
                ]
            },
        }
    ],
    "STATIC_URL": "/static/",
    "WHITENOISE_USE_FINDERS": True,
    "WHITENOISE_AUTOREFRESH": False,
    "MESSAGE_STORAGE": "django.contrib.messages.storage.session.SessionStorage",
    "USE_TZ": False,
    "LANGUAGE_CODE": "nl",
    "USE_I18N": True,
    "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
}

ACCOUNTS: dict[str, Any] = {  # who may log in, with what password, for how long; the login lockout
    "AUTHENTICATION_BACKENDS": ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"],
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.Argon2PasswordHasher"],
    "AUTH_PASSWORD_VALIDATORS": [  # every one that fails is named; Django's in Dutch by LANGUAGE_CODE
        {"NAME": "zicht.store.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # Django's, in Dutch
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        {"NAME": "zicht.store.passwords.CommonVariantValidator"},  # Dutch ones too, and wachtwoord12
        {"NAME": "zicht.store.passwords.RepetitionValidator", "OPTIONS": {"min_distinct": 5}},
    ],
    "LOGIN_URL": "login",
    "LOGIN_REDIRECT_URL": "queue",
    "SESSION_COOKIE_AGE": SESSION_HOURS * 3600,
    "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Strict",
    "AXES_FAILURE_LIMIT": LOGIN_FAILURES,
    "AXES_COOLOFF_TIME": COOLOFF_MINUTES / 60,
    "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
    "AXES_LOCKOUT_TEMPLATE": "web/locked.html",
    "AXES_RESET_ON_SUCCESS": True,
    "AXES_VERBOSE": False,
}

BROWSER: dict[str, Any] = {  # what the browser may do with a page: cookies, framing, scripts, referrers
    "CSRF_COOKIE_SAMESITE": "Strict",
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "same-origin",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    "X_FRAME_OPTIONS": "DENY",
    "CONTENT_SECURITY_POLICY": {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    },
}


def django_settings(directory: Path, database: dict[str, Any], secret: bytes) -> dict[str, Any]:
    """Every setting of the one Django project, for this folder's database, secret and log."""
    return {
        **APPLICATION,
        **ACCOUNTS,
        **BROWSER,
        "DATABASES": {"default": database},
        "SECRET_KEY": hmac.new(secret, b"zicht web sessions", hashlib.sha256).hexdigest(),
        "LOGGING": _logging(directory),
    }


def _logging(directory: Path) -> dict[str, Any]:
    """Server logs: one line per request (method, path without its query, status, user, time), never a
    body. Django's own warnings may quote what a request held: those are redacted as a chat is."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": "zicht.web.logs.OneLine", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "filters": {"redacted": {"()": "zicht.privacy.redaction.RedactingFilter"}},
        "handlers": {
            "file": {"class": "logging.FileHandler", "filename": str(directory / "workbench.log"), "formatter": "line"},
            "redacted": {
                "class": "logging.FileHandler",
                "filename": str(directory / "workbench.log"),
                "formatter": "line",
                "filters": ["redacted"],
            },
        },
        "loggers": {
            "zicht.web": {"handlers": ["file"], "level": "INFO"},
            "django": {"handlers": ["redacted"], "level": "WARNING"},
            "axes": {"handlers": ["file"], "level": "WARNING"},
        },
    }
