"""Event coding rules on the real English model: dates from governing clauses and anchored durations,
parties of nominal and passive events, known reference events, statements that are no events, actor
countries (misspellings, ethnic groups, the other party of a sentence) and anaphoric attribution."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from factories import one_act
from newsledger.analyze.events import extract_events
from newsledger.analyze.events.coding import ActorCoder
from newsledger.analyze.events.extract import whole_party
from newsledger.analyze.events.lexicon import data_dir, read_jsonl
from newsledger.analyze.pipeline import COMPONENTS, build_pipeline
from newsledger.kb import KnowledgeBase
from newsledger.model import Attribution, Event, EventMode, Span, TimeExpression, TimeType


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    """The pipeline without the attribution component (attributions are given by hand below)."""
    return build_pipeline(components=tuple(c for c in COMPONENTS if c != "newsledger_attributions"))


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    """As ``events_nlp``, with the parties left to the rules (no argument tagger)."""
    nlp = build_pipeline(
        components=tuple(c for c in COMPONENTS if c not in ("newsledger_attributions", "newsledger_events"))
    )
    nlp.add_pipe("newsledger_events", config={"argument_tagger": False})
    return nlp


def _events(nlp: Language, text: str, published: dt.date | None = None) -> list[Event]:
    doc = nlp.make_doc(text)
    doc._.published = published
    return list(nlp(doc)._.events)


def test_events_rules_date_from_governing_clause(events_nlp: Language) -> None:
    """ "In late December, Xi tried to ... in talks with Putin": the governing clause's date."""
    events = _events(
        events_nlp,
        "In late December, Xi Jinping tried to present himself as a peacemaker in talks with Putin.",
        dt.date(2023, 1, 10),
    )
    event = one_act(events, "talks")
    assert event.type == "CONSULT"
    assert event.date is not None
    assert event.date.value == "2022-12"
    assert (event.source and event.source.code, event.target and event.target.code) == ("CHNGOV", "RUSGOV")


def test_events_rules_date_from_anchored_duration(events_nlp: Language) -> None:
    """An anchored duration ("around 20 days before the start of the operation") dates its clause's event."""
    events = _events(
        events_nlp,
        "About 20 days before the start of the special operation in Ukraine, Vladimir Putin met Xi "
        "Jinping in Beijing.",
        dt.date(2023, 1, 10),
    )
    spoke = one_act(events, "met")
    assert spoke.date is not None
    assert spoke.date.value == "2022-02-04"
    assert not spoke.date.from_publication
    operation = one_act(events, "operation")
    assert (operation.type, operation.mode.value) == ("ASSAULT", "fact")
    assert operation.date is not None
    assert operation.date.value == "2022-02-24"
    assert operation.source is not None
    assert operation.source.country == "RUS"


def test_events_rules_nominal_parties_issued_by(events_nlp: Language) -> None:
    """ "the declaration issued by A and B": both parties of the statement."""
    events = _events(
        events_nlp,
        "Analysts compared the speech with the joint statement signed by China and Russia "
        "on February 4, 2022.",
    )
    event = one_act(events, "statement")
    assert event.type == "AGREE"
    assert (event.source and event.source.country, event.target and event.target.country) == ("CHN", "RUS")
    assert event.date is not None
    assert event.date.value == "2022-02-04"


def test_events_rules_personnel_action_by_the_government(events_nlp: Language) -> None:
    """A dismissed office holder was dismissed by their country's government (implicit source)."""
    events = _events(events_nlp, "Nigeria's police chief was dismissed.")
    event = one_act(events, "dismissed")
    assert event.type == "COERCE"
    assert event.source is not None
    assert event.source.code == "NGAGOV"
    assert event.target is not None
    assert event.target.country == "NGA"


def test_events_rules_personnel_action_needs_an_office(events_nlp: Language) -> None:
    """No implicit government for a dismissed thing or a private person."""
    events = _events(events_nlp, "The dismissal of the lawsuit surprised analysts.")
    assert all(e.source is None or e.source.sector != "GOV" for e in events)


@pytest.mark.parametrize(
    ("text", "trigger", "cameo", "source", "target"),
    [
        (
            "The ministry rejected accusations that it had tortured prisoners.",
            "rejected",
            "016",
            "The ministry",
            None,
        ),
        (
            "The prime minister expressed condolences to the relatives of those killed.",
            "expressed",
            "018",
            "The prime minister",
            "the relatives of those killed",
        ),
        (
            "The Kenyan president extended his condolences to Tanzania.",
            "extended",
            "018",
            "The Kenyan president",
            "Tanzania",
        ),
        ("Germany expressed doubts.", "expressed", "012", "Germany", None),
        # a stance told by an adjective
        (
            "The Irish government is pessimistic about the talks.",
            "pessimistic",
            "012",
            "The Irish government",
            "the talks",
        ),
        ("Kenya said it was optimistic about a deal with Somalia.", "optimistic", "013", "Kenya", "Somalia"),
    ],
    ids=["deny-responsibility", "condolences", "extended", "doubts", "pessimistic", "optimistic"],
)
def test_events_rules_statements_are_coded_as_statements(
    events_nlp: Language, text: str, trigger: str, cameo: str, source: str, target: str | None
) -> None:
    """CAMEO 01 statements, which PLOVER leaves out, are events of type STATEMENT. What they speak of
    is no event ("had tortured"), and what is said ("accusations", "concerns") is no party."""
    events = _events(events_nlp, text)
    event = one_act(events, trigger)
    assert (event.type, event.cameo) == ("STATEMENT", cameo)
    assert event.source is not None
    assert event.source.span.text == source
    assert (event.target.span.text if event.target else None) == target
    assert not [e for e in events if e.trigger.text == "tortured"]


