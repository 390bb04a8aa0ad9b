"""Suggestions for every variable a chat states, with the words they rest on: the three cases of the 2020 report."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from zicht.codebook import load_codebook
from zicht.coding import Suggestion, as_case, suggest
from zicht.knowledge import suggestion_rules
from zicht.transcripts.model import Conversation, Message

BOOK = load_codebook("nl-2020")
SECRET = b"s" * 32
NOVEMBER = dt.datetime(2020, 11, 10, 21, 0)

# The case descriptions of the 2020 report (3.1 and 3.2), as one long message in the third person.
LOCKED_IN = (
    "Een zestienjarig meisje vertelt in november op de chat dat haar vriend haar heeft opgesloten op haar kamer nadat hij haar "
    "heeft mishandeld. Door de mishandeling heeft ze veel pijn. Ze vertelt dat haar vriend haar dwingt tot seks met andere "
    "mannen en dat hij hier beeldmateriaal van heeft gemaakt. Hierdoor durft ze, als dat al zou kunnen, niet zomaar weg te "
    "gaan uit het huis waarin ze is opgesloten. Ze is bang dat deze videobeelden worden verspreid. Bovendien heeft ze tijdens "
    "een ruzie gezien dat hij een wapen bezit."
)
MOTHER = (
    "In de zomer van 2020 komt er een minderjarig meisje op de chat met de boodschap dat ze het thuis niet fijn heeft. Haar "
    "moeder dwingt haar namelijk tot het maken van naaktfoto's. Daarnaast nodigt zij soms mannen thuis uit die haar aanraken "
    "en waarmee ze seksuele handelingen moet verrichten. Hoewel ze in verband met andere problematiek regelmatig in contact "
    "staat met hulpverlening, durft ze over haar moeder vanwege schaamte al jarenlang niets te zeggen. Op de chat vertelt ze "
    "hier voor de allereerste keer over."
)
DEALING = (
    "In het najaar komt er een minderjarige jongen op de chat. Hij vertelt dat hij sinds een tijdje weer contact heeft met "
    "jongens met wie hij vroeger bevriend was. Met deze groep jongens blowt hij zo nu en dan. De jongen krijgt de wiet en hasj "
    "van de groep, omdat hij dit wegens zijn leeftijd niet zelf kan aanschaffen bij een coffeeshop. De jongen geeft aan dat de "
    "groep hem sinds kort dwingt tot het dealen van drugs, als tegenprestatie voor de wiet en hasj die hij van hen krijgt. De "
    "jongen vertelt dat hij heeft aangegeven dit niet te willen doen, maar dat dit resulteerde in een grote ruzie. De jongens "
    "accepteren het niet wanneer hij weigert en zetten hem onder druk met fysiek geweld. De jongen vertelt dat de groep hem de "
    "volgende keuze geeft: luisteren naar de groep of 'ze linken hem erbij', waarmee hij bedoelt dat groep de jongen wil "
    "verraden bij de politie. De jongen heeft een deel van zijn verhaal al eens aan een kennis verteld, maar durft op de chat "
    "pas zijn hele verhaal te delen."
)


def chat(*turns: str, day: dt.datetime = NOVEMBER) -> Conversation:
    """Visitor turns; a turn starting with 'C: ' is the counsellor's."""
    messages = tuple(
        Message(day + dt.timedelta(minutes=i), "counsellor" if t.startswith("C: ") else "visitor", t.removeprefix("C: "))
        for i, t in enumerate(turns)
    )
    return Conversation("C1", "visitor", "fier", day, True, messages)


