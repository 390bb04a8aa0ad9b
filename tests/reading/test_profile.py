"""Visitor profiles read what a researcher compares, from informal chat Dutch, and never keep identifiers in clear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from zicht.codebook import load_codebook
from zicht.reading import profile
from zicht.reading.profile import story_words
from zicht.synth import generate
from zicht.transcripts.model import Conversation, Message

SECRET = b"s" * 32
CHAT_DAY = dt.datetime(2020, 3, 15, 21, 30)


def chat(*turns: str, conversation_id: str = "C1") -> Conversation:
    """Turns alternate visitor / counsellor unless a turn starts with 'C: '."""
    messages = []
    for i, turn in enumerate(turns):
        sender = "counsellor" if turn.startswith("C: ") else "visitor"
        messages.append(Message(CHAT_DAY + dt.timedelta(minutes=i), sender, turn.removeprefix("C: ")))
    return Conversation(conversation_id, "user", "fier", CHAT_DAY, True, tuple(messages))


@pytest.mark.parametrize(
    ("turns", "age"),
    [
        (["hoi", "C: Hoe oud ben je?", "zestien"], 16),
        (["ik ben pas veertien"], 14),
        (["C: Mag ik vragen hoe oud je bent?", "ben 17", "het gaat al 2 jaar zo"], 17),
        (["het gebeurt al 2 jaar", "ik ben 15 jaar"], 15),
        (["hij is al 25 en ik voel me klein"], None),
        (["meer dan twee jaar al"], None),
    ],
)
def test_age_from_digits_number_words_and_the_age_question_not_from_durations(turns: Sequence[str], age: int | None) -> None:
    p = profile(chat(*turns), SECRET)
    assert p.age == age
    if age is not None:
        assert p.birth_year == 2020 - age, "compared as birth year, so a birthday between chats costs at most 1"


def test_gender_place_names_and_school() -> None:
    p = profile(
        chat(
            "ik ben een meisje trouwens",
            "hier in Den Bosch 🙈",
            "je mag me Julia noemen",
            "ik moet met mannen naar bed die Youssef (mijn vriend) regelt",
            "ik zit op het Stedelijk Gymnasium.",
        ),
        SECRET,
    )
    assert (p.gender, p.place, p.own_name, p.perpetrator_names, p.school) == (
        "female",
        "den bosch",
        "julia",
        ["youssef"],
        "het stedelijk gymnasium",
    )
    assert p.evidence["place"].message == 1


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("hij heeft dat ook al gedaan met een ander meisje uit mn klas", "female"),
        ("hij regelt het voor mij en 3 andere meiden", "female"),
        ("hij zei dat ik zn enige meisje was", "female"),
        ("het gaat om een leerlinge van veertien bij ons op school", "female"),
        ("er is een jongen van 15 die pakketjes moet rondbrengen", "male"),
        ("er zijn nog 2 jongens die hier ook werken zonder geld", "male"),
        ("ze zeggen dat ik nu een echte vent ben als ik het doe", "male"),
        ("ik ben maar een klein meisje voor hem", "female"),
        ("hij zegt dat ik haar grote jongen ben", "male"),
        ("ik ben gwn een gast van 19", "male"),
        # Not the victim's: other perpetrators, and someone of an age no victim here is.
        ("ik ben bang voor die jongen", None),
        ("er zijn nog 2 andere jongens die het regelen", None),
        ("ik heb een jongen van 19 leren kennen", None),
    ],
)
def test_the_victims_gender_from_who_they_are_among_others_or_to_the_one_telling(text: str, gender: str | None) -> None:
    assert profile(chat(text), SECRET).gender == gender


@pytest.mark.parametrize(
    ("turns", "gender"),
    [
        (["ik ben 16, jongen. hij is 26"], "male"),
        (["ik (meisje, 16) ben echt bang"], "female"),
        (["hallo ik ben 12 (jongen) mag ik hier ook chatten"], "male"),
        (["C: Mag ik vragen of je een jongen of een meisje bent?", "meisje"], "female"),
        (["C: Hoe oud ben je, en ben je een jongen of een meisje?", "15 jongen"], "male"),
        # A word alone is no answer where nobody asked, and "man" is also what one says when fed up.
        (["meisje"], None),
        (["ik ben 17 jaar, man wat moet ik doen"], None),
    ],
)
def test_the_visitors_gender_said_with_their_age_or_answered_when_asked(turns: Sequence[str], gender: str | None) -> None:
    assert profile(chat(*turns), SECRET).gender == gender


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("er zijn nog meer meisjes, hij heeft een groep", "female"),
        ("ik moet het vervoeren in mn tas omdat meisjes nie gecontroleerd worden zegt hij", "female"),
        ("hij zegt dat een dochter moet gehoorzamen", "female"),
        ("een kwetsbare, verstandelijk beperkte vrouw in de prostitutie te laten werken", "female"),
        ("ze moet van hem met mannen mee", "female"),  # the one told about, "ze" with a singular verb
        ("hij zegt dat een echte jongen niet klaagt", "male"),
        ("ze stuurden: we weten waar je zoon woont", "male"),
        # Men and boys in a girl's chat are who exploit her; a brother threatened is not the victim.
        ("ik moet met mannen mee van die jongens", None),
        ("als ik stop doen ze mn broertje iets aan", None),
        ("ze moeten dan betalen aan hem", None),  # "ze" with a plural verb is they
    ],
)
def test_where_nobody_says_it_the_victims_gender_from_the_words_used_for_those_like_them(text: str, gender: str | None) -> None:
    p = profile(chat(text), SECRET)
    assert p.gender is None, "not said outright, so not what linkage compares visitors on"
    assert p.facts.get("victim_gender", [None])[0] == gender


@pytest.mark.parametrize(
    ("turns", "about_other", "age"),
    [
        (["ik ben moeder van een dochter van zestien", "ze is vaak weg"], True, 16),
        (["mijn zoon (15) komt steeds later thuis"], True, 15),
        (["ik ben docent op een mbo en het gaat om een jongen van 17 uit mijn klas"], True, 17),
        (["ik heb een vriendin die steeds geld krijgt van mannen", "ze heeft een vriend van 23"], True, None),
        (["ik ben man, 23 jaar", "mijn baas heeft mijn paspoort"], False, 23),
        (["ik heb een jongen van 19 leren kennen", "ik ben 15"], False, 15),
    ],
)
def test_whose_age_it_is_from_who_the_visitor_speaks_of(turns: Sequence[str], about_other: bool, age: int | None) -> None:
    p = profile(chat(*turns), SECRET)
    assert (p.about_other, p.age) == (about_other, age)


@pytest.mark.parametrize(
    ("turns", "variable", "told"),
    [
        (["C: hoe ken je hem?", "Via Instagram denk ik"], "meeting", ["online"]),
        (["C: waar heeft ze hem ontmoet?", "Op haar werk"], "meeting", ["offline"]),
        (["een jongen uit de buurt laat me dingen doen"], "meeting", []),  # who, not how they met
        (["het is een gast uit mn portiek"], "meeting", ["offline"]),  # but someone of the same stairwell was met there
        (["ik ging op yubo met een groep gasten praten uit breda"], "meeting", ["online"]),
        (["ik ging op yubo met een groep gasten praten uit breda"], "multiple_perpetrators", ["true"]),
        (["de eigenaar frank en zn neef"], "multiple_perpetrators", ["true"]),
        (["er zijn nog 2 jongens die hier ook werken"], "multiple_perpetrators", []),  # others made to, not others making
        (["als ik stop dan stuurt ie mn adres naar mensen"], "coercion", ["violence"]),
        (["hij zei dat hij die fotos naar iedereen van school stuurt"], "coercion", ["sextortion"]),
        (["als ze niet werkt mag ze daar niet meer slapen"], "coercion", ["living_in"]),
        (["ze hebben mn eigen telefoon ingepakt"], "coercion", ["other"]),
        (["hij laat mij spullen bewaren onder mn bed"], "form", ["criminal"]),
        (["hij 'pakjes' naar Alkmaar moet brengen met de trein"], "form", ["criminal"]),
        (["dan komen zn vrienden en die moeten dingen bij me doen"], "form", ["sexual"]),
        (["de baas is een vriend van mn vader"], "perpetrator", ["social"]),
        (["ik ken haar via een vriendin van school"], "perpetrator", ["social"]),
        (["ze heeft sinds een paar maanden een vriend van 23"], "perpetrator", ["partner"]),
        (["ik denk dat ze een oudere vriend heeft die haar geld geeft"], "perpetrator", ["partner"]),
        (["ik moet camshows doen voor mannen op een account van hem"], "sexual_modality", ["webcam"]),
        (["hij verkoopt foto's en filmpjes van mij"], "sexual_modality", ["webcam"]),
        (["ik werk bij een wasstraat maar ik word nie betaald"], "visitor_role", []),  # a worker telling their own story
        (["ik werk in een hotel en ik zag een meisje met oudere mannen"], "visitor_role", ["other"]),
    ],
)
def test_how_they_met_and_who_it_is_as_the_visitor_says_it(turns: Sequence[str], variable: str, told: list[str]) -> None:
    assert sorted(profile(chat(*turns), SECRET).facts.get(variable, [])) == sorted(told)


def test_someone_chatting_about_their_daughter_is_about_another_person() -> None:
    p = profile(chat("ik maak me zorgen om mijn dochter", "ze is pas dertien"), SECRET)
    assert (p.about_other, p.relation, p.gender, p.age) == (True, "dochter", "female", 13)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("het is begonnen in juli vorig jaar", 8),
        ("Het is begonnen ergens in mei 2016", 46),
        ("meer dan twee jaar al", 27),
        ("een half jaar ofzo", 6),
        ("het is begonnen deze maand", 0),
        ("het gaat al 3 jaar zo", 36),
        ("het is begonnen vorig jaar in juli", 8),  # the first pattern took this for this July
        ("het begon in januari", 2),
        ("het begon in maart vorig jaar", 12),
        ("sinds januari of zo", 2),
        ("het gaat al zo sinds de zomervakantie", 8),  # a season or holiday: last July
        ("al sinds de herfstvakantie", 5),
        ("sinds 2018 werk ik voor hem", 20),  # a year alone: from its middle
        ("sinds oktober, dus zo'n 2 maanden", 2),  # how long, said outright, over a month to reckon from
    ],
)
def test_when_the_situation_began_is_anchored_on_the_chats_date(text: str, months: int) -> None:
    p = profile(chat(text), SECRET)
    assert p.span_months == months
    assert p.start_month == 2020 * 12 + 2 - months


@pytest.mark.parametrize(("text", "month_said"), [("het begon in januari", True), ("sinds de zomervakantie", False), ("sinds 2018", False)])
def test_only_a_month_said_is_the_start_the_codebook_asks_for(text: str, month_said: bool) -> None:
    assert ("start" in profile(chat(text), SECRET).evidence) is month_said


@pytest.mark.parametrize(
    ("turns", "variable", "told"),
    [
        (["C: Heb je dit al aan iemand verteld?", "nee. mn ouders werken veel"], "first_disclosure", ["yes"]),
        (["C: Heb je het ooit aan iemand verteld?", "aan mn tante een beetje"], "first_disclosure", ["no"]),
        (["C: Weet er iemand van wat je moet doen?", "mn vriendin. zij zei ik moest hier chatten"], "told_before", ["social"]),
        (["C: Ben je nu op een veilige plek?", "nee ze staan nu voor mn flat"], "acute_unsafe", ["yes"]),
        (["C: Bent u daar nu?", "ja. ik schrijf op de wc"], "acute_unsafe", ["yes"]),
        (["C: Zijn er nog andere jongens die dit voor hen doen?", "ja zeker 6 uit mn buurt"], "other_victims", ["true"]),
        (["C: Zijn er meer mensen bij betrokken?", "die gast heeft er nog 3 of 4"], "multiple_perpetrators", ["true"]),
        # What the answer's own message says outright stands before its "ja".
        (["C: Ben je nu op een veilige plek?", "ja nu wel. ik moet vanavond weer"], "acute_unsafe", ["yes"]),
        # An answer to another question, or a word nobody asked for, says nothing of it.
        (["C: Wil je vertellen wat er gebeurd is?", "nee. mn ouders werken veel"], "first_disclosure", None),
        (["C: Hoe oud ben je?", "ja 15"], "other_victims", None),
    ],
)
def test_a_short_answer_to_the_counsellors_question_is_read_for_what_it_asked(
    turns: Sequence[str], variable: str, told: list[str] | None
) -> None:
    assert profile(chat(*turns), SECRET).facts.get(variable) == told


def test_a_start_after_the_chat_is_no_start() -> None:
    """A text written later, or a typo: "in mei 2021" in a chat of March 2020 gives no duration (it once crashed suggesting)."""
    assert profile(chat("het begon in mei 2021"), SECRET).span_months is None


@pytest.mark.parametrize("turns", [["C: Hoe oud ben je?", "16 jaar"], ["ik ben bijna 16 jaar"], ["het meisje is 17 jaar"]])
def test_an_age_is_never_read_as_how_long_it_lasts(turns: list[str]) -> None:
    p = profile(chat(*turns), SECRET)
    assert p.age is not None and p.span_months is None


@pytest.mark.parametrize(
    ("text", "returning"),
    [
        ("ik heb vorige week ook al met jullie gechat", "recent"),
        ("hoi ik ben het weer", "recent"),
        ("ik heb hier laatst ook gepraat met iemand", "recent"),
        ("ik heb vorig jaar ook een keer gechat", "long_ago"),
        ("ik heb het vorige week aan mijn moeder verteld", None),
        ("we hebben gisteren gechat op snap, hij en ik", "recent"),
    ],
)
def test_a_visitor_who_says_they_chatted_before(text: str, returning: str | None) -> None:
    assert profile(chat("hoi", text), SECRET).returning == returning


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("mn vriendje verkoopt me eigenlijk", []),
        ("gisteren heeft hij me weer geschopt", []),
        ("een jongen uit mijn buurt int het geld", []),
        ("ik moet met mannen naar bed die Bram regelt", ["bram"]),
        ("Orlando laat me seks hebben met andere mannen", ["orlando"]),
    ],
)
def test_verbs_and_nouns_where_a_name_can_stand_are_not_names(text: str, names: list[str]) -> None:
    assert profile(chat(text), SECRET).perpetrator_names == names


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("ik zit op het Noorderpoort 🙁", "het noorderpoort"),
        ("hij zit ook op het Sint-Janscollege!!", "het sint-janscollege"),
        ("ik zit op het speciaal onderwijs en ik begrijp niet alles", None),
        ("ik zit op de Werkplaats en ik vind het leuk", "de werkplaats"),
    ],
)
def test_a_schools_name_ends_where_the_sentence_goes_on(text: str, school: str | None) -> None:
    assert profile(chat(text), SECRET).school == school


def test_the_story_words_leave_out_common_words_and_what_is_compared_on_its_own() -> None:
    p = profile(chat("ik woon in Zwolle", "hij rijdt in een witte audi", "mijn vriend Kevin regelt het, dus ja"), SECRET)
    words = set(story_words(p))
    assert {"witte", "audi", "rijdt"} <= words
    assert not words & {"zwolle", "kevin", "dus", "woon", "mijn"}


def test_identifiers_are_kept_only_as_keyed_hashes_and_match_across_formats() -> None:
    a = profile(chat("zijn nummer is 06-12345678", "zijn account is kevin_06", "mail me op sanne.b@example.nl"), SECRET)
    b = profile(chat("hij belt me steeds met +31 6 1234 5678", "hij heet @kevin_06 op insta", conversation_id="C2"), SECRET)
    assert len(a.identifiers) == 3 and set(a.identifiers) & set(b.identifiers) == set(b.identifiers)
    stored = repr([a.identifiers, b.identifiers])
    for clear in ("12345678", "kevin", "sanne", "example"):
        assert clear not in stored
    other_key = profile(chat("zijn nummer is 06-12345678"), b"t" * 32)
    assert not set(other_key.identifiers) & set(a.identifiers), "without the project's secret the hash says nothing"


def test_regression_guard_on_synthetic_chats_what_is_read_is_right() -> None:
    corpus = generate(2020, 0)
    case_of = {cid: case for case in corpus.cases for cid in case.conversation_ids}
    planted = {t["conversation_id"]: t["identifiers"] for t in corpus.truth}
    ages = wrong = places = places_found = 0
    for conversation in corpus.flagged:
        p = profile(conversation, SECRET)
        coded = case_of[conversation.id].values.get("victim_age")
        if p.age is not None and isinstance(coded, int):
            ages += 1
            wrong += abs(p.age - coded) > 1
        for identifier in planted[conversation.id]:
            if identifier["kind"] == "place":
                places += 1
                places_found += p.place == identifier["value"].lower()
    assert wrong == 0 and ages >= 250, f"{wrong} wrong of {ages} ages read"
    assert places_found / places >= 0.95


def test_the_facts_of_the_case_are_read_as_codebook_categories() -> None:
    p = profile(
        chat(
            "een vriend van mijn broer laat me seks hebben met andere mannen",
            "als ik nee zeg slaat hij me",
            "hij heeft naaktfotos van me",
            "ik heb het echt nog nooit tegen iemand gezegd",
            "het gebeurt nog steeds",
        ),
        SECRET,
    )
    assert p.facts["form"] == ["sexual"]
    assert p.facts["perpetrator"] == ["social"], "a friend of my brother is not my brother"
    assert "family_perpetrator" not in p.facts
    assert p.facts["coercion"] == ["violence", "sextortion"]
    assert (p.facts["first_disclosure"], p.facts["acute_unsafe"]) == (["yes"], ["yes"])


def test_regression_guard_on_synthetic_chats_the_facts_read_agree_with_the_codes() -> None:
    corpus = generate(2020, 0)
    book = load_codebook("nl-2020")
    case_of = {cid: case for case in corpus.cases for cid in case.conversation_ids}
    read = agree = 0
    for conversation in corpus.flagged:
        values = case_of[conversation.id].values
        for variable, categories in profile(conversation, SECRET).facts.items():
            if not book.applies(book[variable], values):
                continue  # not coded for this visitor (criminal acts of a sexual-only case): nothing to agree with
            coded = values.get(variable)
            read += 1
            if isinstance(coded, frozenset):
                agree += set(categories) <= coded
            elif isinstance(coded, bool):
                agree += coded == ("true" in categories)
            else:
                agree += coded in categories
    assert read > 1000 and agree / read >= 0.98, f"{agree} of {read}"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("dat ik met ze naar de slaapkamer ga. ze geven hem dan geld", "sexual"),
        ("ik zag dat ze hem geld gaven", "sexual"),
        ("ik zag 1x dat een man oom geld gaf bij de deur", "sexual"),
        ("mn zus zegt dat jess het geld houdt", "sexual"),
        ("ik moet spullen jatten voor die gast", "criminal"),
        ("hij zet me af bij winkels en dan moet ik dingen meenemen zonder te betalen", "criminal"),
        ("ik steel dingen in winkels maar nie voor mezelf", "criminal"),
        ("ik moet voor hem dingen pakken in winkels", "criminal"),
        ("ik moest het opnemen bij de pinautomaat en aan hem geven", "criminal"),
        ("ik werk in een restaurant maar ik krijg nooit geld", "labour"),
        ("hij zegt mijn loon is voor de huur en voor eten", "labour"),
        # look-alikes: money given to me, stealing for myself, pay withheld in no such words
        ("mijn oma gaf me geld voor mn verjaardag", None),
        ("ze gaven mij geld terug", None),
        ("ik heb een keer een lippenstift gejat voor mezelf", None),
        ("ik werk bij de appie en krijg gewoon betaald", None),
        # batch 5: he is paid by them, they pay, done for a camera; drugs by name, sold or kept for them, accounts in one's name
        ("ik weet dat die hem geld gaven", "sexual"),
        ("hij krijgt geld van ze, dat zie ik", "sexual"),
        ("het zijn zijn vrienden zegt hij maar ze betalen wel", "sexual"),
        ("ze laten me dingen doen voor een camera", "sexual"),
        ("ik moet bolletjes wegbrengen naar adressen", "criminal"),
        ("nu moet ik voor ze verkopen op school", "criminal"),
        ("hij vroeg of ik spullen bewaar in de kelder", "criminal"),
        ("hij heeft 2 rekeningen laten openen op mijn naam", "criminal"),
        ("mn moeder zegt dat ik mijn spullen moet opruimen", None),
        ("ik speel soms voor een camera met mn vriendinnen tiktoks", None),
    ],
)
def test_a_form_said_as_who_is_paid_or_what_one_is_made_to_take(text: str, form: str | None) -> None:
    """Said without the words a form is named by: the money goes to someone else, one steals for someone, one's
    wages go elsewhere (the ways the development part's subtle chats say it)."""
    assert profile(chat(text), SECRET).facts.get("form", [None])[0] == form


@pytest.mark.parametrize(
    ("turns", "age_difference"),
    [
        (["ik ben 15", "C: En hoe oud is Dion ongeveer?", "22 denk ik"], True),
        (["C: Hoe oud is hij?", "zesentwintig"], True),
        (["haar vriend is 22"], True),
        (["hij zesentwintig, ik 15"], True),
        (["een man van rond de dertig"], True),
        (["hij is echt al volwassen"], True),
        (["C: Hoe oud is hij?", "17"], False),  # beside a girl of 15: no other stage of life
        (["mijn vriend is 16 en ik 15"], False),
        (["C: Hoe oud is hij?", "22 denk ik", "C: Is hij ook wel eens gewelddadig?", "nee"], True),
        # the answer adds to what the chat said before of the means ("hij slaat me")
        (["hij slaat me als ik nee zeg", "C: Hoe oud is hij?", "22 denk ik"], True),
        (["er zijn er 3 en eentje van 20 bepaalt alles"], True),
        (["de oudste is ongeveer 50"], True),
        (["hij zou 20 zijn"], True),
        (["hij is ergens in de twintig"], True),
        (["hij is van 2009"], False),
    ],
)
def test_an_adults_age_said_of_him_or_answered_is_an_age_difference(turns: list[str], age_difference: bool) -> None:
    assert ("age_difference" in profile(chat(*turns), SECRET).facts.get("coercion", [])) is age_difference


@pytest.mark.parametrize(
    ("text", "others"),
    [
        ("mn zusje is 12 en die moet nu ook pakketjes wegbrengen voor hem", True),
        ("met nog drie meisjes die daar ook werken en ook niks krijgen", True),
        ("de zoon van onze buren, Milan, doet het ook", True),
        ("Er is ook een tweede meisje uit haar klas dat met dezelfde jongens meegaat", True),
        ("er wonen nog 2 meiden bij hem. die doen hetzelfde", True),
        ("nog 8 andere mannen uit ons dorp", True),
        ("mn kleine broertje nu ook", True),
        # who does it to the visitor, or what has to be done, is no other victim
        ("hij doet het ook bij mij", False),
        ("er was nog een jongen bij die me vasthield", False),
        ("dat moet ook nog", False),
        ("er zijn nog 2 andere jongens die het regelen met hem, zijn vrienden doen ook mee", False),
    ],
)
def test_others_it_happens_to_by_what_they_do_too(text: str, others: bool) -> None:
    assert ("true" in profile(chat(text), SECRET).facts.get("other_victims", [])) is others


@pytest.mark.parametrize(
    ("turns", "disclosed", "told"),
    [
        (["ik heb het vorig jaar aan mijn jongerenwerker verteld"], "no", ["professional"]),
        (["mijn beste vriendin weet het"], "no", ["social"]),
        (["C: Weet iemand anders ervan?", "aan mn tante een beetje"], "no", ["social"]),
        (["C: Heb je het aan iemand verteld?", "alleen mijn zus in polen"], "no", ["social"]),
        (["C: Heb je dit met iemand gedeeld?", "met de schoolmaatschappelijk werker een beetje"], "no", ["professional"]),
        # no answer to the question, a denial, or what is still to come: nobody told yet
        (["aan mn moeder moet ik geld geven"], None, None),
        (["mn moeder weet het niet"], None, None),
        (["ik wil het aan mijn moeder vertellen"], None, None),
    ],
)
def test_who_was_told_before_said_in_any_order_or_answered(turns: list[str], disclosed: str | None, told: list[str] | None) -> None:
    facts = profile(chat(*turns), SECRET).facts
    assert (facts.get("first_disclosure", [None])[0], facts.get("told_before")) == (disclosed, told)


@pytest.mark.parametrize(
    ("text", "perpetrator", "meeting"),
    [
        ("een gast uit mn portiek laat me dingen doen", "social", "offline"),
        ("ik ken haar van mn bijbaan", "social", "offline"),
        ("het is een jongen van yubo", "other", "online"),
        ("iemand op insta", "other", "online"),
        ("een man van rond de 30 die ze via Snapchat kent", "other", None),
        ("hij is ploegbaas", "other", None),
        ("ik kende haar van de skatebaan", None, "offline"),
        ("ze heeft hem ontmoet bij de shoarmazaak op het plein", None, "offline"),
        ("mijn vriend zegt dat de eigenaar het regelt", "partner", None),  # the partner named first is who it is
        # batch 5: going out with someone; a relative told or threatened with, or who only says something, is no perpetrator
        ("ik ben met iemand sinds augustus", "partner", None),
        ("hij zegt dat hij mn foto's naar mn vader stuurt", None, None),
        ("mn vader zegt dat ik s avonds binnen moet zijn", None, None),
        ("ze leerden elkaar kennen op tiktok", None, "online"),
        ("via grindr kwam ik bij een man terecht", "other", "online"),
    ],
)
def test_who_it_is_and_where_they_met_from_the_visitors_surroundings(text: str, perpetrator: str | None, meeting: str | None) -> None:
    facts = profile(chat(text), SECRET).facts
    assert (facts.get("perpetrator", [None])[0], facts.get("meeting", [None])[0]) == (perpetrator, meeting)


@pytest.mark.parametrize(
    ("text", "means"),
    [
        ("hij heeft me zo hard geknepen dat ik blauw was", "violence"),
        ("ze hebben mijn broer opgewacht bij de bushalte", "violence"),
        ("als ik nee zeg komen ze langs", "violence"),
        ("hij zet de fotos in de groepsapp van mn klas", "sextortion"),
        ("ze kan echt niet meer zonder kan ze zeggen", "substance_dependence"),
        ("hij zegt dat ze dan haar huis uit moet", "living_in"),
        ("hij zet me eruit als ik zeur", "living_in"),
        ("de baas heeft ook mijn pinpas", "other"),
        ("hij zegt dat ik nie van hem hou als ik nee zeg", "other"),
        ("ze is 27 en ik 15", "age_difference"),
        ("twee jongens van een jaar of 25", "age_difference"),
        ("ze heeft een verstandelijke beperking, ze is verstandelijk beperkt", "intellectual_disability"),
        # look-alikes: a participle of something else, a group chat without photos, a house left by choice
        ("mijn telefoon is gebroken", None),
        ("de groepsapp van mn klas is saai", None),
        ("ik ga morgen het huis uit om te sporten", None),
    ],
)
def test_the_means_in_more_of_their_words(text: str, means: str | None) -> None:
    found = profile(chat(text), SECRET).facts.get("coercion", [])
    assert (means in found) if means else found == []


@pytest.mark.parametrize(
    ("text", "acute"),
    [
        ("zaterdagnacht moet ik weer", "yes"),
        ("dit weekend moet ik terug naar daar", "yes"),
        ("hij haalt me vanavond op bij het station", "yes"),
        ("er stonden gisteren twee mannen voor de deur", "yes"),
        ("en hij blijft maar bellen", "yes"),
        ("ze zegt dat het anders is t voorbij tussen ons", None),  # a threat, not that it is over
        ("het is voorbij, ik woon nu bij mijn tante", "no"),
    ],
)
def test_acute_plans_by_day_part_or_week(text: str, acute: str | None) -> None:
    assert profile(chat(text), SECRET).facts.get("acute_unsafe", [None])[0] == acute
