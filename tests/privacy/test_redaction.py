"""The one redaction: what the generator planted is hidden, ordinary words stay, nothing crashes it."""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.privacy.evaluate import redaction_recall
from zicht.privacy.normalise import readings
from zicht.privacy.redaction import Personal, RedactingFilter, find_personal, find_personal_in_chat, redact_stretches, redact_text
from zicht.synth import generate


@pytest.mark.parametrize("seed", [1, 2])
def test_regression_guard_on_synthetic_chats_the_planted_names_places_numbers_and_handles_are_hidden(seed: int) -> None:
    corpus = generate(2020, seed)
    recall = redaction_recall(corpus.conversations, corpus.truth)
    assert {k: recall.planted[k] > 50 for k in ("name", "place", "phone", "handle", "school")} == dict.fromkeys(recall.planted, True)
    assert {k: recall.of(k) >= 0.98 for k in recall.planted} == dict.fromkeys(recall.planted, True), recall.missed[:10]
    assert recall.ordinary_redacted <= 0.01 * recall.ordinary_words  # the counsellors name nobody


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("ik heet sanne en ik woon in zwolle, hij in Leiden", ["sanne", "zwolle", "Leiden"]),
        ("hij woont in bergen op zoom", ["bergen op zoom"]),
        ("hij heet daan_x12 op insta", ["daan_x12"]),
        ("stuur maar naar @lisa.official", ["lisa.official"]),
        ("zijn nummer is 06-12345678", ["12345678"]),
        ("bel me op +31 6 1234 5678", ["1234 5678"]),
        ("0612345678 is van hem", ["0612345678"]),
        ("ik zit op het Dalton College", ["Dalton College"]),
        ("hij rijdt in een auto met kenteken 12-abc-3", ["12-abc-3"]),
        ("Ik heet Sanne de Vries", ["Sanne de Vries"]),
        ("mail me op sanne2008@hotmail.com", ["sanne2008@hotmail.com"]),
        # What no list holds, found by its shape or by the words around it.
        ("hij woont in de hamsterwijk", ["hamsterwijk"]),
        ("we hangen rond in kleiwerven en bij de grotestraat", ["kleiwerven", "grotestraat"]),
        ("het was bij het plein in Zuiderhoven-Noord", ["Zuiderhoven-Noord"]),
        ("ze wacht bij station amersfoort schothorst", ["station amersfoort schothorst"]),
        ("in een hotel bij leeuwarden centraal", ["leeuwarden centraal"]),
        ("hij woont in amsterdam zuidoost", ["amsterdam zuidoost"]),
        ("ik sta voor de deur aan de Lindelaan", ["Lindelaan"]),
        ("zijn adres is Koningin Julianalaan", ["Koningin Julianalaan"]),
        ("ik zit op het bonifatius college in de 3e", ["bonifatius"]),
        ("we zaten samen op de waterlelie mavo", ["waterlelie"]),
        ("het was achter winkelcentrum de zwaluwhof", ["zwaluwhof"]),
        ("mn zusje heet roos en mn vriendin heet fleur", ["roos", "fleur"]),
        ("een vriendin van me, kim, zei het", ["kim"]),
        ("mijn mentor meneer van der berg weet het", ["van der berg"]),
        ("zijn snapnaam is bigballer.amsterdam", ["bigballer.amsterdam"]),
        ("hij stuurde iets vanaf xx_maddie_xx", ["xx_maddie_xx"]),
        ("mijn tiktok is lisa.2009 volg me", ["lisa.2009"]),
        ("ja ik blijf zn insta checken. jesse.vdb", ["jesse.vdb"]),  # a dot between parts that are not both words
        ("mn artiestennaam is lune.velvet", ["lune.velvet"]),
        ("we werken bij kwekerij Van Dalsum, ik ken haar van snackbar de smulhoek", ["Van Dalsum", "smulhoek"]),
        # Names that are also words, known by what stands before them.
        ("we wonen aan de wittevenstraat, hij aan de meeuwenplaats", ["wittevenstraat", "meeuwenplaats"]),
        ("we hingen rond in de meern", ["meern"]),
        ("we kregen les van meneer bakker", ["bakker"]),
        ("ik werk bij wasstraat de parel, zij bij snackbar de draaikolk", ["parel", "draaikolk"]),
        ("hij heet op snap kraai.boss en op marktplaats als kenzodeals", ["kraai.boss", "kenzodeals"]),
        ("ze kent hem van snapchat (rickyy.r). jmlxx_ heet ie", ["rickyy.r", "jmlxx_"]),
        ("de ergste is een meisje, jasmijn", ["jasmijn"]),
        ("ik geef les op een vmbo in Hoorn, De Pijlstaart, en ik maak me zorgen", ["De Pijlstaart"]),
        # A capital inside a sentence on a word no dictionary or list holds: a name.
        ("de man die het regelt noemen ze Brakkel, hij is ouder", ["Brakkel"]),
        ("ik zit op het Zonnewende in de 2e", ["Zonnewende"]),
        # The name others call someone; a school by who works there or its type; where from and to; a stop; a firm, group or site.
        ("nu slaap ik bij een man, iedereen noemt hem ome ferry", ["ferry"]),
        ("de man noemen ze Oom Rik.", ["Rik"]),
        ("mevrouw Tjoe-A-Fong weet het", ["Tjoe-A-Fong"]),
        ("ik ben bijna gezien door de conciërge van t wiltenburg", ["wiltenburg"]),
        ("ik zit nu in de brugklas op het lyceum noordkop in den helder", ["noordkop", "den helder"]),
        ("ze zit op t wolkenveld in meerveld", ["wolkenveld", "meerveld"]),
        ("we zijn verhuisd van breukhove naar mollerveen", ["breukhove", "mollerveen"]),
        ("dingen jatten in het centrum van halsterbroek", ["halsterbroek"]),
        ("pakketten wegbrengen naar assen en emmen", ["assen", "emmen"]),
        ("in een appartement in den bosch, de muntel", ["den bosch", "muntel"]),
        ("morgen moet ik weer, vanaf halte hoendiep-west", ["hoendiep"]),
        ("de man heet meneer costel. bureau heet flexa work", ["costel", "flexa work"]),
        ("alles gaat via een telegram groep, vipfeestjes heet die of zo", ["vipfeestjes"]),
        ("ze laat me filmpjes maken voor een site, fanvault. en", ["fanvault"]),
        ("ze zitten ook bij vv de zwaluwen in hoogkerk", ["zwaluwen", "hoogkerk"]),
        ("8 man in een caravan op park de hooge wei", ["hooge"]),
        # A name as a sentence of its own or after a little word, called 'm, stored in a phone; a place outside which.
        ("ik kwam terecht bij een man. joost. hij is 40", ["joost"]),
        ("wacht lotte appt net terug", ["lotte"]),
        ("iedereen noemt m barrie", ["barrie"]),
        ("in mn telefoon opgeslagen als 'Wolf'", ["Wolf"]),
        ("een feest in een schuur buiten wervershoof", ["wervershoof"]),
    ],
)
def test_what_chats_name_is_redacted(text: str, hidden: list[str]) -> None:
    redacted = redact_text(text)
    assert [h for h in hidden if h in redacted] == [], redacted
    assert "[" in redacted