def _stated(suggestions: dict[str, Suggestion], expected: dict[str, object]) -> None:
    for variable, value in expected.items():
        got = suggestions[variable].value
        if isinstance(value, set):
            assert isinstance(got, frozenset) and value <= got, f"{variable}: {got}"
        else:
            assert got == value, f"{variable}: {got!r}, not {value!r}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            LOCKED_IN,
            {
                "about_trafficking": "yes", "visitor_role": "victim", "form": frozenset({"sexual"}), "victim_gender": "female",
                "victim_age": 16, "perpetrator": "partner", "acute_unsafe": "yes", "coercion": {"violence", "sextortion"},
                "sexual_modality": frozenset({"physical"}),
            },
        ),
        (
            MOTHER,
            {
                "about_trafficking": "yes", "form": frozenset({"sexual"}), "victim_gender": "female", "perpetrator": "family",
                "family_perpetrator": "mother", "first_disclosure": "yes", "duration": "gt_2y",
            },
        ),
        (
            DEALING,
            {
                "about_trafficking": "yes", "form": frozenset({"criminal"}), "criminal_acts": frozenset({"drugs"}),
                "victim_gender": "male", "perpetrator": "social", "multiple_perpetrators": True, "coercion": {"violence"},
                "duration": "lt_3m", "first_disclosure": "no", "told_before": frozenset({"social"}),
            },
        ),
    ],
    ids=["locked-in-by-her-boyfriend", "exploited-by-her-mother", "forced-to-deal-drugs"],
)  # fmt: skip
def test_the_reports_cases_told_in_the_third_person_are_coded_on_every_variable_they_state(text: str, expected: dict[str, object]) -> None:
    suggestions = suggest([chat(text)], BOOK, SECRET)
    _stated(suggestions, expected)
    read_from_silence = {v for v, how in suggestion_rules().variables.items() if how.default is not None}  # "victim", "physical"
    for variable in set(expected) - read_from_silence:
        s = suggestions[variable]
        assert s.confidence > 0.5 and s.evidence, f"{variable}: what it rests on"
        span = s.evidence[0]
        assert 0 <= span.start < span.end <= len(chat(text).messages[span.message].text)


@pytest.mark.parametrize(
    ("text", "variable", "cues"),
    [
        (LOCKED_IN, "victim_age", {"zestienjarig"}),
        (LOCKED_IN, "perpetrator", {"haar vriend"}),
        (LOCKED_IN, "acute_unsafe", {"opgesloten"}),
        (LOCKED_IN, "coercion", {"opgesloten", "beeldmateriaal"}),  # violence and sextortion, each its own words
        (MOTHER, "family_perpetrator", {"Haar moeder"}),
        (MOTHER, "duration", {"jarenlang"}),
        (MOTHER, "first_disclosure", {"voor de allereerste keer"}),
        (DEALING, "multiple_perpetrators", {"groep jongens"}),
        (DEALING, "duration", {"sinds kort"}),
    ],
)
def test_a_suggestion_lights_the_words_it_rests_on(text: str, variable: str, cues: set[str]) -> None:
    spans = suggest([chat(text)], BOOK, SECRET)[variable].evidence
    assert {text[s.start : s.end] for s in spans} == cues


def test_an_age_answered_in_a_word_lights_that_word() -> None:
    turns = ("hoi", "C: Hoe oud ben je?", "zestien", "mijn vriendje dwingt me met mannen te slapen", "hij slaat me als ik nee zeg")
    conversation = chat(*turns)
    s = suggest([conversation], BOOK, SECRET)
    lit = {v: [conversation.messages[e.message].text[e.start : e.end] for e in s[v].evidence] for v in ("victim_age", "coercion")}
    assert lit == {"victim_age": ["zestien"], "coercion": ["slaat"]}


def test_the_first_case_told_by_the_girl_herself_over_several_turns() -> None:
    turns = (
        "hoi", "C: Hoi, waar wil je het over hebben?", "mn vriend heeft me opgesloten op mn kamer", "hij heeft me in elkaar geslagen",
        "hij dwingt me om seks te hebben met andere mannen en hij heeft er filmpjes van gemaakt",
        "C: Hoe oud ben je?", "zestien", "ik ben bang dat hij de filmpjes rondstuurt", "ik kan niet weg",
    )  # fmt: skip
    _stated(
        suggest([chat(*turns)], BOOK, SECRET),
        {
            "about_trafficking": "yes", "visitor_role": "victim", "form": frozenset({"sexual"}), "victim_age": 16,
            "perpetrator": "partner", "acute_unsafe": "yes", "coercion": {"violence"},
        },
    )  # fmt: skip


def test_a_mother_about_her_daughter_gives_the_daughters_age_not_her_own() -> None:
    turns = ("ik ben 42 en ik maak me zorgen om mijn dochter", "ze is 14", "ze moet van haar vriend met mannen naar bed")
    s = suggest([chat(*turns)], BOOK, SECRET)
    _stated(s, {"visitor_role": "family", "victim_age": 14, "victim_gender": "female", "form": frozenset({"sexual"})})


