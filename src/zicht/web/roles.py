"""Who may do what, checked first in every view: each view declares its roles (zicht.store.accounts holds them)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from zicht.store.accounts import role_of
from zicht.store.roles import ROLES

View = Callable[..., HttpResponse]


def allow(*roles: str) -> Callable[[View], View]:
    """The view answers only these roles: anonymous users go to the login page, others get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")  # a view's own mistake, found when it is imported

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            role = role_of(request.user)
            if role is None and not request.user.is_authenticated:
                return redirect(f"/login/?next={request.path}")
            if role is None or role.id not in roles:
                raise PermissionDenied
            request.role = role  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        checked.allowed_roles = roles  # type: ignore[attr-defined]
        return checked

    return decorate


def context(request: HttpRequest) -> dict[str, Any]:
    """Every template knows the user's role, to show only what the role may use."""
    return {"role": role_of(request.user) if hasattr(request, "user") else None}
