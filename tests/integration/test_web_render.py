"""Model-free checks of what pages are built from: offset segmentation, escaping, timeline geometry,
link safety. (Unit tests by nature; kept with the other web tests.)"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest

from e2e.web_corpus import summit
from newsledger.web import highlight, pages, timeline
from newsledger.web.highlight import Mark


def _m(mark_id: str, start: int, end: int, kind: str = "content") -> Mark:
    return Mark(id=mark_id, kind=kind, start=start, end=end)


@pytest.mark.parametrize(
    ("length", "marks", "expected"),
    [
        (5, [], [(0, 5, "")]),
        (10, [_m("a", 2, 5)], [(0, 2, ""), (2, 5, "a"), (5, 10, "")]),
        (10, [_m("a", 0, 10), _m("b", 3, 5)], [(0, 3, "a"), (3, 5, "a b"), (5, 10, "a")]),
        (10, [_m("a", 0, 6), _m("b", 4, 10)], [(0, 4, "a"), (4, 6, "a b"), (6, 10, "b")]),
        (10, [_m("a", 0, 5), _m("b", 5, 10)], [(0, 5, "a"), (5, 10, "b")]),
        (10, [_m("a", 2, 5), _m("b", 2, 5)], [(0, 2, ""), (2, 5, "a b"), (5, 10, "")]),
        (6, [_m("a", 4, 99)], [(0, 4, ""), (4, 6, "a")]),
        (6, [_m("a", 3, 3), _m("b", 9, 12)], [(0, 6, "")]),
    ],
)
def test_web_segment_splits_at_every_boundary(
    length: int, marks: list[Mark], expected: list[tuple[int, int, str]]
) -> None:
    """Nested, overlapping, adjacent and identical marks give non-overlapping segments listing their marks."""
    got = [
        (s.start, s.end, " ".join(sorted(m.id for m in s.marks))) for s in highlight.segment(length, marks)
    ]
    assert got == expected


def test_web_render_keeps_the_text_and_escapes_it() -> None:
    """Rendered HTML, unescaped and stripped of tags, is the text; markup in the text is escaped."""
    text = '<b onclick="x()">Hi</b> & <script>bye</script>'
    html = str(highlight.render(text, [_m("a", 0, 10), _m("b", 5, 30, "source")]))
    assert "<b onclick" not in html
    assert "<script>" not in html
    assert html_module.unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert 'data-marks="a b"' in html


def test_web_marks_of_cover_every_record() -> None:
    """Each attribution part, time, actor mention and event trigger becomes one mark."""
    analysis = summit()
    marks = highlight.marks_of(analysis)
    mentions = sum(len(a.mentions) for a in analysis.actors)
    assert len(marks) == 3 * len(analysis.attributions) + len(analysis.times) + mentions + len(
        analysis.events
    )
    for mark in marks:
        assert 0 <= mark.start < mark.end <= len(analysis.article.text)


@pytest.mark.parametrize(
    ("value", "interval", "expected"),
    [
        ("2023-03", ("2023-03-01", "2023-03-31"), ("2023-03-01", "2023-03-31")),
        ("2023-03", None, ("2023-03-01", "2023-03-31")),
        ("2024-02", None, ("2024-02-01", "2024-02-29")),
        ("2023-12", None, ("2023-12-01", "2023-12-31")),
        ("2022", None, ("2022-01-01", "2022-12-31")),
        ("2023-01-10", None, ("2023-01-10", "2023-01-10")),
        (None, ("2023-05-09", "2023-05-01"), ("2023-05-01", "2023-05-09")),
        ("PRESENT_REF", None, None),
        ("2023-W05", None, None),
        ("2023-13", None, None),
    ],
)
def test_web_interval_of_gives_the_days_a_date_may_denote(
    value: str | None, interval: tuple[str, str] | None, expected: tuple[str, str] | None
) -> None:
    """Stored intervals win; else a month or a year spans all its days; unknown forms give None."""
    got = timeline.interval_of(value, interval)
    assert (None if got is None else (got[0].isoformat(), got[1].isoformat())) == expected


def test_web_timeline_layout_draws_uncertainty_as_width() -> None:
    """A month is wider than a day; an exact day is a point; rows follow start dates."""
    day = timeline.Item(
        kind="event", label="d", start=dt.date(2023, 1, 10), end=dt.date(2023, 1, 10), href="/"
    )
    month = timeline.Item(
        kind="claim", label="m", start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 31), href="/"
    )
    layout = timeline.layout([day, month])
    first, second = layout.marks
    assert (first.item, second.item) == (month, day)
    assert second.point
    assert not first.point
    assert first.width > 10 * second.width
    assert first.y < second.y
    assert first.x <= second.x <= first.x + first.width
    assert timeline.layout([]).marks == ()


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("vbscript:msgbox", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ("", False),
        (None, False),
    ],
)
def test_web_safe_url_allows_only_http_links(url: str | None, safe: bool) -> None:
    """Article URLs become links only when they are absolute http(s) URLs."""
    assert (pages.safe_url(url) is not None) is safe


def test_web_link_drops_empty_parameters_and_encodes_values() -> None:
    """Filter links keep only the filters in use, URL-encoded."""
    assert (
        pages.link("/claims", {"actor": "Xi & co", "outlet": None, "since": ""}) == "/claims?actor=Xi+%26+co"
    )