def test_events_rules_call_for_sanctions_is_a_demand(events_nlp: Language) -> None:
    """ "called for sanctions against Turkey": a demand (CAMEO 10), not an appeal (02)."""
    event = one_act(_events(events_nlp, "Greece called for sanctions against Turkey."), "called")
    assert (event.type, event.cameo) == ("REQUEST", "10")


def test_events_rules_circumstance_is_no_party(events_nlp: Language) -> None:
    """ "Prices rose after the invasion of Iraq": the prices did not invade; the known event's parties."""
    event = one_act(
        _events(events_nlp, "Oil prices rose after the invasion of Iraq.", dt.date(2004, 1, 10)), "invasion"
    )
    assert event.source is not None
    assert event.source.country == "USA"
    assert event.date is not None
    assert event.date.value == "2003-03-20"


def test_events_rules_generic_alias_needs_definite_article(events_nlp: Language) -> None:
    """ "a large-scale invasion" is not the known invasion of the article's time."""
    events = _events(
        events_nlp,
        "China saw a limited intervention rather than a large-scale invasion.",
        dt.date(2023, 1, 10),
    )
    assert all(e.date is None or e.date.value != "2022-02-24" for e in events)


def test_events_rules_misspelt_country(events_nlp: Language) -> None:
    """A misspelt country name still codes its country."""
    event = one_act(_events(events_nlp, "Ethopia attacked Eritrea."), "attacked")
    assert event.source is not None
    assert event.source.country == "ETH"


def test_events_rules_resident_demonym(events_nlp: Language) -> None:
    """ "Bosnian Serbs" live in Bosnia; "ethnic Albanians in Serbia" in Serbia."""
    event = one_act(_events(events_nlp, "Bosnian Serbs demanded a truce with Moslem forces."), "demanded")
    assert event.source is not None
    assert event.source.country == "BIH"
    event = one_act(_events(events_nlp, "Police arrested ethnic Albanians living in Serbia."), "arrested")
    assert event.target is not None
    assert event.target.country == "SRB"


def test_events_rules_other_party_as_target(events_nlp: Language) -> None:
    """An act on no actor takes the closest named actor of another country as its target."""
    event = one_act(
        _events(
            events_nlp, "Iran threatened to launch a new offensive unless Baghdad accepted its conditions."
        ),
        "threatened",
    )
    assert event.target is not None
    assert event.target.country == "IRQ"


def test_events_rules_named_unknown_target_is_kept(events_nlp: Language) -> None:
    """A named target the knowledge base does not know stays, uncoded: the other party of the sentence
    ("a march against Chile") does not replace it."""
    text = "Ana Morales was detained by Peruvian police for organising a march against Chile."
    event = one_act(_events(events_nlp, text), "detained")
    assert event.target is not None
    assert (event.target.span.text, event.target.country) == ("Ana Morales", None)


def test_events_rules_party_named_by_a_modifier_spans_its_noun(events_nlp: Language) -> None:
    """The other party named by an adjective spans the noun it qualifies, with the adjective's code."""
    text = "The American government lifted a visa ban that had been imposed on Chadian students."
    event = one_act(_events(events_nlp, text), "lifted")
    assert event.target is not None
    assert (event.target.span.text, event.target.country) == ("Chadian students", "TCD")


def test_events_rules_anaphoric_attribution(events_nlp: Language) -> None:
    """ "These exchanges were described by unnamed aides": the sentence before's events are theirs."""
    text = "Putin spoke with Xi Jinping by phone. These exchanges were described by unnamed aides."
    doc = events_nlp.make_doc(text)
    doc._.published = None
    doc = events_nlp(doc)
    content = text.index("These exchanges")
    cue = text.index("described")
    source = text.index("unnamed aides")
    doc._.attributions = [
        Attribution(
            cue=Span(start=cue, end=cue + 9, text="described"),
            content=Span(start=content, end=content + 15, text="These exchanges"),
            source=Span(start=source, end=source + 13, text="unnamed aides"),
        )
    ]
    event = one_act(list(extract_events(doc)), "spoke")
    assert event.reported_by == 0


def test_kb_country_near_misspellings() -> None:
    """One letter off a country name or demonym of six letters or more, when only one is that close."""
    kb = KnowledgeBase.default()
    assert kb.country_near("Ethopia") == "ETH"
    assert kb.country_near("Afganistan") == "AFG"
    assert kb.country_near("Ethiopia") is None  # known: not a misspelling
    assert kb.country_near("Columbia") is None  # a word of "District of Columbia"
    assert kb.country_near("Irak") is None  # too short to guess
    assert kb.country_near("Kerman") is None  # an Iranian city, not "German": the first letter differs


def test_events_rules_durations_without_anchor_do_not_date(events_nlp: Language) -> None:
    """A duration with no calendar anchor ("for nine months") is no date."""
    time = TimeExpression(
        id="t1", span=Span(start=0, end=4, text="nine"), type=TimeType.DURATION, value="P9M", interval=None
    )
    doc = events_nlp.make_doc("Russia attacked Ukraine for nine months.")
    doc._.published = dt.date(2023, 1, 10)
    doc = events_nlp(doc)
    doc._.times = [time]
    event = one_act(list(extract_events(doc)), "attacked")
    assert event.date is not None
    assert event.date.from_publication


@pytest.mark.parametrize(
    ("text", "trigger", "targets"),
    [
        (
            "China imposed sanctions on Mike Pompeo, Alex Azar and Steve Bannon.",
            "imposed",
            ["Mike Pompeo", "Alex Azar", "Steve Bannon"],
        ),
        ("The United States lifted its embargo against Libya and Iraq.", "lifted", ["Libya", "Iraq"]),
        (
            "Ghana sent aid to Togo, Benin and Burkina Faso on Monday.",
            "sent",
            ["Togo", "Benin", "Burkina Faso"],
        ),
        ("Gunmen killed a farmer and his two sons on Sunday.", "killed", ["a farmer and his two sons"]),
    ],
    ids=["names", "countries", "three-countries", "one-group"],
)
def test_events_rules_conjoined_targets_are_events_of_their_own(
    events_nlp: Language, text: str, trigger: str, targets: list[str]
) -> None:
    """Each named party of a conjoined target is a dyad of its own, with the same source; a phrase the
    tag layer marks as one party stays one."""
    events = [e for e in _events(events_nlp, text) if e.trigger.text == trigger]
    assert [e.target and e.target.span.text for e in events][: len(targets)] == targets
    assert len(events) == len(targets)
    assert len({(e.source, e.type, e.date) for e in events}) == 1


