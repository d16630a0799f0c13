"""Actor linking and resolution on hand-built Docs (blank pipeline, entities set by hand)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsledger.analyze.actors import acting_government, actor_at, extract_actors, resolve_pronoun
from newsledger.analyze.extensions import register_extensions
from newsledger.model import Actor, ActorKind

DAY = dt.date(2023, 1, 10)


def make_doc(nlp: Language, text: str, entities: dict[str, str]) -> Doc:
    """``text`` with every occurrence of each key marked as an entity of the given label."""
    register_extensions()
    doc = nlp(text)
    spans: list[Span] = []
    taken: set[int] = set()
    for phrase, label in sorted(entities.items(), key=lambda item: -len(item[0])):
        for found in re.finditer(re.escape(phrase), text):
            span = doc.char_span(found.start(), found.end(), label=label)
            assert span is not None, phrase
            if not taken & set(range(span.start, span.end)):
                spans.append(span)
                taken.update(range(span.start, span.end))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def actors_of(nlp: Language, text: str, entities: dict[str, str], day: dt.date = DAY) -> list[Actor]:
    doc = make_doc(nlp, text, entities)
    return extract_actors(doc, date=day)


def by_mention(actors: list[Actor], text: str) -> Actor:
    for actor in actors:
        if any(m.text == text for m in actor.mentions):
            return actor
    raise AssertionError(f"no actor mentions {text!r}: {[a.name for a in actors]}")


@pytest.mark.parametrize(
    ("text", "entities", "first", "second"),
    [
        (
            "Vladimir Putin spoke. Later Putin left.",
            {"Vladimir Putin": "PERSON", "Putin": "PERSON"},
            "Vladimir Putin",
            "Putin",
        ),
        (
            "Xi Jinping arrived. Xi said nothing.",
            {"Xi Jinping": "PERSON", "Xi": "PERSON"},
            "Xi Jinping",
            "Xi",
        ),
        (
            "Ana Morales met aides. Morales then left.",
            {"Ana Morales": "PERSON", "Morales": "PERSON"},
            "Ana Morales",
            "Morales",
        ),
        (
            "Putin spoke first. Then Vladimir Putin left.",
            {"Vladimir Putin": "PERSON", "Putin": "PERSON"},
            "Putin",
            "Vladimir Putin",
        ),
        # the small model often labels a lone surname ORG or GPE
        (
            "Ana Morales met aides. Morales then left.",
            {"Ana Morales": "PERSON", "Morales": "ORG"},
            "Ana Morales",
            "Morales",
        ),
        (
            "Tomas Berg met aides. Berg then left.",
            {"Tomas Berg": "PERSON", "Berg": "GPE"},
            "Tomas Berg",
            "Berg",
        ),
    ],
)
def test_actors_link_surname_to_full_name(
    blank_nlp: Language, text: str, entities: dict[str, str], first: str, second: str
) -> None:
    """A surname (or family name) alone joins the full name's actor, in either order, whatever
    label the entity recogniser gave it."""
    actors = actors_of(blank_nlp, text, entities)
    assert by_mention(actors, first).id == by_mention(actors, second).id
    assert by_mention(actors, second).kind is ActorKind.PERSON


def test_actors_take_a_name_the_kb_knows_only_as_a_person_for_one(blank_nlp: Language) -> None:
    """A lone surname labelled ORG is a person when the KB knows the name as a person's only."""
    actors = actors_of(blank_nlp, "Putin left early.", {"Putin": "ORG"})
    assert by_mention(actors, "Putin").kind is ActorKind.PERSON


def test_actors_keep_a_known_place_apart_from_a_namesake(blank_nlp: Language) -> None:
    """A one-word place the KB knows stays a place, even beside a person of that surname."""
    actors = actors_of(
        blank_nlp,
        "Ana Jordan met aides. Jordan closed its border.",
        {"Ana Jordan": "PERSON", "Jordan": "GPE"},
    )
    assert by_mention(actors, "Jordan").id != by_mention(actors, "Ana Jordan").id