@pytest.mark.parametrize(
    ("text", "violence"),
    [
        ("hij slaat me als ik niet luister, hij laat me met mannen naar bed gaan", True),
        ("hij slaat me niet, maar ik moet wel met mannen naar bed", False),
        ("ik ben bang dat hij me gaat slaan. ik moet met mannen naar bed", False),
        ("er is geen geweld, ik moet alleen met mannen naar bed", False),
    ],
)
def test_a_denied_or_feared_act_is_not_coded(text: str, violence: bool) -> None:
    coercion = suggest([chat(text)], BOOK, SECRET)["coercion"].value
    assert ("violence" in (coercion or ())) is violence


def test_not_about_trafficking_is_a_suggestion_to_confirm_and_blanks_nothing_else() -> None:
    """The counsellor flagged it: the researcher may say yes, and then finds the rest suggested."""
    s = suggest([chat("ik ben 15 en ik ben verkracht op een feestje door een jongen van school")], BOOK, SECRET)
    assert (s["about_trafficking"].value, s["not_trafficking_reason"].value) == ("no", "sexual_violence")
    assert s["victim_age"].value == 15 and s["victim_age"].evidence, "kept for when the researcher sets the case to yes"
    assert s["family_perpetrator"].value is None, "what the other values rule out stays empty"
    saved = as_case("V1", s, BOOK, ["C1"]).values
    assert (saved["about_trafficking"], saved["not_trafficking_reason"], saved["victim_age"]) == ("no", "sexual_violence", None), (
        "as a case (the CSV, the statistics) it is coded as a coder would save it"
    )


def test_a_flag_says_about_trafficking_where_the_words_say_nothing_either_way() -> None:
    """Most flagged chats are (2020: 325 of 364); the words, where they speak, decide."""
    vague = chat("ik weet niet goed hoe ik het moet zeggen", "het is ingewikkeld thuis en met hem")
    flagged = suggest([vague], BOOK, SECRET)["about_trafficking"]
    assert (flagged.value, flagged.confidence, flagged.evidence) == ("yes", suggestion_rules().screening.flagged, ())
    assert suggest([replace(vague, flagged=False)], BOOK, SECRET)["about_trafficking"].value == "no"
    reason = suggest([chat("ik ben verkracht op een feestje door een jongen van school")], BOOK, SECRET)["about_trafficking"]
    assert reason.value == "no" and reason.evidence, "another reason in the words outweighs the flag"


def test_each_suggestion_says_which_reader_it_came_from() -> None:
    s = suggest([chat("ik ben 15", "ik moet met mannen naar bed voor hem")], BOOK, SECRET)
    assert {v: s[v].reader for v in ("victim_age", "form", "channel", "about_trafficking", "visitor_role", "platform")} == {
        "victim_age": "words",
        "form": "words",
        "channel": "chat",
        "about_trafficking": "words",
        "visitor_role": "codebook",  # the codebook's reading of silence: the visitor is the victim
        "platform": "",  # nothing suggested
    }
    assert suggest([chat("het is ingewikkeld")], BOOK, SECRET)["about_trafficking"].reader == "flag"


def test_silence_is_not_mentioned() -> None:
    quiet = suggest([chat("ik moet met mannen naar bed voor hem")], BOOK, SECRET)
    assert quiet["victim_age"].value is None and quiet["victim_age"].confidence == 0.0


def test_a_later_chat_fills_in_what_the_first_left_out() -> None:
    first = chat("ik moet met mannen naar bed van mijn vriend")
    weeks_later = NOVEMBER + dt.timedelta(days=20)
    later = Conversation("C2", "other", "fier", weeks_later, True, (Message(weeks_later, "visitor", "ik ben 15 trouwens"),))
    s = suggest([later, first], BOOK, SECRET)
    assert (s["victim_age"].value, s["perpetrator"].value) == (15, "partner")
    assert s["victim_age"].evidence[0].conversation_id == "C2" and s["first_chat"].value == NOVEMBER.date()


def test_the_victims_gender_said_outright_comes_before_the_words_used_for_others_like_them() -> None:
    said_of_others = "hij zegt dat jonge meisjes het meest opleveren"
    implied = suggest([chat(said_of_others)], BOOK, SECRET)["victim_gender"]
    assert implied.value == "female" and [said_of_others[e.start : e.end] for e in implied.evidence] == ["meisjes"]
    said = suggest([chat("er zijn nog meer meisjes", "C: Ben je een jongen of een meisje?", "jongen")], BOOK, SECRET)["victim_gender"]
    assert said.value == "male", "the visitor's own answer, in a later message, outweighs the girls they speak of"
