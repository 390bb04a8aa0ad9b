"""Password rules Django lacks: common Dutch passwords and their variants, and repetition.

Django's CommonPasswordValidator only refuses a password that is on its (English) list as it
stands, so `wachtwoord12`, `Welkom01Welkom01` and `W4chtw00rd!` pass, and so do twelve spaces.
These validators sit beside Django's in AUTH_PASSWORD_VALIDATORS (zicht.store.settings), which
every new account passes (zicht.store.accounts); their messages are Dutch, as the workbench is, and
English for the command line (`zicht.store.wording`).
Django's own come out in Dutch through LANGUAGE_CODE "nl", all but the minimum length's:
Django 5.2 changed its wording and the Dutch catalogue still has the old one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from importlib import resources

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from zicht.store.wording import said

DUTCH_LIST = "common-passwords-nl.txt"
SHORTEST_WORD = 3  # a variant shorter than this says nothing: `xy` is left of many a random password
_LEET = str.maketrans("013457@$!", "oieastasi")


@functools.cache
def known_passwords() -> frozenset[str]:
    """zicht's Dutch list and Django's, read once per process: a table of knowledge, not code."""
    text = (resources.files("zicht.store") / "data" / DUTCH_LIST).read_text("utf-8")
    dutch = {_folded(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(dutch) | _django_list()


@functools.cache
def _django_list() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _trimmed(text: str) -> str:
    """Without the digits, signs and spaces around it: `wachtwoord12!` is `wachtwoord`."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)


def _squashed(text: str) -> str:
    """Without spaces and signs inside: `ik hou van jou` is `ikhouvanjou`."""
    return re.sub(r"[\W_]+", "", text)


def repeated_part(text: str) -> str | None:
    """The shortest part that `text` is two or more times over (`abab` → `ab`), or None."""
    at = (text + text).find(text, 1)
    return text[:at] if 0 < at < len(text) else None


def _unrepeated(text: str) -> str:
    return repeated_part(text) or text


_STEPS: tuple[Callable[[str], str], ...] = (_trimmed, _squashed, _unrepeated, lambda t: t.translate(_LEET))


def variants(password: str) -> set[str]:
    """Every form a guesser would try first: lower case, trimmed, squashed, unrepeated, un-leet, in any order."""
    forms = {_folded(password)}
    while more := {step(form) for form in forms for step in _STEPS} - forms:
        forms |= more
    return forms


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Dutch (Django 5.2's Dutch catalogue misses it)."""

    def get_error_message(self) -> str:
        return said(
            f"Dit wachtwoord is te kort: het moet minstens {self.min_length} tekens hebben.",
            f"This password is too short: it must have at least {self.min_length} characters.",
        )

    def get_help_text(self) -> str:
        return f"Uw wachtwoord moet minstens {self.min_length} tekens hebben."


class CommonVariantValidator:
    """A common password (Dutch or Django's) refused also with digits or signs around it, repeated or in leet."""

    def validate(self, password: str, user: object | None = None) -> None:
        if password.lower().strip() in _django_list():
            return  # Django's CommonPasswordValidator says so: one message, not two
        known = known_passwords()
        if any(len(v) >= SHORTEST_WORD and v in known for v in variants(password)):
            raise ValidationError(
                said(
                    "Dit wachtwoord is een veelgebruikt woord of wachtwoord, hooguit met cijfers of tekens erbij, "
                    "herhaald of met cijfers voor letters. Zulke wachtwoorden worden als eerste geraden.",
                    "This password is a common word or password, with at most digits or signs around it, repeated, "
                    "or with digits for letters. Such passwords are guessed first.",
                ),
                code="password_common_variant",
            )

    def get_help_text(self) -> str:
        return "Uw wachtwoord mag geen veelgebruikt woord zijn, ook niet met cijfers of tekens erbij of herhaald."


class RepetitionValidator:
    """One character repeated (twelve spaces too), very few distinct characters, or one part repeated."""

    def __init__(self, min_distinct: int = 5) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: object | None = None) -> None:
        folded = _folded(password)
        distinct = len(set(folded))
        if not folded:
            return  # the minimum length says so
        if distinct == 1:
            what = said("alleen spaties", "only spaces") if folded.isspace() else said("één teken, herhaald", "one character, repeated")
            raise ValidationError(said(f"Dit wachtwoord is {what}.", f"This password is {what}."), code="password_one_character")
        if distinct < self.min_distinct:
            raise ValidationError(
                said(
                    f"Dit wachtwoord heeft maar {distinct} verschillende tekens; gebruik er minstens {self.min_distinct}.",
                    f"This password has only {distinct} different characters; use at least {self.min_distinct}.",
                ),
                code="password_few_characters",
            )
        if repeated_part(folded):
            raise ValidationError(
                said(
                    "Dit wachtwoord is één stuk, herhaald; herhalen maakt een wachtwoord niet sterker.",
                    "This password is one part, repeated; repeating does not make a password stronger.",
                ),
                code="password_repeated_part",
            )

    def get_help_text(self) -> str:
        return f"Uw wachtwoord moet minstens {self.min_distinct} verschillende tekens hebben en mag geen herhaald stuk zijn."