@pytest.mark.parametrize(
    ("text", "entity", "name"),
    [
        ("Russian President Vladimir Putin spoke.", "Russian President Vladimir Putin", "Vladimir Putin"),
        ("President Xi Jinping spoke.", "President Xi Jinping", "Xi Jinping"),
        ("Deputy Foreign Minister Ana Morales spoke.", "Deputy Foreign Minister Ana Morales", "Ana Morales"),
        ("Mr Tom Brand's plan failed.", "Mr Tom Brand's", "Tom Brand"),
    ],
)
def test_actors_strip_titles_from_names(blank_nlp: Language, text: str, entity: str, name: str) -> None:
    """Titles, demonyms and possessives are not part of a person's name."""
    (actor,) = actors_of(blank_nlp, text, {entity: "PERSON"})
    assert actor.name == name


def test_actors_take_role_and_country_from_title_when_unknown(blank_nlp: Language) -> None:
    """An unknown person's preceding title gives role, sector and (through a demonym) country."""
    (actor,) = actors_of(
        blank_nlp, "The Peruvian foreign minister Ana Morales spoke.", {"Ana Morales": "PERSON"}
    )
    assert (actor.kb_id, actor.country, actor.sector) == (None, "PER", "GOV")
    assert actor.role is not None
    assert "foreign minister" in actor.role.lower()


@pytest.mark.parametrize(
    ("text", "entities", "acronym", "name"),
    [
        (
            "The Financial Times reported it. The FT said so.",
            {"The Financial Times": "ORG"},
            "FT",
            "Financial Times",
        ),
        (
            "The Blue River Authority met. The BRA agreed.",
            {"The Blue River Authority": "ORG"},
            "BRA",
            "The Blue River Authority",
        ),
    ],
)
def test_actors_link_acronyms(
    blank_nlp: Language, text: str, entities: dict[str, str], acronym: str, name: str
) -> None:
    """An untagged acronym joins the organisation whose initials it is (or the KB entry it names)."""
    actors = actors_of(blank_nlp, text, entities)
    assert by_mention(actors, acronym).id == by_mention(actors, next(iter(entities))).id


def test_actors_resolve_kb_acronym_alone(blank_nlp: Language) -> None:
    """An acronym the KB knows is an actor even when spaCy missed it."""
    actors = actors_of(blank_nlp, "Officials said NATO would meet.", {})
    nato = by_mention(actors, "NATO")
    assert (nato.kind, nato.country, nato.sector) == (ActorKind.ORGANISATION, "IGO", "IGO")


@pytest.mark.parametrize(
    ("text", "entities", "nominal", "antecedent"),
    [
        (
            "The Financial Times said so. Officials told the newspaper more.",
            {"The Financial Times": "ORG"},
            "the newspaper",
            "The Financial Times",
        ),
        (
            "Reuters said so. Officials told the publication more.",
            {"Reuters": "ORG"},
            "the publication",
            "Reuters",
        ),
        ("The BBC said so. The broadcaster added more.", {"BBC": "ORG"}, "The broadcaster", "BBC"),
        (
            "Chatham House said so. The think tank added more.",
            {"Chatham House": "ORG"},
            "The think tank",
            "Chatham House",
        ),
        ("NATO met Reuters. The alliance agreed.", {"NATO": "ORG", "Reuters": "ORG"}, "The alliance", "NATO"),
        (
            "The newspaper The Daily Planet said so. The paper added more.",
            {"The Daily Planet": "ORG"},
            "The paper",
            "The Daily Planet",
        ),
    ],
)
def test_actors_link_nominals_to_antecedent(
    blank_nlp: Language, text: str, entities: dict[str, str], nominal: str, antecedent: str
) -> None:
    """ "the newspaper", "the think tank", "the alliance" refer to the compatible actor named before."""
    actors = actors_of(blank_nlp, text, entities)
    assert by_mention(actors, nominal).id == by_mention(actors, antecedent).id


def test_actors_leave_nominal_without_antecedent(blank_nlp: Language) -> None:
    """A nominal with no compatible actor before it is not forced onto another actor."""
    actors = actors_of(
        blank_nlp, "Vladimir Putin spoke. The newspaper disagreed.", {"Vladimir Putin": "PERSON"}
    )
    assert all("The newspaper" not in [m.text for m in a.mentions] for a in actors)