@pytest.mark.parametrize(
    ("text", "trigger", "sources"),
    [
        ("Mexico and Canada lifted their tariffs on American steel.", "lifted", ["Mexico", "Canada"]),
        ("France and Germany condemned the attack on the embassy.", "condemned", ["France", "Germany"]),
        ("Gunmen and their driver were arrested by police.", "arrested", ["police"]),
    ],
    ids=["countries", "statement", "not-a-source"],
)
def test_events_rules_conjoined_sources_are_events_of_their_own(
    events_nlp: Language, text: str, trigger: str, sources: list[str]
) -> None:
    """Each named party of a conjoined source does the act on its own, toward the same target."""
    events = [e for e in _events(events_nlp, text) if e.trigger.text == trigger]
    assert [e.source and e.source.span.text for e in events] == sources
    assert len({(e.target, e.type, e.date) for e in events}) == 1


def test_events_rules_mediation_between_parties(events_nlp: Language) -> None:
    """A mediation "between A and B" is the mediator's act toward each party; talks between A and B
    are the parties' own."""
    events = _events(events_nlp, "Qatar launched a mediation effort between the Emirates and Saudi Arabia.")
    assert [
        (e.source and e.source.country, e.target and e.target.country)
        for e in events
        if e.trigger.text == "effort"
    ] == [("QAT", "ARE"), ("QAT", "SAU")]
    event = one_act(
        _events(events_nlp, "The meeting between Biden and Xi Jinping lasted three hours."), "meeting"
    )
    assert event.source is not None
    assert event.source.country == "USA"
    assert event.target is not None
    assert event.target.country == "CHN"


@pytest.mark.parametrize(
    ("text", "trigger", "negated"),
    [
        ("Officials saw a limited incursion rather than a full invasion of Georgia.", "invasion", True),
        ("The army chose talks instead of an attack on the town.", "attack", True),
        ("Rather than attacking the town, the rebels negotiated with the army.", "attacking", True),
        ("The army chose talks instead of an attack on the town.", "talks", False),
        ("The rebels attacked the town rather than the army base.", "attacked", False),
    ],
)
def test_events_rules_act_set_aside_did_not_happen(
    events_nlp: Language, text: str, trigger: str, negated: bool
) -> None:
    """ "X rather than Y", "X instead of Y": Y is the act that did not happen."""
    assert one_act(_events(events_nlp, text), trigger).negated is negated


@pytest.mark.parametrize(
    ("text", "trigger", "mode"),
    [
        ("Moscow drew up plans to answer any attack on its territory.", "attack", "hypothetical"),
        ("A possible invasion of the island worried the government.", "invasion", "hypothetical"),
        ("Hotels in Vienna filled before the upcoming talks between Iran and Germany.", "talks", "future"),
        ("The attack on the town killed four soldiers.", "attack", "fact"),
    ],
)
def test_events_rules_nominal_modifiers_give_the_mode(
    events_nlp: Language, text: str, trigger: str, mode: str
) -> None:
    """ "any attack", "a possible invasion" name no act that happened; "upcoming talks" a future one
    (with each party of "between Iran and Germany")."""
    modes = {e.mode.value for e in _events(events_nlp, text) if e.trigger.text == trigger}
    assert modes == {mode}


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "mode"),
    [
        ("Norway is willing to provide aid to Sudan.", "provide", "AGREE", "future"),
        ("Tehran said it was prepared to resume talks with London.", "talks", "AGREE", "future"),
        ("The Chilean president is due to visit Peru in May.", "visit", "AGREE", "future"),
        ("The army is ready to attack the rebel camps.", "attack", "THREATEN", "future"),
        ("Moscow is not willing to free the detained sailors.", "free", "REJECT", "negated"),
        ("Ankara is reluctant to lift the ban on Syrian imports.", "lift", "REJECT", "negated"),
        ("Norway provided aid to Sudan.", "provided", "AID", "fact"),
        ("Paris was eager to hear the result after the attack on the convoy.", "attack", "ASSAULT", "fact"),
    ],
)
def test_events_rules_willingness_is_an_intention(
    events_nlp: Language, text: str, trigger: str, kind: str, mode: str
) -> None:
    """ "is willing / ready / due to" an act: the act is intended, not done (CAMEO 03, 13; refused: 12)."""
    event = one_act(_events(events_nlp, text), trigger)
    assert (event.type, event.mode.value) == (kind, mode)


