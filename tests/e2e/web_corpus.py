"""Hand-made analyses for the web tests: overlapping records, uncertain dates, and hostile text.

Offsets are computed from the text, so every record's ``text == article.text[start:end]``.
"""

from __future__ import annotations

import datetime as dt

from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Certainty,
    Entity,
    Event,
    EventActor,
    EventDate,
    EventMode,
    QuoteKind,
    SourceType,
    Span,
    TimeExpression,
    TimeType,
)

#: Payloads that would run script if any page failed to escape them.
XSS_TITLE = "<script>window.__xss='title'</script><img src=x onerror=\"window.__xss='img'\">"
XSS_OUTLET = "<b onmouseover=\"window.__xss='outlet'\">Evil Outlet</b>"
XSS_URL = "javascript:window.__xss='url'"
XSS_ACTOR = "<svg onload=\"window.__xss='actor'\">Mallory"
XSS_BODY = (
    f"{XSS_ACTOR} said <script>window.__xss='body'</script> the plan is "
    "<a href=\"javascript:window.__xss='link'\">safe</a> and <img src=x onerror=\"window.__xss='onerror'\">. "
    "Officials said \"</span><script>window.__xss='close'</script>\" on Friday."
)


def span(text: str, needle: str, nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def _sentences(text: str) -> tuple[Span, ...]:
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == "." and (index + 1 == len(text) or text[index + 1] == " "):
            spans.append(Span.of(text, start, index + 1))
            start = index + 2
    return tuple(spans)


def summit() -> Analysis:
    """Anonymous and documentary sources, a month-long and a year-long date, nested spans."""
    text = (
        "Officials in Beijing said on Tuesday that President Xi Jinping will meet Vladimir Putin in Moscow "
        "in March. Putin praised the plan, according to a Kremlin statement. Xi criticised NATO last year, "
        "one source said."
    )
    article = Article(
        id="summit-1",
        text=text,
        title="Xi to meet Putin in March",
        outlet="Test Wire",
        published=dt.date(2023, 1, 10),
        url="https://example.org/summit",
    )
    xi = Actor(
        id="A1",
        name="Xi Jinping",
        kind=ActorKind.PERSON,
        kb_id="Q15031",
        country="CHN",
        sector="GOV",
        role="President of China",
        mentions=(span(text, "Xi Jinping"), span(text, "Xi", 1)),
    )
    putin = Actor(
        id="A2",
        name="Vladimir Putin",
        kind=ActorKind.PERSON,
        kb_id="Q7747",
        country="RUS",
        sector="GOV",
        role="President of Russia",
        mentions=(span(text, "Vladimir Putin"), span(text, "Putin", 1)),
    )
    nato = Actor(
        id="A3",
        name="NATO",
        kind=ActorKind.ORGANISATION,
        kb_id="Q7184",
        country="IGO",
        mentions=(span(text, "NATO"),),
    )
    officials = Actor(
        id="A4",
        name="Officials in Beijing",
        kind=ActorKind.GROUP,
        country="CHN",
        mentions=(span(text, "Officials in Beijing"),),
    )
    times = (
        TimeExpression(
            id="T1",
            span=span(text, "Tuesday"),
            type=TimeType.DATE,
            value="2023-01-10",
            interval=("2023-01-10", "2023-01-10"),
            anchor="dct",
        ),
        TimeExpression(
            id="T2",
            span=span(text, "March"),
            type=TimeType.DATE,
            value="2023-03",
            interval=("2023-03-01", "2023-03-31"),
            anchor="dct",
        ),
        TimeExpression(
            id="T3",
            span=span(text, "last year"),
            type=TimeType.DATE,
            value="2022",
            interval=("2022-01-01", "2022-12-31"),
            anchor="dct",
        ),
    )
    attributions = (
        Attribution(
            source=span(text, "Officials in Beijing"),
            cue=span(text, "said"),
            content=span(text, "President Xi Jinping will meet Vladimir Putin in Moscow in March"),
            source_type=SourceType.ANONYMOUS_GROUP,
            certainty=Certainty.ASSERTED,
            source_actor="A4",
            times=("T1", "T2"),
        ),
        Attribution(
            source=span(text, "a Kremlin statement"),
            cue=span(text, "according to"),
            content=span(text, "Putin praised the plan"),
            source_type=SourceType.DOCUMENT,
            certainty=Certainty.ASSERTED,
        ),
        Attribution(
            source=span(text, "one source"),
            cue=span(text, "said", 1),
            content=span(text, "Xi criticised NATO last year"),
            source_type=SourceType.ANONYMOUS_INDIVIDUAL,
            certainty=Certainty.HEDGED,
            times=("T3",),
        ),
    )
    events = (
        Event(
            type="CONSULT",
            trigger=span(text, "meet"),
            mode=EventMode.FUTURE,
            source=EventActor(span=span(text, "Xi Jinping"), actor_id="A1", country="CHN", sector="GOV"),
            target=EventActor(span=span(text, "Vladimir Putin"), actor_id="A2", country="RUS", sector="GOV"),
            date=EventDate(value="2023-03", interval=("2023-03-01", "2023-03-31"), time_id="T2"),
            reported_by=0,
        ),
        Event(
            type="ACCUSE",
            trigger=span(text, "criticised"),
            source=EventActor(span=span(text, "Xi", 1), actor_id="A1", country="CHN"),
            target=EventActor(span=span(text, "NATO"), actor_id="A3", country="IGO"),
            date=EventDate(value="2022", interval=("2022-01-01", "2022-12-31"), time_id="T3"),
            reported_by=2,
        ),
    )
    entities = tuple(Entity(span=m, label="PERSON", actor_id=a.id) for a in (xi, putin) for m in a.mentions)
    return Analysis(
        article=article,
        entities=entities,
        actors=(xi, putin, nato, officials),
        times=times,
        attributions=attributions,
        events=events,
        sentences=_sentences(text),
        analyzer_version="web-tests",
    )


def accusation() -> Analysis:
    """A second outlet, a named source, an exact-day event between two actors already seen."""
    text = "Vladimir Putin accused NATO of expansion on Monday, the Kremlin said."
    article = Article(
        id="accuse-2",
        text=text,
        title="Putin accuses NATO",
        outlet="Other Daily",
        published=dt.date(2023, 2, 1),
        url="http://example.com/accuse",
    )
    putin = Actor(
        id="A1",
        name="Vladimir Putin",
        kind=ActorKind.PERSON,
        kb_id="Q7747",
        country="RUS",
        role="President of the Russian Federation",
        mentions=(span(text, "Vladimir Putin"),),
    )
    nato = Actor(
        id="A2", name="NATO", kind=ActorKind.ORGANISATION, kb_id="Q7184", mentions=(span(text, "NATO"),)
    )
    kremlin = Actor(
        id="A3",
        name="Kremlin",
        kind=ActorKind.ORGANISATION,
        country="RUS",
        mentions=(span(text, "the Kremlin"),),
    )
    times = (
        TimeExpression(
            id="T1",
            span=span(text, "Monday"),
            type=TimeType.DATE,
            value="2023-01-30",
            interval=("2023-01-30", "2023-01-30"),
            anchor="dct",
        ),
    )
    attributions = (
        Attribution(
            source=span(text, "the Kremlin"),
            cue=span(text, "said"),
            content=span(text, "Vladimir Putin accused NATO of expansion on Monday"),
            source_type=SourceType.NAMED_ORGANISATION,
            direct=QuoteKind.INDIRECT,
            source_actor="A3",
            times=("T1",),
        ),
    )
    events = (
        Event(
            type="ACCUSE",
            trigger=span(text, "accused"),
            source=EventActor(span=span(text, "Vladimir Putin"), actor_id="A1", country="RUS"),
            target=EventActor(span=span(text, "NATO"), actor_id="A2"),
            date=EventDate(value="2023-01-30", interval=("2023-01-30", "2023-01-30"), time_id="T1"),
            reported_by=0,
        ),
    )
    return Analysis(
        article=article,
        actors=(putin, nato, kremlin),
        times=times,
        attributions=attributions,
        events=events,
        sentences=_sentences(text),
        analyzer_version="web-tests",
    )


def hostile() -> Analysis:
    """Script tags, event-handler attributes and javascript: URLs in every field a page shows."""
    text = XSS_BODY
    article = Article(
        id="hostile-3",
        text=text,
        title=XSS_TITLE,
        outlet=XSS_OUTLET,
        url=XSS_URL,
        published=dt.date(2023, 1, 20),
    )
    mallory = Actor(
        id="A1",
        name=XSS_ACTOR,
        kind=ActorKind.PERSON,
        role="<i onclick=x()>role</i>",
        mentions=(span(text, XSS_ACTOR),),
    )
    officials = Actor(id="A2", name="Officials", kind=ActorKind.GROUP, mentions=(span(text, "Officials"),))
    times = (
        TimeExpression(
            id="T1",
            span=span(text, "Friday"),
            type=TimeType.DATE,
            value="2023-01-20",
            interval=("2023-01-20", "2023-01-20"),
            anchor="dct",
        ),
    )
    body_content = (
        "<script>window.__xss='body'</script> the plan is <a href=\"javascript:window.__xss='link'\">safe</a>"
    )
    attributions = (
        Attribution(
            source=span(text, XSS_ACTOR),
            cue=span(text, "said"),
            content=span(text, body_content),
            source_type=SourceType.NAMED_PERSON,
            source_actor="A1",
        ),
        Attribution(
            source=span(text, "Officials"),
            cue=span(text, "said", 1),
            content=span(text, "</span><script>window.__xss='close'</script>"),
            source_type=SourceType.ANONYMOUS_GROUP,
            source_actor="A2",
            direct=QuoteKind.DIRECT,
            times=("T1",),
        ),
    )
    events = (
        Event(
            type="ASSAULT",
            trigger=span(text, "onerror"),
            source=EventActor(span=span(text, XSS_ACTOR), actor_id="A1"),
            target=EventActor(span=span(text, "Officials"), actor_id="A2"),
            date=EventDate(value="2023-01-20", interval=("2023-01-20", "2023-01-20"), time_id="T1"),
        ),
    )
    return Analysis(
        article=article,
        actors=(mallory, officials),
        times=times,
        attributions=attributions,
        events=events,
        sentences=_sentences(text),
        analyzer_version="web-tests",
    )


def hand_made() -> list[Analysis]:
    return [summit(), accusation(), hostile()]