def test_a_name_found_once_is_hidden_wherever_it_recurs_in_the_chat() -> None:
    chat = ["een vriendin van me, kim, nam me mee", "de mannen betalen kim en haar vriend", "kims vriend is 20", "ik ben moe"]
    shown = [_shown(text, found) for text, found in zip(chat, find_personal_in_chat(chat), strict=True)]
    assert shown == [
        "een vriendin van me, [naam], nam me mee",
        "de mannen betalen [naam] en haar vriend",
        "[naam] vriend is 20",
        "ik ben moe",
    ]
    assert redact_text(chat[1]) == chat[1]  # alone, the message names nobody it could know


def test_a_quoted_passage_hides_what_the_chat_names_elsewhere_and_all_of_a_name_it_cuts_through() -> None:
    chat = ["een vriendin van me, kim, nam me mee", "door corona komen de mannen nu bij kim thuis"]
    whole, cut = redact_stretches(chat, [(1, 0, len(chat[1])), (1, 5, 37)])
    assert whole == "door corona komen de mannen nu bij [naam] thuis"
    assert cut == "corona komen de mannen nu bij [naam]"  # the stretch ends inside "kim": none of it shows


def test_a_capitalised_name_no_list_holds_is_hidden_in_lower_case_too() -> None:
    chat = ["de man heet Brakkel, hij is ook roemeens", "brakkel zegt dat ik moet blijven"]
    assert [_shown(t, f) for t, f in zip(chat, find_personal_in_chat(chat), strict=True)] == [
        "de man heet [eigennaam], hij is ook roemeens",
        "[eigennaam] zegt dat ik moet blijven",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ik weet het niet. Brakkel is een rare naam",  # a capital that starts a sentence says nothing
        "hij komt uit Roemenië en spreekt Roemeens met zijn Bulgaarse vriend",  # countries and languages name nobody
        "ze zet het op Only Fans en zegt Sorry",  # English words in everyday use
        "volgens art. 273f Sr en het HR-arrest",  # abbreviations
    ],
)
def test_capitals_that_name_nobody_stay(text: str) -> None:
    assert [p for p in find_personal(text) if p.kind == "proper_name"] == []


def _shown(text: str, found: list[Personal]) -> str:
    for p in reversed(found):
        text = text[: p.start] + f"[{p.label}]" + text[p.end :]
    return text