@pytest.mark.parametrize(
    ("text", "trigger", "role", "country"),
    [
        ("The president flew to Japan on Monday for a three-day visit.", "visit", "source", None),
        ("The minister traveled to Afghanistan.", "traveled", "source", None),
        ("Japan hosted the foreign minister.", "hosted", "target", None),
        ("Police arrested dozens of protesters in Tehran.", "arrested", "source", "IRN"),
    ],
)
def test_events_rules_visitor_is_not_placed_in_the_country_visited(
    events_nlp: Language, text: str, trigger: str, role: str, country: str | None
) -> None:
    """An unnamed, titled party takes the one country its sentence names ("police in Tehran"), except
    a visitor to that country or the visitor of that country as host."""
    party = getattr(one_act(_events(events_nlp, text), trigger), role)
    assert party is not None
    assert party.country == country


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        (
            "The Cuban foreign minister is set to meet the Spanish king.",
            "meet",
            "The Cuban foreign minister",
            "the Spanish king",
        ),
        # a party as target: whether a thing ("the convoy") stays is the chooser's call, near its threshold
        ("The militia is believed to have attacked the soldiers.", "attacked", "The militia", "the soldiers"),
        ("The curfew is expected to be lifted by the army.", "lifted", "the army", "The curfew"),
    ],
)
def test_events_rules_subject_of_a_passive_does_its_complement(
    events_nlp: Language, text: str, trigger: str, source: str, target: str
) -> None:
    """A complement's act inherits the governing passive's subject in its own voice: "X is set to meet
    Y" is X's meeting, "X is expected to be lifted" acts on X."""
    event = one_act(_events(events_nlp, text), trigger)
    assert event.source is not None
    assert (event.source.span.text, event.target and event.target.span.text) == (source, target)


@pytest.mark.parametrize(
    ("text", "trigger", "target"),
    [
        # "cautioned against Germany" is another predicate's business: the invasion gets no target
        (
            (
                "An aide said that the decision to invade was taken by a small circle and cautioned "
                "against Germany simply following France's lead."
            ),
            "invade",
            None,
        ),
        # a verb coordinated with the trigger shares its object
        ("Russian troops attacked and occupied the Ukrainian town of Kherson.", "attacked", "UKR"),
        # the agent of a verb above the trigger decides; it is not acted on
        ("The decision to impose sanctions on Iran was taken by the European Union.", "impose", "IRN"),
    ],
)
def test_events_rules_party_of_another_predicate_is_not_the_trigger_s(
    events_nlp: Language, text: str, trigger: str, target: str | None
) -> None:
    found = [e for e in _events(events_nlp, text) if e.trigger.text == trigger]
    assert [e.target.country if e.target else None for e in found] == ([target] if target else [])


