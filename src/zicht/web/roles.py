"""Who may do what. Every view declares its roles; a user holds exactly one role (a Django group)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@dataclass(frozen=True)
class Role:
    id: str
    label: str  # Dutch, as users read it
    sees_transcripts: bool
    sees_identifiers: bool  # names, places and schools in the transcript; numbers are never stored


COORDINATOR = Role("coordinator", "coördinator", sees_transcripts=True, sees_identifiers=True)
RESEARCHER = Role("researcher", "onderzoeker", sees_transcripts=True, sees_identifiers=False)
READER = Role("reader", "lezer", sees_transcripts=False, sees_identifiers=False)
ROLES = {r.id: r for r in (COORDINATOR, RESEARCHER, READER)}
EVERYONE = tuple(ROLES)
CODERS = (COORDINATOR.id, RESEARCHER.id)

View = Callable[..., HttpResponse]


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    if not user.is_authenticated:
        return None
    names = getattr(user, "_zicht_roles", None)
    if names is None:
        names = [g.name for g in user.groups.all()]  # type: ignore[union-attr]
        user._zicht_roles = names  # type: ignore[union-attr]
    return next((ROLES[n] for n in names if n in ROLES), None)


def allow(*roles: str) -> Callable[[View], View]:
    """The view answers only these roles: anonymous users go to the login page, others get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

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


def set_role(user: Any, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (known: {', '.join(ROLES)})")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.set([group])


def add_user(name: str, password: str, role: str) -> object:
    """A new account with a checked password and one role (the CLI's `zicht user add` uses this too)."""
    User = get_user_model()
    if role not in ROLES:
        raise ValueError(f"onbekende rol {role!r} (rollen: {', '.join(ROLES)})")
    if not name or User.objects.filter(username=name).exists():
        raise ValueError(f"de gebruikersnaam {name!r} is leeg of bestaat al")
    user = User(username=name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_role(user, role)
    return user


def context(request: HttpRequest) -> dict[str, Any]:
    return {"role": role_of(request.user) if hasattr(request, "user") else None}
