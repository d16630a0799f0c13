"""Actors of the seed article through the full pipeline (real model, packaged KB)."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from conftest import SEED_ARTICLE, shared_path
from newsledger.analyze.actors import acting_government, place_acts, resolve_pronoun
from newsledger.analyze.pipeline import analyze_article, build_pipeline, make_doc
from newsledger.model import Actor, ActorKind, Article

PUBLISHED = dt.date(2023, 1, 10)


@pytest.fixture(scope="module")
def actors_nlp() -> Language:
    """The real model with the components up to actors: these tests do not depend on later stages."""
    return build_pipeline(components=("newsledger_times", "newsledger_actors"))


@pytest.fixture(scope="module")
def seed(actors_nlp: Language) -> tuple[Article, object]:
    path = shared_path("corpus", "seed", SEED_ARTICLE.name)
    article = Article(id="seed", text=path.read_text(encoding="utf-8"), published=PUBLISHED)
    doc = actors_nlp(make_doc(actors_nlp, article))
    return article, doc


def _actor(doc: object, text: str) -> Actor:
    for actor in doc._.actors:  # type: ignore[attr-defined]
        if any(m.text == text for m in actor.mentions):
            return actor
    raise AssertionError(f"no actor mentions {text!r}")


@pytest.mark.parametrize(
    ("mention", "kb_id", "country", "sector", "role"),
    [
        ("Vladimir Putin", "Q7747", "RUS", "GOV", "President of Russia"),
        ("Xi Jinping", "Q15031", "CHN", "GOV", "President of China"),
        (
            "Le Yucheng",
            "person.le-yucheng",
            "CHN",
            "GOV",
            "Deputy Director of the National Radio and Television Administration",
        ),
        ("Financial Times", "media.ft", "GBR", "MED", None),
        ("Chatham House", "tank.chatham", "GBR", "NGO", None),
    ],
)
def test_kb_seed_resolves_named_actors(
    seed: tuple[Article, object], mention: str, kb_id: str, country: str, sector: str, role: str | None
) -> None:
    """Named actors resolve to the KB with their role on the publication date."""
    actor = _actor(seed[1], mention)
    assert (actor.kb_id, actor.country, actor.sector, actor.role) == (kb_id, country, sector, role)


@pytest.mark.parametrize(
    ("first", "others"),
    [
        ("Vladimir Putin", ["Putin"]),
        ("Xi Jinping", ["Xi"]),
        ("Financial Times", ["FT", "the publication", "The newspaper", "The Financial Times"]),
    ],
)
def test_kb_seed_links_mentions(seed: tuple[Article, object], first: str, others: list[str]) -> None:
    """Surnames, acronyms and nominal mentions join the named actor."""
    actor = _actor(seed[1], first)
    assert all(_actor(seed[1], text).id == actor.id for text in others)


def test_kb_seed_media_kind_and_yu_jie_affiliation(seed: tuple[Article, object]) -> None:
    """The FT is media; Yu Jie is a researcher affiliated with Chatham House."""
    doc = seed[1]
    assert _actor(doc, "Financial Times").kind is ActorKind.MEDIA
    yu = _actor(doc, "Yu Jie")
    assert (yu.kind, yu.role, yu.affiliation) == (
        ActorKind.PERSON,
        "researcher",
        _actor(doc, "Chatham House").id,
    )


def test_kb_seed_unnamed_groups(seed: tuple[Article, object]) -> None:
    """ "five senior Chinese officials" is a CHN GOV group; "One source" an individual."""
    doc = seed[1]
    group = _actor(doc, "five senior Chinese officials")
    assert (group.kind, group.country, group.sector) == (ActorKind.GROUP, "CHN", "GOV")
    assert _actor(doc, "One source").kind is ActorKind.INDIVIDUAL
    assert _actor(doc, "Diplomats").kind is ActorKind.GROUP
    assert _actor(doc, "Chinese insiders").country == "CHN"


def test_kb_seed_pronouns(seed: tuple[Article, object]) -> None:
    """ "he was reassigned" is Le Yucheng; the last paragraph's "He" is Xi."""
    doc = seed[1]
    he = [t.i for t in doc if t.lower_ == "he"]  # type: ignore[attr-defined]
    assert resolve_pronoun(doc, he[0]) == _actor(doc, "Le Yucheng").id  # type: ignore[arg-type]
    assert resolve_pronoun(doc, he[-1]) == _actor(doc, "Xi Jinping").id  # type: ignore[arg-type]


def test_kb_seed_beijing_acts_as_government(seed: tuple[Article, object]) -> None:
    """Beijing is a place standing for CHN GOV; some of its mentions act."""
    doc = seed[1]
    beijing = _actor(doc, "Beijing")
    assert beijing.kind is ActorKind.PLACE
    assert acting_government(beijing) == ("CHN", "GOV")
    assert any(place_acts(doc, m) for m in beijing.mentions)  # type: ignore[arg-type]


def test_kb_seed_entities_link_to_actors(actors_nlp: Language, seed: tuple[Article, object]) -> None:
    """Person and organisation entities of the Analysis carry their actor id."""
    analysis = analyze_article(actors_nlp, seed[0])
    linked = [e for e in analysis.entities if e.label in {"PERSON", "ORG"}]
    assert linked
    assert all(e.actor_id for e in linked)