def test_events_rules_intention_is_no_fact(events_nlp: Language) -> None:
    """ "had not signalled any intent to launch an offensive": no offensive happened."""
    event = one_act(
        _events(
            events_nlp,
            "Aides said that Ankara had not announced an intention to launch an offensive on Damascus.",
        ),
        "offensive",
    )
    assert event.type == "THREATEN"
    assert event.mode.value == "negated"
    event = one_act(_events(events_nlp, "Russia announced plans to attack Kyiv."), "attack")
    assert (event.type, event.mode.value) == ("THREATEN", "future")


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        # the forces moved are the ones who move
        ("The withdrawal of Russian troops from Syria began on Monday.", "withdrawal", "RUSMIL", "SYR"),
        ("Two battalions of French soldiers were withdrawn from Mali last year.", "withdrawn", "FRA", "MLI"),
        # the head of the phrase is the actor, not the alliance it belongs to
        ("EU member Poland sent tanks to Ukraine.", "sent", "POL", "UKR"),
        # "is willing to": the subject of "is" acts
        ("Japan is willing to send aid to Turkey.", "send", "JPN", "TUR"),
        # a light verb's preposition names the target of the event its object names
        (
            "Syrian troops launched an attack on the main ISIS depot near the town.",
            "attack",
            "SYRMIL",
            "IMG",
        ),
        # a quantity counts the group it names
        ("Turkish police detained dozens of journalists in Istanbul.", "detained", "TURCOP", "TURMED"),
        # a place phrase says where a thing is, a demonym whose it is
        ("Sudanese troops shelled a Somali refugee camp in Kenya.", "shelled", "SDNMIL", "SOM"),
        # "were involved in": a passive form whose subject takes part
        ("Serbian police were involved in the killing of two farmers in Kosovo.", "killing", "SRBCOP", "XKX"),
        # a sentence the parser read as one noun phrase (root "Hundreds", "protested" a participle)
        ("Hundreds of ethnic Hungarians protested in Romania on Sunday.", "protested", "ROUCVL", "ROUGOV"),
        # a leader takes the sector of the group led, named before the noun or in its "of" phrase
        (
            "Somali rebel leaders held talks with the Kenyan foreign minister on Friday.",
            "held",
            "SOMREB",
            "KENGOV",
        ),
        (
            "The leaders of the Belarusian opposition movement called for a general strike.",
            "called",
            "BLROPP",
            "BLR",
        ),
        # people held, moved or hurt are civilians, dissidents their own sector; weapons are military
        (
            "Nigerian troops freed forty hostages from a rebel camp in Borno state.",
            "freed",
            "NGAMIL",
            "NGACVL",
        ),
        ("Belarusian police detained dozens of dissidents after the vote.", "detained", "BLRCOP", "BLROPP"),
        ("Syrian warplanes bombed a school in Idlib province on Sunday.", "bombed", "SYRMIL", "SYREDU"),
        ("Turkish border guards shot two Syrian migrants near the frontier.", "shot", "TURCOP", "SYRREF"),
    ],
)
def test_events_rules_parties(
    events_nlp: Language, text: str, trigger: str, source: str, target: str
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert (event.source and event.source.code, event.target and event.target.code) == (source, target)


def test_events_rules_inner_actor_spans_the_thing_acted_on(events_nlp: Language) -> None:
    """Coded as ISIS, the target keeps the words of what was attacked (where its phrase ends is the
    learned span model's choice)."""
    text = "Syrian troops launched an attack on the main ISIS depot near the town."
    event = one_act(_events(events_nlp, text), "attack")
    assert event.target is not None
    assert event.target.span.text.startswith("the main ISIS depot")
    assert text[event.target.span.start : event.target.span.end] == event.target.span.text


@pytest.mark.parametrize(
    ("text", "trigger", "target"),
    [
        # a thing acted on in a sentence that names one country is within it
        ("Peru's government lifted a state of emergency on Tuesday.", "lifted", "PER"),
        # a protest with no named target is against the government of its one country
        ("Thousands of Chilean students demonstrated in Santiago on Thursday.", "demonstrated", "CHLGOV"),
        # an ethnic group's demonym names no country: the group is placed where it protests
        ("Hundreds of ethnic Hungarians protested in Romania on Sunday.", "protested", "ROUGOV"),
    ],
)
def test_events_rules_domestic_target(events_nlp: Language, text: str, trigger: str, target: str) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert event.target is not None
    assert event.target.code == target


@pytest.mark.parametrize(
    ("verb", "country"),
    [("suspended", "BRA"), ("endorsed", None)],
)
def test_events_rules_domestic_target_only_for_measures(
    events_nlp: Language, verb: str, country: str | None
) -> None:
    """An authority suspending a plan acts within its country; endorsing one says nothing of where."""
    event = one_act(_events(events_nlp, f"Brazil's government {verb} the plan on Monday."), verb)
    assert event.target is not None
    assert event.target.country == country


def test_events_rules_domestic_target_needs_one_country(events_nlp: Language) -> None:
    """A second country in the sentence leaves a thing acted on uncoded rather than guessed."""
    text = "Peru's government lifted a state of emergency on Tuesday, weeks after Chile did."
    event = one_act(_events(events_nlp, text), "lifted")
    assert event.target is None or event.target.country != "PER"


def test_events_rules_withdrawn_weapons_are_no_party(events_nlp: Language) -> None:
    """ "the withdrawal of heavy weapons": things moved are not the party that moves them."""
    text = "The UN monitored the withdrawal of heavy weapons from the front line."
    events = _events(events_nlp, text)
    withdrawal = [e for e in events if e.trigger.text == "withdrawal"]
    assert all(e.source is None or e.source.span.text != "heavy weapons" for e in withdrawal)


@pytest.mark.parametrize(
    ("text", "trigger", "target", "country"),
    [
        # the forces moved are the source's own; where they go or leave is the target
        ("Germany sent 500 troops to Lithuania.", "sent", "Lithuania", "LTU"),
        ("France offered to send 300 troops to Mali.", "offered", "Mali", "MLI"),
        ("Ukraine withdrew its troops from the village on Sunday.", "withdrew", "the village", "UKR"),
        # the object that makes the verb an event is part of the predicate, not the party
        (
            "The Estonian government lifted the curfew imposed on the port city.",
            "lifted",
            "the port city",
            "EST",
        ),
        # a name the knowledge base does not know is not placed in the source's country
        ("Canada lifted the ban imposed on Huawei.", "lifted", "Huawei", None),
    ],
)
def test_events_rules_predicate_object_gives_way_to_the_party(
    events_nlp: Language, text: str, trigger: str, target: str, country: str | None
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert event.target is not None
    assert (event.target.span.text, event.target.country) == (target, country)


@pytest.mark.parametrize("index", [1, 4])
def test_events_coder_function_words_are_no_names(events_nlp: Language, index: int) -> None:
    """ "who" is not the WHO, nor "us" the US."""
    doc = events_nlp("Officials who spoke to us denied it.")
    assert ActorCoder().code_tokens(doc, [doc[index]], None).country is None


def test_events_coder_surname_inside_another_name_is_not_that_person(events_nlp: Language) -> None:
    """ "Lindsey Graham" is not the knowledge base's Bill Graham, though both are "Graham"."""
    event = one_act(_events(events_nlp, "Senator Lindsey Graham accused Iran of lying."), "accused")
    assert event.source is not None
    assert event.source.country != "CAN"


@pytest.mark.parametrize(
    ("text", "country"),
    [("Officials criticised the ban on protests.", None), ("Officials criticised Ban on protests.", "KOR")],
)
def test_events_coder_common_noun_is_no_person_name(
    events_nlp: Language, text: str, country: str | None
) -> None:
    """ "the ban" is not Ban Ki-moon: news capitalises people's names."""
    event = one_act(_events(events_nlp, text, dt.date(2005, 6, 1)), "criticised")
    assert event.target is not None
    assert event.target.country == country


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target", "words"),
    [
        # a pronoun target gives way to the tagged name it stands for
        (
            (
                "Narendra Modi called Japanese Prime Minister Fumio Kishida on Monday to congratulate him "
                "on the election."
            ),
            "congratulate",
            "INDGOV",
            "JPNGOV",
            "Japanese Prime Minister Fumio Kishida",
        ),
        # one noun with coordinated owners is two parties acting together
        (
            "Indian and Japanese navies held joint exercises in the Bay of Bengal.",
            "exercises",
            "INDMIL",
            "JPNMIL",
            "Indian and Japanese navies",
        ),
        (
            "The navies of India and Japan held joint exercises in the Bay of Bengal.",
            "exercises",
            "INDMIL",
            "JPNMIL",
            "The navies of India and Japan",
        ),
    ],
)
def test_events_rules_tagged_parties_replace_pronouns_and_split_owners(
    events_nlp: Language, text: str, trigger: str, source: str, target: str, words: str
) -> None:
    event = one_act(_events(events_nlp, text, dt.date(2023, 5, 1)), trigger)
    assert event.source is not None
    assert event.target is not None
    assert (event.source.code, event.target.code, event.target.span.text) == (source, target, words)


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "mode", "cameo", "source", "target"),
    [
        # the act claimed is the claimant's; the CAMEO code stays the claim's (015); a thing bombed is
        # no party (the target chooser drops it, as the ConfliBERT annotators leave it out)
        (
            "A separatist group claimed responsibility for the bombing of a rail bridge.",
            "claimed",
            "ASSAULT",
            EventMode.FACT,
            "015",
            "A separatist group",
            None,
        ),
        # the act considered may happen; the CAMEO code stays the consideration's (014)
        (
            "Norway is considering sending aid to Mozambique after the cyclone.",
            "considering",
            "AID",
            EventMode.HYPOTHETICAL,
            "014",
            "Norway",
            "Mozambique",
        ),
        (
            "The EU is considering new sanctions against Belarus.",
            "considering",
            "SANCTION",
            EventMode.HYPOTHETICAL,
            "014",
            "The EU",
            "Belarus",
        ),
    ],
)
def test_events_rules_claimed_and_considered_acts_are_coded(
    events_nlp: Language,
    text: str,
    trigger: str,
    kind: str,
    mode: EventMode,
    cameo: str,
    source: str,
    target: str | None,
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert (event.type, event.mode, event.cameo) == (kind, mode, cameo)
    assert event.source is not None
    assert (event.source.span.text, event.target and event.target.span.text) == (source, target)


@pytest.mark.parametrize(
    "text",
    [
        "No faction claimed responsibility for the bombing in Peshawar.",
        "Nobody claimed responsibility for the rocket attack on the base.",
        "Long considered a threat to the region, the militia now holds talks.",
        "The minister considers that violence against reporters must end.",
        "The committee would not consider requests from the opposition.",
        "The rebels are considering ways to resist.",
    ],
)
def test_events_rules_no_act_claimed_or_considered(events_nlp: Language, text: str) -> None:
    """A claim nobody made, a judgment, another party's request: no act of the subject's to code."""
    events = _events(events_nlp, text)
    assert not [
        e
        for e in events
        if e.trigger.text in ("claimed", "considered", "considers", "consider", "considering")
    ]


@pytest.mark.parametrize(
    ("text", "trigger", "target"),
    [
        ("Ghana is sending soldiers to the UN peacekeeping mission in Lebanon.", "sending", "Lebanon"),
        ("Uruguay will contribute troops to the UN stabilisation force in Haiti.", "contribute", "Haiti"),
        (
            "Fiji agreed to extend its peacekeeping mission in the Golan Heights.",
            "agreed",
            "the Golan Heights",
        ),
        # the forces moved are the source's own: the party they are sent to help is the target
        ("Kenya offered to send troops to support the Somali army.", "offered", "the Somali army"),
        # a denial's target is its accuser, before the parties of what it denies
        (
            "Laos rejected accusations by the Thai foreign ministry that it had hidden the rebels.",
            "rejected",
            "the Thai foreign ministry",
        ),
    ],
)
def test_events_rules_target_is_the_party_not_the_means(
    events_nlp: Language, text: str, trigger: str, target: str
) -> None:
    """Forces and missions are the means: the country they serve in, or the party they are sent to,
    is the target. What a statement says is never its target: its accuser or addressee is."""
    event = one_act(_events(events_nlp, text), trigger)
    assert event.target is not None
    assert event.target.span.text == target


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        (
            "Police arrested at least 40 protesters in the capital on Sunday.",
            "arrested",
            "Police",
            "at least 40 protesters",
        ),
        (
            "The army shelled all the villages near the border.",
            "shelled",
            "The army",
            "all the villages near the border",
        ),
        (
            "Chad accused the Rapid Support Forces (RSF) of attacking a camp.",
            "accused",
            "Chad",
            "the Rapid Support Forces (RSF)",
        ),
        (
            "All the opposition parties criticised the president.",
            "criticised",
            "All the opposition parties",
            "the president",
        ),
    ],
)
def test_events_rules_parties_are_drawn_whole(
    events_nlp: Language, text: str, trigger: str, source: str, target: str
) -> None:
    """A party runs from its own article or count words to its closing bracket, as annotators of
    news events draw it."""
    event = one_act(_events(events_nlp, text), trigger)
    assert event.source is not None
    assert event.target is not None
    assert (event.source.span.text, event.target.span.text) == (source, target)