@pytest.mark.parametrize(
    ("text", "group", "kind", "country", "sector"),
    [
        (
            "Yesterday five senior Chinese officials said no.",
            "five senior Chinese officials",
            ActorKind.GROUP,
            "CHN",
            "GOV",
        ),
        ("One source said no.", "One source", ActorKind.INDIVIDUAL, None, None),
        ("Diplomats said no.", "Diplomats", ActorKind.GROUP, None, "GOV"),
        ("Chinese insiders said no.", "Chinese insiders", ActorKind.GROUP, "CHN", None),
        (
            "Several Russian military officials said no.",
            "Several Russian military officials",
            ActorKind.GROUP,
            "RUS",
            "MIL",
        ),
        ("An official said no.", "An official", ActorKind.INDIVIDUAL, None, "GOV"),
    ],
)
def test_actors_find_unnamed_groups_and_individuals(
    blank_nlp: Language, text: str, group: str, kind: ActorKind, country: str | None, sector: str | None
) -> None:
    """Unnamed groups and individuals are actors, with the country a demonym gives them."""
    actor = by_mention(actors_of(blank_nlp, text, {}), group)
    assert (actor.kind, actor.country, actor.sector) == (kind, country, sector)


def test_actors_ignore_source_without_determiner(blank_nlp: Language) -> None:
    """ "the source of the leak" is not an unnamed individual."""
    assert actors_of(blank_nlp, "They found the source of the leak.", {}) == []


@pytest.mark.parametrize(
    ("text", "entities", "pronoun_index", "antecedent"),
    [
        ("Ana Morales arrived. She spoke.", {"Ana Morales": "PERSON"}, 4, "Ana Morales"),
        (
            "Xi Jinping talked with Vladimir Putin. He spoke of peace.",
            {"Xi Jinping": "PERSON", "Vladimir Putin": "PERSON"},
            7,
            "Xi Jinping",
        ),
        ("Tom Brand said he would go.", {"Tom Brand": "PERSON"}, 3, "Tom Brand"),
        ("Five diplomats arrived. They spoke.", {}, 4, "Five diplomats"),
    ],
)
def test_actors_resolve_pronouns(
    blank_nlp: Language, text: str, entities: dict[str, str], pronoun_index: int, antecedent: str
) -> None:
    """A person pronoun refers to the nearest compatible actor, preferring the sentence's first one."""
    doc = make_doc(blank_nlp, text, entities)
    doc._.actors = extract_actors(doc, date=DAY)
    assert doc[pronoun_index].lower_ in {"she", "he", "they"}
    assert resolve_pronoun(doc, pronoun_index) == by_mention(doc._.actors, antecedent).id


def test_actors_leave_pronoun_without_antecedent(blank_nlp: Language) -> None:
    """A pronoun with no person before it resolves to nothing."""
    doc = make_doc(blank_nlp, "He spoke.", {})
    doc._.actors = extract_actors(doc, date=DAY)
    assert resolve_pronoun(doc, 0) is None


def test_actors_take_affiliation_from_apposition(blank_nlp: Language) -> None:
    """ "X, a researcher at the think tank Y": X's affiliation is Y and role "researcher"."""
    actors = actors_of(
        blank_nlp,
        "Ann Lee, a researcher at the London think tank Chatham House, said so.",
        {"Ann Lee": "PERSON", "London": "GPE", "Chatham House": "ORG"},
    )
    person, tank = by_mention(actors, "Ann Lee"), by_mention(actors, "Chatham House")
    assert (person.affiliation, person.role) == (tank.id, "researcher")
    assert tank.sector == "NGO"


@pytest.mark.parametrize(
    ("text", "entities", "mention", "expected"),
    [
        ("Beijing said no.", {"Beijing": "GPE"}, "Beijing", ("CHN", "GOV")),
        ("The Kremlin said no.", {"Kremlin": "FAC"}, "Kremlin", ("RUS", "GOV")),
        ("The Pentagon said no.", {"Pentagon": "ORG"}, "Pentagon", ("USA", "MIL")),
        ("China said no.", {"China": "GPE"}, "China", ("CHN", "GOV")),
        ("Springfield said no.", {"Springfield": "GPE"}, "Springfield", None),
    ],
)
def test_actors_give_government_of_acting_place(
    blank_nlp: Language, text: str, entities: dict[str, str], mention: str, expected: tuple[str, str] | None
) -> None:
    """A place stands for its government by metonymy; an unknown place stands for nothing."""
    actor = by_mention(actors_of(blank_nlp, text, entities), mention)
    assert actor.kind is ActorKind.PLACE
    assert actor.sector is None
    assert acting_government(actor) == expected


