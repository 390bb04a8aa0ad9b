"""What every response of the workbench shares: its log line, what the browser may keep, and how long a login lasts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from zicht.store.settings import SESSION_HOURS
from zicht.web.logs import printable

log = logging.getLogger("zicht.web")

Handler = Callable[[HttpRequest], HttpResponse]
LOGIN_AT = "zicht_login_at"  # seconds since the epoch, set once when the password was given


class AccessLog:
    """One log line per request: method, path, status, user and server time; never a request body or query."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        ms = (time.perf_counter() - start) * 1000
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        response["Server-Timing"] = f"app;dur={ms:.1f}"
        log.info("%s %s %s %s %.1fms", printable(request.method or "-"), printable(request.path), response.status_code,
                 printable(name), ms)  # fmt: skip
        return response


class NothingKept:
    """Every page may hold chat text or codes: the browser keeps none of it, on disk or in its history.

    The static files (served before this, by WhiteNoise) are the only responses a browser may cache.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Pragma"] = "no-cache"  # for HTTP/1.0 caches
        return response


class NoNulCharacter:
    """A request whose address, search or form holds a NUL character is refused before any view reads it.

    No export or keyboard sends one, and PostgreSQL refuses it in text: passed on, it would end in
    a server error instead of a page that says what went wrong (400.html).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = (request.GET, request.POST) if request.method == "POST" else (request.GET,)
        sent = [request.path, *(text for field in fields for key, values in field.lists() for text in (key, *values))]
        if any("\0" in text for text in sent):
            raise BadRequest("a NUL character in the request")
        return self.get_response(request)


@receiver(user_logged_in)
def remember_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()


class LoginLasts:
    """A login lasts SESSION_HOURS from the moment the password was given, however busy the user is.

    Django's own expiry is counted from the last time the session was saved, and every flash message
    saves it, so on its own it never ends while someone works.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            since = request.session.get(LOGIN_AT)
            if not isinstance(since, (int, float)) or time.time() - since > SESSION_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
