"""Hand-built analyses for tests that need records but no model (store, web, CLI output).

The text is written for these tests (no third-party news). ``make_analysis`` gives a small article
with every kind of record; ``make_plain`` an article with only its text. ``one_act`` picks an event
from a model's output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Certainty,
    Channel,
    Conduit,
    Entity,
    Event,
    EventActor,
    EventDate,
    EventMode,
    Location,
    QuoteKind,
    SourceType,
    Span,
    TimeExpression,
    TimeType,
)

TEXT = (
    "Officials in Beijing said on Tuesday that President Xi Jinping will visit Moscow in March. "
    "Vladimir Putin welcomed the plan, according to the Kremlin. "
    "Two diplomats told Reuters privately that the talks on grain exports had stalled."
)


def span(text: str, phrase: str, occurrence: int = 0) -> Span:
    """The span of the ``occurrence``-th ``phrase`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return Span.of(text, start, start + len(phrase))


def make_plain(
    article_id: str = "plain-1",
    text: str = "A short article about nothing in particular.",
    *,
    title: str | None = None,
    published: dt.date | None = None,
    outlet: str | None = None,
    analyzer_version: str = "test-1",
) -> Analysis:
    """An analysis with the article and its sentences only."""
    article = Article(id=article_id, text=text, title=title, published=published, outlet=outlet)
    return Analysis(
        article=article, sentences=(Span.of(text, 0, len(text)),), analyzer_version=analyzer_version
    )


def make_analysis(
    article_id: str = "art-1",
    *,
    title: str | None = "Xi to visit Moscow",
    published: dt.date | None = dt.date(2023, 1, 10),
    outlet: str | None = "Example Times",
    url: str | None = "https://news.example/xi-moscow",
    origin: str | None = "tests/factories.py",
    analyzer_version: str = "test-1",
) -> Analysis:
    """A three-sentence article with entities, actors, times, attributions (one relayed) and events."""
    text = TEXT
    s = lambda phrase, occurrence=0: span(text, phrase, occurrence)  # noqa: E731
    article = Article(
        id=article_id, text=text, title=title, published=published, outlet=outlet, url=url, origin=origin
    )
    actors = (
        Actor(
            id="A1",
            name="Xi Jinping",
            kind=ActorKind.PERSON,
            mentions=(s("Xi Jinping"),),
            kb_id="Q15031",
            country="CHN",
            sector="GOV",
            role="President of China",
        ),
        Actor(
            id="A2",
            name="Vladimir Putin",
            kind=ActorKind.PERSON,
            mentions=(s("Vladimir Putin"),),
            kb_id="Q7747",
            country="RUS",
            sector="GOV",
            role="President of Russia",
            affiliation="A4",
        ),
        Actor(id="A3", name="officials", kind=ActorKind.GROUP, mentions=(s("Officials"),), country="CHN"),
        Actor(
            id="A4",
            name="Kremlin",
            kind=ActorKind.ORGANISATION,
            mentions=(s("Kremlin"),),
            country="RUS",
            sector="GOV",
        ),
        Actor(id="A5", name="Reuters", kind=ActorKind.MEDIA, mentions=(s("Reuters"),), sector="MED"),
        Actor(
            id="A6", name="Moscow", kind=ActorKind.PLACE, mentions=(s("Moscow"),), kb_id="Q649", country="RUS"
        ),
    )
    times = (
        TimeExpression(
            id="T1",
            span=s("Tuesday"),
            type=TimeType.DATE,
            value="2023-01-10",
            interval=("2023-01-10", "2023-01-10"),
            anchor="dct",
        ),
        TimeExpression(
            id="T2",
            span=s("March"),
            type=TimeType.DATE,
            value="2023-03",
            interval=("2023-03-01", "2023-03-31"),
            anchor="dct",
        ),
    )
    entities = (
        Entity(span=s("Beijing"), label="GPE"),
        Entity(span=s("Tuesday"), label="DATE"),
        Entity(span=s("Xi Jinping"), label="PERSON", actor_id="A1"),
        Entity(span=s("Moscow"), label="GPE", actor_id="A6"),
        Entity(span=s("March"), label="DATE"),
        Entity(span=s("Vladimir Putin"), label="PERSON", actor_id="A2"),
        Entity(span=s("Kremlin"), label="ORG", actor_id="A4"),
        Entity(span=s("Reuters"), label="ORG", actor_id="A5"),
    )
    attributions = (
        Attribution(
            source=s("Officials in Beijing"),
            cue=s("said"),
            content=s("President Xi Jinping will visit Moscow in March"),
            source_type=SourceType.ANONYMOUS_GROUP,
            direct=QuoteKind.INDIRECT,
            certainty=Certainty.ASSERTED,
            channel=Channel.ON_RECORD,
            source_actor="A3",
            times=("T2",),
            confidence=0.9,
        ),
        Attribution(
            source=s("the Kremlin"),
            cue=s("according to"),
            content=s("Vladimir Putin welcomed the plan"),
            source_type=SourceType.NAMED_ORGANISATION,
            certainty=Certainty.ASSERTED,
            channel=Channel.PUBLISHED,
            source_actor="A4",
        ),
        Attribution(
            source=s("Two diplomats"),
            cue=s("told"),
            content=s("the talks on grain exports had stalled"),
            source_type=SourceType.ANONYMOUS_GROUP,
            certainty=Certainty.HEDGED,
            channel=Channel.PRIVATE,
            via=(Conduit(span=s("Reuters"), actor_id="A5", source_type=SourceType.MEDIA),),
        ),
    )
    sentence_ends = [text.index(". ") + 1, text.index(". ", text.index(". ") + 1) + 1, len(text)]
    sentences = (
        Span.of(text, 0, sentence_ends[0]),
        Span.of(text, sentence_ends[0] + 1, sentence_ends[1]),
        Span.of(text, sentence_ends[1] + 1, sentence_ends[2]),
    )
    events = (
        Event(
            type="CONSULT",
            trigger=s("visit"),
            cameo="036",
            mode=EventMode.FUTURE,
            source=EventActor(
                span=s("President Xi Jinping"), actor_id="A1", country="CHN", sector="GOV", code="CHNGOV"
            ),
            target=EventActor(span=s("Moscow"), actor_id="A6", country="RUS", code="RUS"),
            date=EventDate(value="2023-03", interval=("2023-03-01", "2023-03-31"), time_id="T2"),
            location=Location(span=s("Moscow"), country="RUS", name="Moscow"),
            reported_by=0,
            sentence=sentences[0],
        ),
        Event(
            type="SUPPORT",
            trigger=s("welcomed"),
            cameo="051",
            source=EventActor(
                span=s("Vladimir Putin"), actor_id="A2", country="RUS", sector="GOV", code="RUSGOV"
            ),
            target=EventActor(span=s("the plan"), code=None),
            reported_by=1,
            sentence=sentences[1],
        ),
    )
    return Analysis(
        article=article,
        entities=entities,
        actors=actors,
        times=times,
        attributions=attributions,
        events=events,
        sentences=sentences,
        analyzer_version=analyzer_version,
    )


def one_act(events: Sequence[Event], trigger: str) -> Event:
    """The one act of ``trigger``: its first event, the others being its other dyads (conjoined
    targets, reciprocal parties the other way round)."""
    found = [e for e in events if e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in events]
    assert len({(e.type, e.cameo, e.mode, e.date, e.reported_by) for e in found}) == 1, found
    assert len({(e.source, e.target) for e in found}) == len(found), found
    return found[0]