@pytest.mark.parametrize(
    "text",
    [
        "ik ben bang en ik ben 15",
        "ik ben trots op mezelf",
        "het begon bij ons in de buurt",
        "ik ken hem van school",
        "hij is mee gegaan",
        # Words that look like a street, a neighbourhood or a handle and are none.
        "we stonden bij de wasstraat naast de snelweg",
        "het gebeurde op het schoolplein in mn pauze",
        "ja.ik ga om 4.30 naar huis",
        "hij zei het.dan weet ik het o.a. van school",
        "of heeft de club een vertrouwenscontactpersoon?",
        "hij zei in mn oor dat ik mee moest",
        "zijn account is verwijderd en hij noemt zich mijn vriend",
        "ik ben in de war en naar huis gegaan",
        "we waren in het park de hele dag en meneer zei niks",  # an article or a title before a frequent word
        "ik zag het op marktplaats staan, hij is een jongen, idd",
        "het was een meisje, ze was 15",
        "ze noemen hem gek en ik ga naar hem toe, dan naar huis",
        "die groep heet die van school, ik zit op de bank op het werk",
        "van thuis naar school in het centrum van de stad, met een vriend van hem naar bed",
        "in de pauze zit ik op de wc. dat noemen we grooming. hij neemt haar mee naar huizen van mannen",
        "ze zet fotos op een site, zo'n abonnementsite",
    ],
)
def test_ordinary_words_and_ages_stay(text: str) -> None:
    assert redact_text(text) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(),
    st.sampled_from(["06-{}{}", "06{}{}", "+31 6 {} {}", "06 {} {}", "(06) {}-{}"]),
    st.integers(1000, 9999),
    st.integers(1000, 9999),
)
def test_any_text_is_redacted_without_error_and_a_number_never_survives(text: str, layout: str, a: int, b: int) -> None:
    number = layout.format(a, b)
    redacted = redact_text(f"{text} bel {number} ok")
    assert number not in redacted and str(b) not in redacted.rsplit("bel", 1)[-1]
    spans = find_personal(text)
    assert all(0 <= p.start < p.end <= len(text) for p in spans)
    assert all(x.end <= y.start for x, y in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("ik heet J\u200bayden", "ik heet [naam]"),
        ("ik woon in Rot\u200bterdam", "ik woon in [plaats]"),
        ("ik heet \u202enedyaJ\u202c", "ik heet [naam]"),  # a right-to-left override: shown as "Jayden"
        ("morgen ga ik met \u202enedyaJ\u202c naar \u202emadrettoR\u202c", "morgen ga ik met [naam] naar [plaats]"),  # no cue
        ("met \u202ened\u202dJay\u202c\u202c naar", "met [naam] naar"),  # nested overrides, also shown as "Jayden"
        ("morgen ga ik met Ｊａｙｄｅｎ naar 𝐑𝐨𝐭𝐭𝐞𝐫𝐝𝐚𝐦", "morgen ga ik met [naam] naar [plaats]"),  # fullwidth, bold
        ("ik ben met ﬁnn naar Rotterdam", "ik ben met [naam] naar [plaats]"),  # a ligature
        ("gisteren zag ik Jose\u0301 nog", "gisteren zag ik [naam] nog"),  # the accent typed apart, as a Mac may store it
        ("bel 06\u200e1234\u200f5678 ok", "bel [telefoonnummer] ok"),
        ("insta @li\u200bsa_2007", "insta [account]"),
    ],
)
def test_invisible_characters_and_other_letter_forms_leave_nothing_of_a_name_or_number(text: str, redacted: str) -> None:
    assert redact_text(text) == redacted


INVISIBLE = [*"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\ufe0f", *"\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
PLANTED = [
    ("gisteren zag ik {} nog", "Jayden"),
    ("ik heet {}", "sanne"),
    ("hij woont in {}", "Rotterdam"),
    ("hij woont in {}", "bergen op zoom"),
    ("zijn nummer is {} echt", "06-12345678"),
    ("bel me op {}", "+31 6 1234 5678"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLANTED), st.lists(st.tuples(st.integers(0, 100), st.sampled_from(INVISIBLE)), min_size=1, max_size=4))
def test_invisible_characters_anywhere_inside_a_name_place_or_number_leave_nothing_of_it(
    planted: tuple[str, str], inserted: list[tuple[int, str]]
) -> None:
    """Zero-width and bidi characters at any place inside the identifier: every letter and digit of it is redacted."""
    template, value = planted
    typed = value
    for position, char in inserted:
        at = 1 + position % (len(typed) - 1)
        typed = typed[:at] + char + typed[at:]
    text = template.format(typed)
    start, spans = template.index("{}"), find_personal(text)
    left = [
        c for i, c in enumerate(text[start : start + len(typed)], start) if c.isalnum() and not any(p.start <= i < p.end for p in spans)
    ]
    assert left == [], ascii(text)
    assert all(value.lower() not in r.text.lower() for r in readings(redact_text(text))), ascii(redact_text(text))


def test_a_log_line_is_written_redacted() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/zoek/ik heet sanne uit zwolle",), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "Not Found: /zoek/ik heet [naam] uit [plaats]"