@pytest.mark.parametrize(
    "text",
    [
        "Senate and House leaders met on Monday.",
        "The two delegations met on Tuesday afternoon.",
    ],
)
def test_events_rules_time_is_never_a_target(events_nlp: Language, text: str) -> None:
    """A day or an hour the act happened on is its date, never the party it acts on."""
    event = one_act(_events(events_nlp, text), "met")
    assert event.target is None


@pytest.mark.parametrize(
    ("text", "party", "whole"),
    [
        (
            "Police detained Idil Demir , the director of a rights group , in Istanbul .",
            "Idil Demir",
            "Idil Demir , the director of a rights group",
        ),
        (
            "The president called his counterpart , Michel Aoun , on Tuesday .",
            "his counterpart",
            "his counterpart , Michel Aoun",
        ),
        # a clause on the title is not the party's
        (
            "The court summoned John Okello , a local official who had refused to testify .",
            "John Okello",
            "John Okello , a local official",
        ),
        # a place's apposition is a description, not a title
        ("Rockets struck Haifa , the third largest city of Israel .", "Haifa", "Haifa"),
    ],
)
def test_events_rules_whole_party_takes_a_person_s_apposition(
    events_nlp: Language, text: str, party: str, whole: str
) -> None:
    """A person and the title or name a comma sets off after it are one party, as news event
    annotators draw them, whatever part of it the tag layer marked."""
    doc = events_nlp(text)
    start = len(text[: text.index(party)].split())
    drawn = whole_party(doc, start, start + len(party.split()))
    assert doc[drawn[0] : drawn[1]].text == whole


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "target"),
    [
        ("Moscow sent hundreds of troops to the Georgian border.", "sent", "MOBILIZE", "the Georgian border"),
        ("Moscow deployed thousands of soldiers in Crimea.", "deployed", "MOBILIZE", "Crimea"),
        ("Seoul delivered a shipment of vaccines to Hanoi.", "delivered", "AID", "Hanoi"),
        ("Britain returned dozens of looted artefacts to Nigeria.", "returned", "RETREAT", "Nigeria"),
    ],
)
def test_events_rules_measure_of_the_object_licenses_the_verb(
    events_nlp: Language, text: str, trigger: str, kind: str, target: str
) -> None:
    """ "hundreds of troops", "a shipment of vaccines": what the measure counts or carries is what the
    verb acts on, and neither is the target."""
    event = one_act(_events(events_nlp, text), trigger)
    assert event.type == kind
    assert event.target is not None
    assert event.target.span.text == target


