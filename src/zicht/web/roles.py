"""Who may do what. Every view declares its roles; a user holds exactly one role (a Django group)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
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


def add_user(name: str, password: str, role: str) -> AbstractBaseUser:
    """A new account with a checked name and password and one role (the CLI's `zicht user add` uses this too).

    The name is stored NFKC-normalised, as Django's login form reads what is typed: ask the
    returned user for its name, not the one given."""
    User = get_user_model()
    if role not in ROLES:
        raise ValueError(f"onbekende rol {role!r} (rollen: {', '.join(ROLES)})")
    name = checked_name(name, User.objects.values_list("username", flat=True))
    user = User(username=name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_role(user, role)
    return user


NAME_LENGTH = 40
NAME_SIGNS = "._-"
NAME_RULE = (
    f"Een gebruikersnaam heeft hooguit {NAME_LENGTH} tekens: letters, cijfers, punt (.), liggend streepje (_) "
    "en koppelteken (-), en begint met een letter of cijfer."
)


def checked_name(name: str, taken: Iterable[str] = ()) -> str:
    """The name as it will be stored, or a ValueError naming everything wrong with it.

    A name is read in the audit trail and its CSV, so it must look like what it is: `coord` and a
    zero-width space must not pass for `coord`, nor `аnna` (a Cyrillic а) for `anna`, nor `Anna` be a second `anna`.
    Hence Latin letters only (é and ë included), and no invisible, control or space characters."""
    normal = unicodedata.normalize("NFKC", name)
    problems = _bad_characters(normal)
    if not normal:
        problems.append("hij is leeg")
    if len(normal) > NAME_LENGTH:
        problems.append(f"hij is {len(normal)} tekens lang")
    if normal and normal[0] in NAME_SIGNS:
        problems.append(f"hij begint met {normal[0]!r}")
    shown = repr(normal[:NAME_LENGTH]) + ("…" if len(normal) > NAME_LENGTH else "")
    if problems:
        raise ValueError(f"De gebruikersnaam {shown} kan niet: {'; '.join(problems)}. {NAME_RULE}")
    same = next((t for t in taken if _name_key(t) == _name_key(normal)), None)
    if same is not None:
        raise ValueError(f"De gebruikersnaam {shown} bestaat al" + ("." if same == normal else f" (als {same!r})."))
    return normal


def _name_key(name: str) -> str:
    """Two names are one if they differ only in case or in how their characters are encoded."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


_KINDS = {  # what a refused character is, said once and for several
    "control": ("een stuurteken", "stuurtekens"),
    "invisible": ("een onzichtbaar teken", "onzichtbare tekens"),
    "space": ("een spatie of ander wit", "spaties of ander wit"),
    "script": ("een letter uit een ander schrift dan het Latijnse", "letters uit een ander schrift dan het Latijnse"),
    "other": ("een teken dat niet mag", "tekens die niet mogen"),
}


def _bad_characters(name: str) -> list[str]:
    """What the name holds that it may not, by kind, each character shown so the user can find it."""
    found: dict[str, list[str]] = {}
    for c in dict.fromkeys(name):
        if c in NAME_SIGNS or "0" <= c <= "9" or (c.isalpha() and unicodedata.name(c, "").startswith("LATIN ")):
            continue
        category, code = unicodedata.category(c), f"U+{ord(c):04X}"
        if category == "Cc":
            kind, shown = "control", code
        elif category == "Cf":
            kind, shown = "invisible", f"{code} {unicodedata.name(c, '')}".strip()
        elif c.isspace() or category.startswith("Z"):
            kind, shown = "space", code
        else:
            kind, shown = ("script" if c.isalpha() else "other"), (f"{c!r} {code}" if c.isprintable() else code)
        found.setdefault(kind, []).append(shown)
    return [f"hij bevat {_KINDS[k][len(chars) > 1]} ({', '.join(chars)})" for k, chars in found.items()]


def context(request: HttpRequest) -> dict[str, Any]:
    return {"role": role_of(request.user) if hasattr(request, "user") else None}
