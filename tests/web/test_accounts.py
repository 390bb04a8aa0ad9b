"""Accounts: weak passwords and misleading names are refused, on the users page and in `zicht user add`
(both call accounts.add_account), each with a Dutch message that says what is wrong."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.web.conftest import PASSWORD, Workbench

WEAK = [  # the examples, then variants a guesser tries first; with the reason the page gives
    ("dirk", " " * 12, "alleen spaties"),
    ("dirk", "aaaaaaaaaaaa", "één teken, herhaald"),
    ("dirk", "wachtwoord12", "veelgebruikt woord"),
    ("dirk", "Welkom01Welkom01", "veelgebruikt woord"),
    ("marijkevdberg", "marijkevdberg", "lijkt te veel op de gebruikersnaam"),
    ("dirk", "W4chtw00rd!2024", "veelgebruikt woord"),
    ("dirk", "Feyenoord1908!", "veelgebruikt woord"),
    ("dirk", "ik hou van jou 2", "veelgebruikt woord"),
    ("dirk", "abababababab", "maar 2 verschillende tekens"),
    ("dirk", "kort", "te kort: het moet minstens 12 tekens"),
]


def _add(client: Any, name: str, password: str = PASSWORD, role: str = "researcher") -> str:
    """The users page after adding an account, with its message."""
    response = client.post(reverse("users"), {"action": "add", "username": name, "password": password, "role": role}, follow=True)
    return str(response.content.decode())


@pytest.mark.parametrize(("name", "password", "reason"), WEAK, ids=[repr(p) for _, p, _ in WEAK])
def test_the_users_page_refuses_a_weak_password_and_says_why(as_user: Any, name: str, password: str, reason: str) -> None:
    from django.contrib.auth import get_user_model

    page = _add(as_user("anna"), name, password)
    assert not get_user_model().objects.filter(username=name).exists()
    assert reason in page


def test_every_password_message_is_dutch(workbench: Workbench) -> None:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from zicht.store.accounts import add_user

    with pytest.raises(ValidationError) as refused:
        add_user("dirk", "1234", "reader")  # too short, too common, only digits, too few characters
    messages = refused.value.messages
    assert len(messages) == 4
    assert all("wachtwoord" in m.lower() and "password" not in m.lower() for m in messages), messages
    assert not get_user_model().objects.filter(username="dirk").exists()


def test_a_passphrase_passes_where_a_common_word_with_digits_does_not(workbench: Workbench) -> None:
    from django.core.exceptions import ValidationError

    from zicht.store.accounts import add_user, role_of

    with pytest.raises(ValidationError):
        add_user("dirk", "voetbal2024!!", "reader")
    dirk = add_user("dirk", "fiets paraplu kompas 7", "reader")
    assert role_of(dirk).id == "reader"


BAD_NAMES = [
    ("x" * 300, "300 tekens lang"),
    ("a\x07b", "stuurteken (U+0007)"),  # a NUL never reaches the form (test_hostile)
    ("<b>vet</b>", "tekens die niet mogen"),
    ("coord\u200b", "onzichtbaar teken (U+200B ZERO WIDTH SPACE)"),
    ("an na", "spatie"),
    ("\u0430nna", "ander schrift dan het Latijnse"),  # a Cyrillic а: looks like anna
    ("-anna", "begint met"),
    ("Anna", "bestaat al"),  # anna is there already
]


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES, ids=[repr(n[:12]) for n, _ in BAD_NAMES])
def test_the_users_page_refuses_a_misleading_name_and_says_why(as_user: Any, name: str, reason: str) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    before = users.count()
    page = _add(as_user("anna"), name)
    assert users.count() == before
    assert reason in page


def test_a_name_is_stored_as_the_login_form_reads_it(workbench: Workbench) -> None:
    from django.test import Client

    from zicht.store.accounts import add_user

    user = add_user("ｄｉｒｋ", PASSWORD, "reader")  # full-width letters, as some keyboards type them
    assert user.get_username() == "dirk"
    typed = Client().post(reverse("login"), {"username": "ｄｉｒｋ", "password": PASSWORD})
    assert typed.status_code == 302  # logged in
    with pytest.raises(ValueError, match="bestaat al"):
        add_user("DIRK", PASSWORD, "reader")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10),
    st.characters(categories=["Cc", "Cf"]),
    st.text("abcdefghijklmnopqrstuvwxyz", max_size=10),
)
def test_any_name_with_a_control_or_invisible_character_is_refused(workbench: Workbench, head: str, odd: str, tail: str) -> None:
    from zicht.store.accounts import add_user

    with pytest.raises(ValueError, match=f"(stuurteken|onzichtbaar teken) \\(U\\+{ord(odd):04X}"):
        add_user(head + odd + tail, PASSWORD, "reader")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_a_name_that_passes_is_short_visible_latin_and_new(workbench: Workbench, name: str) -> None:
    from zicht.store.accounts import NAME_LENGTH, checked_name

    try:
        stored = checked_name(name, taken=["anna"])
    except ValueError as e:
        assert "gebruikersnaam" in str(e)
        return
    assert stored == unicodedata.normalize("NFKC", stored) and 0 < len(stored) <= NAME_LENGTH
    assert stored[0].isalnum() and stored.casefold() != "anna"
    for c in stored:
        assert c in "._-" or "0" <= c <= "9" or unicodedata.name(c).startswith("LATIN "), repr(c)


def test_adding_an_account_is_recorded_and_every_refusal_is_one_error(workbench: Workbench) -> None:
    from django.contrib.auth import get_user_model

    from zicht.errors import AccountRefused
    from zicht.store import models
    from zicht.store.accounts import add_account

    with pytest.raises(AccountRefused, match="te kort"):  # Django's ValidationError, as its message
        add_account("dirk", "kort", "reader", "anna")
    with pytest.raises(AccountRefused, match="onbekende rol"):
        add_account("dirk", PASSWORD, "admin", "anna")
    assert not get_user_model().objects.filter(username="dirk").exists()
    assert add_account("ｄｉｒｋ", PASSWORD, "reader", "anna").get_username() == "dirk"
    event = models.Event.objects.filter(action="user_add").latest("id")
    assert (event.user, event.new) == ("anna", {"user": "dirk", "role": "reader"})