def test_events_rules_attack_on_a_mission_targets_the_mission(events_nlp: Language) -> None:
    event = one_act(_events(events_nlp, "Gunmen attacked the UN peacekeeping mission in Mali."), "attacked")
    assert event.target is not None
    assert event.target.span.text == "the UN peacekeeping mission in Mali"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Angela Merkel met her French counterpart Emmanuel Macron in Berlin.", "FRA"),
        ("Angela Merkel met her counterpart in Berlin.", None),
    ],
)
def test_events_coder_counterpart_is_not_its_owner(
    events_nlp: Language, text: str, country: str | None
) -> None:
    """ "her counterpart" is of another country than she: the name in the phrase, or nothing."""
    event = one_act(_events(events_nlp, text, dt.date(2019, 3, 1)), "met")
    assert event.target is not None
    assert event.target.country == country


@pytest.mark.parametrize(
    ("text", "trigger", "role", "country"),
    [
        # Saudi Arabia's ban, not Ban Ki-moon's Korea
        ("The minister criticised the Saudi ban on female drivers.", "criticised", "target", "SAU"),
        # Iraqi men, not the Maldives of the capital Malé
        ("Two Iraqi male gunmen attacked the hotel in Amman.", "attacked", "source", "IRQ"),
        # a name with a capital inside it is still a name
        ("The al-Qaeda militants attacked the base.", "attacked", "source", "IMG"),
    ],
)
def test_events_coder_capitalised_modifier_makes_no_name(
    events_nlp: Language, text: str, trigger: str, role: str, country: str
) -> None:
    """A known name ends in a capital letter: a capitalised word before a common noun does not make
    the noun a name."""
    party = getattr(one_act(_events(events_nlp, text), trigger), role)
    assert party is not None
    assert party.country == country


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        # a participle qualifying a noun is passive: its agent acts, the noun is acted on
        (
            "Three students detained by the police in Dhaka were released.",
            "detained",
            "the police in Dhaka",
            "Three students",
        ),
        (
            "Kurdish fighters backed by American aircraft retook the town.",
            "backed",
            "American aircraft",
            "Kurdish fighters",
        ),
        ("The migrants deported by Hungary reached Belgrade.", "deported", "Hungary", "The migrants"),
        # one released is acted on, not the one who moves
        ("Two Italian engineers were released on Friday.", "released", None, "Two Italian engineers"),
    ],
)
def test_events_rules_participle_and_release_roles(
    events_nlp: Language, text: str, trigger: str, source: str | None, target: str
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert (event.source.span.text if event.source else None) == source
    assert event.target is not None
    assert event.target.span.text == target


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "source", "target"),
    [
        # a passive verb acts on its subject: "the curfew was lifted" is "lifted the curfew"
        (
            "The curfew on the northern town was lifted by the army on Sunday.",
            "lifted",
            "RETREAT",
            "the army",
            "the northern town",
        ),
        # who imposed a measure lifts it
        ("EU sanctions on Belarus were lifted in March.", "lifted", "RETREAT", "EU", "Belarus"),
    ],
)
def test_events_rules_passive_subject_is_acted_on(
    events_nlp: Language, text: str, trigger: str, kind: str, source: str, target: str
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert event.type == kind
    assert event.source is not None
    assert (event.source.span.text, event.target and event.target.span.text) == (source, target)


@pytest.mark.parametrize(
    "text",
    [
        "The ministry released a video of the launch.",
        "In a statement released by the embassy on Monday, officials said the talks would go on.",
        # "release" and "free" act on people: a thing released is no release (acts_on "party")
        "A survey of voters, released on Tuesday, found that trust in parliament had fallen.",
        "The studio said the film would be released in Japan next spring.",
        "Prosecutors have released few details about the charges.",
        "The ministry released the names of the ships it had seized.",
    ],
)
def test_events_rules_released_document_is_no_release(events_nlp: Language, text: str) -> None:
    """Publishing a statement, a video or a film frees no one (CAMEO 010, no PLOVER event)."""
    assert not [e for e in _events(events_nlp, text) if e.trigger.text == "released"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Security cameras captured the explosion outside the station.", None),
        ("The photographer captured the mood of the crowd in one picture.", None),
        ("Kurdish forces captured two senior commanders of the militia.", "COERCE"),
        ("Government troops captured the airport after heavy fighting.", "ASSAULT"),
        ("The army said it was capturing or killing the group's local leaders.", "COERCE"),
    ],
)
def test_events_rules_capture_acts_on_people_or_ground(
    events_nlp: Language, text: str, kind: str | None
) -> None:
    """Capturing people is an arrest (CAMEO 173), capturing ground an occupation (192), capturing a
    scene on camera nothing."""
    found = [e.type for e in _events(events_nlp, text) if e.trigger.text.startswith("captur")]
    assert found == ([kind] if kind else [])


@pytest.mark.parametrize(
    "phrase",
    [str(e["examples"][0]["phrase"]) for _, e in read_jsonl(data_dir() / "party_nouns.v1.jsonl")],
)
def test_events_rules_party_noun_can_be_released(events_nlp: Language, phrase: str) -> None:
    """Each noun of party_nouns.v1.jsonl, in its example phrase, is someone a release acts on."""
    event = one_act(_events(events_nlp, f"The militia released {phrase} on Sunday."), "released")
    assert event.type == "RETREAT"


