"""The workbench's accounts: who holds which role, and which names and passwords an account may have.

A user holds exactly one role (a Django group); the roles themselves are plain data (`roles.py`).
The functions need Django set up, as the store does.
The web checks them in its views (zicht.web.roles.allow); the CLI's `zicht user add` and the
users page both add an account through `add_account`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from zicht.errors import AccountRefused
from zicht.store.roles import ROLES, Role
from zicht.store.wording import said

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def any_account() -> bool:
    """Whether anyone can log in yet (`zicht serve` says how to add the first)."""
    return bool(get_user_model().objects.exists())


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The user's role, read once per user object (a view asks it several times)."""
    if not user.is_authenticated:
        return None
    names = getattr(user, "_zicht_roles", None)
    if names is None:
        names = [g.name for g in user.groups.all()]  # type: ignore[union-attr]
        user._zicht_roles = names  # type: ignore[union-attr]
    return next((ROLES[n] for n in names if n in ROLES), None)


def set_role(user: Any, role: str) -> None:
    """Give the user this role instead of any other: one role each, so a view need not weigh two."""
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise AccountRefused(_unknown_role(role))
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.set([group])


def add_account(name: str, password: str, role: str, by: str, language: str = "nl") -> AbstractBaseUser:
    """A new account, recorded in the audit trail as added `by` someone: the users page and `zicht user add`.

    Every refusal is an AccountRefused whose message says all that is wrong (the password
    validators' messages joined), in `language`: Dutch for the workbench, English for the command line.
    """
    from zicht.store import audit

    with translation.override(language), transaction.atomic():
        try:
            user = add_user(name, password, role)
        except ValidationError as e:
            raise AccountRefused(" ".join(e.messages)) from None
        audit.account_added(by, user.get_username(), role).save()  # the name as stored (NFKC)
    return user


def add_user(name: str, password: str, role: str) -> AbstractBaseUser:
    """A new account with a checked name and password and one role, not recorded (`add_account` records it).

    The name is stored NFKC-normalised, as Django's login form reads what is typed: ask the
    returned user for its name, not the one given. A weak password is Django's ValidationError,
    with every validator's message."""
    User = get_user_model()
    if role not in ROLES:
        raise AccountRefused(_unknown_role(role))
    name = checked_name(name, User.objects.values_list("username", flat=True))
    user = User(username=name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_role(user, role)
    return user


def _unknown_role(role: str) -> str:
    known = ", ".join(ROLES)
    return said(f"onbekende rol {role!r} (rollen: {known})", f"unknown role {role!r} (known: {known})")


NAME_LENGTH = 40
NAME_SIGNS = "._-"
NAME_RULE = (
    f"Een gebruikersnaam heeft hooguit {NAME_LENGTH} tekens: letters, cijfers, punt (.), liggend streepje (_) "
    "en koppelteken (-), en begint met een letter of cijfer."
)
NAME_RULE_EN = (
    f"A user name has at most {NAME_LENGTH} characters: letters, digits, full stop (.), underscore (_) "
    "and hyphen (-), and starts with a letter or digit."
)


def checked_name(name: str, taken: Iterable[str] = ()) -> str:
    """The name as it will be stored, or an AccountRefused naming everything wrong with it.

    A name is read in the audit trail and its CSV, so it must look like what it is: `coord` and a
    zero-width space must not pass for `coord`, nor `аnna` (a Cyrillic а) for `anna`, nor `Anna` be a second `anna`.
    Hence Latin letters only (é and ë included), and no invisible, control or space characters."""
    normal = unicodedata.normalize("NFKC", name)
    problems = _bad_characters(normal)
    if not normal:
        problems.append(said("hij is leeg", "it is empty"))
    if len(normal) > NAME_LENGTH:
        problems.append(said(f"hij is {len(normal)} tekens lang", f"it is {len(normal)} characters long"))
    if normal and normal[0] in NAME_SIGNS:
        problems.append(said(f"hij begint met {normal[0]!r}", f"it starts with {normal[0]!r}"))
    shown = repr(normal[:NAME_LENGTH]) + ("…" if len(normal) > NAME_LENGTH else "")
    if problems:
        raise AccountRefused(said(f"De gebruikersnaam {shown} kan niet: {'; '.join(problems)}. {NAME_RULE}",
                                  f"The user name {shown} cannot be: {'; '.join(problems)}. {NAME_RULE_EN}"))  # fmt: skip
    same = next((t for t in taken if _name_key(t) == _name_key(normal)), None)
    if same is not None:
        also = "." if same == normal else f" ({said('als', 'as')} {same!r})."
        raise AccountRefused(said(f"De gebruikersnaam {shown} bestaat al", f"The user name {shown} is taken already") + also)
    return normal


def _name_key(name: str) -> str:
    """Two names are one if they differ only in case or in how their characters are encoded."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


_KINDS = {  # what a refused character is, said once and for several, in Dutch and in English
    "control": ("een stuurteken", "stuurtekens", "a control character", "control characters"),
    "invisible": ("een onzichtbaar teken", "onzichtbare tekens", "an invisible character", "invisible characters"),
    "space": ("een spatie of ander wit", "spaties of ander wit", "a space or other white", "spaces or other white"),
    "script": ("een letter uit een ander schrift dan het Latijnse", "letters uit een ander schrift dan het Latijnse",
               "a letter of another script than the Latin", "letters of another script than the Latin"),
    "other": ("een teken dat niet mag", "tekens die niet mogen", "a character that is not allowed", "characters that are not allowed"),
}  # fmt: skip


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
    return [
        said(f"hij bevat {_KINDS[k][several]} ({shown})", f"it holds {_KINDS[k][2 + several]} ({shown})")
        for k, chars in found.items()
        for several, shown in [(len(chars) > 1, ", ".join(chars))]
    ]


def change_role(user: Any, role: str, by: str) -> None:
    """Another role for an account, with its audit record."""
    from zicht.store import audit

    with transaction.atomic():
        set_role(user, role)
        audit.role_changed(by, user.get_username(), role).save()


def close_account(user: Any, by: str) -> None:
    """No more logins for this account; its codes and events stay, and so does its name."""
    from zicht.store import audit

    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.account_closed(by, user.get_username()).save()


def role_named(name: str) -> Role | None:
    """The role of the account called `name`; None when there is no such account."""
    user = get_user_model().objects.filter(username=name).first()
    return role_of(user) if user is not None else None
