"""One log line per request: method, path, status, user and server time; never a request body."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("zicht.web")


class AccessLog:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        ms = (time.perf_counter() - start) * 1000
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        response["Server-Timing"] = f"app;dur={ms:.1f}"
        log.info("%s %s %s %s %.1fms", request.method, request.path, response.status_code, name, ms)
        return response