RELEASES = [
    ("Belarus released three Lithuanian truckers on Friday.", "released", "three Lithuanian truckers"),
    ("The two sailors were freed by the Houthis in March.", "freed", "The two sailors"),
    ("The junta released him from prison after a year.", "released", "him"),
    ("The captives that the militia released were children.", "released", "The captives"),
    ("The court freed dozens of protesters on bail.", "freed", "dozens of protesters"),
]


@pytest.mark.parametrize(("text", "trigger", "target"), RELEASES)
def test_events_rules_release_acts_on_people_without_the_tagger(
    rules_nlp: Language, text: str, trigger: str, target: str
) -> None:
    """The rules alone find who is released: a personal pronoun before the place where people are
    held ("him", not "prison"), the noun a relative clause qualifies ("The captives that ...")."""
    event = one_act(_events(rules_nlp, text), trigger)
    assert event.target is not None
    assert event.target.span.text == target


@pytest.mark.parametrize(("text", "trigger", "target"), RELEASES)
def test_events_rules_release_acts_on_people(
    events_nlp: Language, text: str, trigger: str, target: str
) -> None:
    """A release of people, named, counted, as a pronoun or behind a relative pronoun, is RETREAT."""
    event = one_act(_events(events_nlp, text), trigger)
    assert event.type == "RETREAT"
    assert event.target is not None
    assert event.target.span.text == target


def test_events_rules_no_party_from_another_clause_or_from_what_is_escaped(events_nlp: Language) -> None:
    """An adverbial clause's own subject is not the main event's party, and whoever hopes for relief
    from sanctions does not impose them."""
    events = _events(
        events_nlp,
        "After his release, Mugabe led a rebel movement against the regime; later, Mugabe was hailed a hero.",
    )
    event = one_act(events, "hailed")
    assert event.source is None
    assert event.target is not None
    events = _events(events_nlp, "Caracas shopkeepers hoping for relief from sanctions complained on Monday.")
    assert not [e for e in events if e.trigger.text == "sanctions"]


def test_events_rules_frame_over_a_statement_is_no_event(events_nlp: Language) -> None:
    """ "preparing to release a statement": an intention to publish is no event, and no event is untyped."""
    events = _events(events_nlp, "The ministry is preparing to release a statement on the talks with Chile.")
    assert all(e.type for e in events)
    assert not [e for e in events if e.trigger.text == "preparing"]


@pytest.mark.parametrize(
    ("text", "trigger", "source"),
    [
        # people named by their modifiers act in the participle that qualifies them
        ("Turkey keeps arming Syrian rebels fighting Kurdish militias.", "fighting", "Syrian rebels"),
        (
            "The report counted Peruvian farmers protesting against the mine.",
            "protesting",
            "Peruvian farmers",
        ),
        # a thing speaks for its issuer
        ("The ministry issued a statement urging Serbia to withdraw.", "urging", "The ministry"),
        # a group named by its "of" phrase; the object of a verb is the subject of its gerund
        (
            "Her strongest words targeted members of Parliament considering new sanctions on Syria.",
            "considering",
            "members of Parliament",
        ),
    ],
    ids=["modifier", "modifier-protest", "issuer", "of-phrase"],
)
def test_events_rules_participle_of_a_group_is_its_act(
    events_nlp: Language, text: str, trigger: str, source: str
) -> None:
    event = one_act(_events(events_nlp, text), trigger)
    assert event.source is not None
    assert event.source.span.text == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("United Nations sanctions on North Korea hurt its coal exports.", "United Nations"),
        ("The Russian invasion of Ukraine began in February.", "Russian"),
        # the tagged main party acts: the enforcer, not the body that decided the sanctions
        ("China is enforcing all United Nations sanctions on North Korea.", "China"),
    ],
)
def test_events_rules_modifier_party_keeps_its_name(events_nlp: Language, text: str, source: str) -> None:
    """A party named by a noun's modifier is that modifier with the words of its own name, unless the
    tag layer finds the sentence's source elsewhere."""
    event = one_act(_events(events_nlp, text), "sanctions" if "sanctions" in text else "invasion")
    assert event.source is not None
    assert event.source.span.text == source


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Germany returned the bronzes to Nigeria in December.", "Nigeria"),
        ("The museum returned two manuscripts to Ethiopia.", "Ethiopia"),
        ("Thousands of refugees returned to Syria last year.", None),  # no object: a journey home
    ],
)
def test_events_rules_return_needs_an_object(events_nlp: Language, text: str, target: str | None) -> None:
    """ "return ... to" is giving something back (CAMEO 0842) only with an object (`acts_on: "any"`)."""
    found = [e for e in _events(events_nlp, text) if e.trigger.text == "returned"]
    assert [e.target.span.text if e.target else None for e in found] == ([target] if target else [])
    assert all((e.type, e.cameo) == ("RETREAT", "0842") for e in found)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The Turkish foreign minister arrived in Baghdad on Sunday.", "Baghdad"),
        ("The Kenyan delegation arrived in Addis Ababa for the summit.", "Addis Ababa"),
        ("Two UN envoys travelled to Khartoum last week.", "Khartoum"),
        ("The storm arrived in Florida on Tuesday.", None),  # no party: no visit
        ("The virus travelled to Europe within weeks.", None),
        ("A contingent of Bangladeshi peacekeeping troops arrived in Freetown.", None),  # a deployment
    ],
)
def test_events_rules_visit_is_made_by_a_party(events_nlp: Language, text: str, target: str | None) -> None:
    """ "arrive in", "travel to" are visits (CAMEO 042) only when a party other than armed forces makes
    them (`by: "party"`)."""
    found = [e for e in _events(events_nlp, text) if e.trigger.text in ("arrived", "travelled")]
    assert [e.target.span.text if e.target else None for e in found] == ([target] if target else [])
    assert all((e.type, e.cameo) == ("CONSULT", "042") for e in found)