@pytest.mark.parametrize(
    ("day", "role"),
    [(dt.date(2010, 6, 1), "Prime Minister of Russia"), (dt.date(2015, 6, 1), "President of Russia")],
)
def test_actors_resolve_role_at_article_date(blank_nlp: Language, day: dt.date, role: str) -> None:
    """A KB person's role is the one held on the article's date."""
    (actor,) = actors_of(blank_nlp, "Vladimir Putin spoke.", {"Vladimir Putin": "PERSON"}, day)
    assert (actor.kb_id, actor.country, actor.sector, actor.role) == ("Q7747", "RUS", "GOV", role)


def test_actors_keep_unknown_names_unresolved(blank_nlp: Language) -> None:
    """An unknown organisation keeps its text and gets no code rather than a wrong one."""
    (actor,) = actors_of(blank_nlp, "The Zorblatt Consortium said no.", {"Zorblatt Consortium": "ORG"})
    assert (actor.name, actor.kb_id, actor.country, actor.sector) == ("Zorblatt Consortium", None, None, None)


def test_actors_find_actor_at_offsets(blank_nlp: Language) -> None:
    """actor_at finds the actor of an exact or overlapping character span."""
    actors = actors_of(blank_nlp, "Vladimir Putin spoke.", {"Vladimir Putin": "PERSON"})
    assert actor_at(actors, 0, 14) is actors[0]
    assert actor_at(actors, 9, 20) is actors[0]
    assert actor_at(actors, 15, 20) is None


def test_actors_number_ids_in_text_order(blank_nlp: Language) -> None:
    """Local ids are A1, A2... by first mention."""
    actors = actors_of(
        blank_nlp,
        "Putin met Xi Jinping. Vladimir Putin left.",
        {"Putin": "PERSON", "Xi Jinping": "PERSON", "Vladimir Putin": "PERSON"},
    )
    assert [(a.id, a.name) for a in actors] == [("A1", "Vladimir Putin"), ("A2", "Xi Jinping")]


def test_actors_mark_former_office_holders_as_elite(blank_nlp: Language) -> None:
    """ "former Sen. X" keeps the title as written and the CAMEO sector ELI."""
    (actor,) = actors_of(blank_nlp, "The former Sen. Tom Brand spoke.", {"Tom Brand": "PERSON"})
    assert (actor.role, actor.sector) == ("former Sen.", "ELI")


def test_actors_component_reads_extra_kb_files(tmp_path: Path) -> None:
    """The component's kb_paths option adds user KB files to the packaged KB."""
    import spacy

    (tmp_path / "extra.jsonl").write_text(
        '{"id": "org.zorblatt", "kind": "organisation", "name": "Zorblatt Consortium", "aliases": ["ZBC"], '
        '"country": "PER", "sector": "BUS"}\n',
        encoding="utf-8",
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("newsledger_actors", config={"kb_paths": [str(tmp_path)]})
    doc = nlp("The ZBC said no.")
    (actor,) = doc._.actors
    assert (actor.kb_id, actor.country, actor.sector) == ("org.zorblatt", "PER", "BUS")


@pytest.mark.parametrize(
    ("text", "entities", "mention", "country"),
    [
        # the KB names the group with its country word, tagged apart: another group than the bare name
        (
            "Troops killed a Pakistani Taliban commander.",
            {"Pakistani": "NORP", "Taliban": "ORG"},
            "Pakistani Taliban",
            "PAK",
        ),
        ("Afghan troops fought the Taliban.", {"Afghan": "NORP", "Taliban": "ORG"}, "Taliban", "AFG"),
    ],
)
def test_actors_group_named_with_its_country_word(
    blank_nlp: Language, text: str, entities: dict[str, str], mention: str, country: str
) -> None:
    assert by_mention(actors_of(blank_nlp, text, entities), mention).country == country
