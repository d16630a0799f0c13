"""Time tagger rules on hand-written sentences (blank pipeline or hand-built parsed Docs)."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.times import extract_times, times_in, times_of_clause
from newsledger.model import TimeExpression, TimeType

PUBLISHED = dt.date(2023, 1, 10)  # a Tuesday: the seed article's publication date


def tag(nlp: Language, text: str, published: dt.date | None = PUBLISHED) -> list[TimeExpression]:
    doc = nlp(text)
    return list(extract_times(doc, published=published))


def find(times: list[TimeExpression], span: str) -> TimeExpression:
    for time in times:
        if time.span.text == span:
            return time
    raise AssertionError(f"{span!r} not tagged; got {[t.span.text for t in times]}")


@pytest.mark.parametrize(
    ("text", "span", "kind", "value", "mod"),
    [
        (
            "The joint statement was issued on February 4, 2022.",
            "February 4, 2022",
            "DATE",
            "2022-02-04",
            None,
        ),
        ("Xi spoke with Putin in late December.", "late December", "DATE", "2022-12", "END"),
        ("Officials met in the past nine months.", "the past nine months", "DURATION", "P9M", None),
        ("The talks resume early next year.", "early next year", "DATE", "2024", "START"),
        ("Profits rose in the third quarter.", "the third quarter", "DATE", "2022-Q3", None),
        (
            "Profits rose in the fourth quarter of 2021.",
            "the fourth quarter of 2021",
            "DATE",
            "2021-Q4",
            None,
        ),
        (
            "Sales fell in the fiscal 2021 first quarter.",
            "the fiscal 2021 first quarter",
            "DATE",
            "2021-Q1",
            None,
        ),
        ("Sales fell in Q2 2022.", "Q2 2022", "DATE", "2022-Q2", None),
        ("Sales fell in the final quarter of 2021.", "the final quarter of 2021", "DATE", "2021-Q4", None),
        (
            "Sales fell in the first quarter of last year.",
            "the first quarter of last year",
            "DATE",
            "2022-Q1",
            None,
        ),
        ("Sales fell in the first half of 2021.", "the first half of 2021", "DATE", "2021-H1", None),
        ("Unrest grew in the 1990s.", "the 1990s", "DATE", "199", None),
        ("Unrest grew in the early 1980s.", "the early 1980s", "DATE", "198", "START"),
        ("Unrest grew in the '90s.", "the '90s", "DATE", "199", None),
        ("It was the bloodiest war of the 20th century.", "the 20th century", "DATE", "19", None),
        ("The army withdrew yesterday.", "yesterday", "DATE", "2023-01-09", None),
        ("The army withdrew two weeks ago.", "two weeks ago", "DATE", "2022-W52", None),
        ("The army withdrew five years ago.", "five years ago", "DATE", "2018", None),
        ("The ministry published figures last month.", "last month", "DATE", "2022-12", None),
        ("The ministry publishes figures next week.", "next week", "DATE", "2023-W03", None),
        ("The city is now calm.", "now", "DATE", "PRESENT_REF", None),
        ("The council meets weekly.", "weekly", "SET", "P1W", None),
        ("The council meets every Monday.", "every Monday", "SET", "XXXX-WXX-1", None),
        ("The council meets twice a year.", "twice a year", "SET", "P1Y", None),
        ("The blast came at 10:35 a.m. on Friday.", "10:35 a.m.", "TIME", "2023-01-10T10:35", None),
        ("Shelling continued last night.", "last night", "TIME", "2023-01-09TNI", None),
        ("It lasted about three weeks.", "about three weeks", "DURATION", "P3W", "APPROX"),
        ("It lasted more than two years.", "more than two years", "DURATION", "P2Y", "MORE_THAN"),
        ("The siege lasted 2 1/2 years.", "2 1/2 years", "DURATION", "P2Y6M", None),
        ("A five-year plan was adopted.", "five-year", "DURATION", "P5Y", None),
        ("The law passed in mid-2021.", "mid-2021", "DATE", "2021", "MID"),
        ("The deal closes by the end of the year.", "the end of the year", "DATE", "2023", "END"),
        ("He was elected in 1994 or later.", "1994 or later", "DATE", "1994", "ON_OR_AFTER"),
        ("Nineteen ninety-six was a bad year.", "Nineteen ninety-six", "DATE", "1996", None),
        ("In January last year, the talks collapsed.", "January last year", "DATE", "2022-01", None),
        ("The summit ended 2022-11-16.", "2022-11-16", "DATE", "2022-11-16", None),
        ("The vote was held on 3/15/2021.", "3/15/2021", "DATE", "2021-03-15", None),
        ("They met on the fifth of December.", "the fifth of December", "DATE", "2022-12-05", None),
        ("They met on Christmas Eve.", "Christmas Eve", "DATE", "2022-12-24", None),
        ("Sales rose in the last half of 2021.", "the last half of 2021", "DATE", "2021-H2", None),
        ("Sales rose in the last quarter of 2021.", "the last quarter of 2021", "DATE", "2021-Q4", None),
        (
            "Unrest grew in the latter half of the 1980s.",
            "the latter half of the 1980s",
            "DATE",
            "198",
            "END",
        ),
        ("The vote closes at 5 p.m. EST Nov. 9.", "5 p.m. EST Nov. 9", "TIME", "2022-11-09T17:00", None),
        ("The polls close at 8 a.m., March 2.", "8 a.m., March 2", "TIME", "2023-03-02T08:00", None),
    ],
)
def test_times_rule_families(
    blank_nlp: Language, text: str, span: str, kind: str, value: str, mod: str | None
) -> None:
    """Each rule family tags the span with its TIMEX3 type, value and mod."""
    time = find(tag(blank_nlp, text), span)
    assert (time.type, time.value, time.mod) == (TimeType(kind), value, mod)


def test_times_seed_expressions(blank_nlp: Language) -> None:
    """The seed article's expressions: anchored duration, past duration, explicit date, late December."""
    text = (
        "Around 20 days before the invasion of Ukraine, the two leaders met. "
        "Five officials in the past nine months told the paper so. The statement was issued on "
        "February 4, 2022. In late December, Xi spoke with Putin."
    )
    times = tag(blank_nlp, text)
    anchored = find(times, "Around 20 days")
    assert (anchored.type, anchored.value, anchored.mod) == (TimeType.DURATION, "P20D", "APPROX")
    assert (anchored.resolved, anchored.anchor) == ("2022-02-04", "russia-invades-ukraine-2022")
    assert anchored.interval is not None
    assert anchored.interval[0] < "2022-02-04" < anchored.interval[1]
    past = find(times, "the past nine months")
    assert past.interval == ("2022-04-10", "2023-01-10")
    assert find(times, "February 4, 2022").interval == ("2022-02-04", "2022-02-04")
    late = find(times, "late December")
    assert (late.value, late.mod, late.interval) == ("2022-12", "END", ("2022-12-22", "2022-12-31"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The minister resigned on Friday.", "2023-01-06"),
        ("The minister will resign on Friday.", "2023-01-13"),
        ("The minister resigned on Tuesday.", "2023-01-10"),
        ("The minister is going to resign on Monday, officials will say.", "2023-01-16"),
        ("The minister resigned last Friday.", "2023-01-06"),
        ("The minister resigns next Friday.", "2023-01-13"),
    ],
)
def test_times_weekday_follows_tense(blank_nlp: Language, text: str, value: str) -> None:
    """Weekdays resolve before publication in past clauses and after it in future ones."""
    weekdays = [t for t in tag(blank_nlp, text) if t.type == TimeType.DATE]
    assert weekdays[0].value == value


@pytest.mark.parametrize(
    ("text", "span", "mod"),
    [
        ("They must leave within three weeks.", "three weeks", "EQUAL_OR_LESS"),
        ("The firm reported its fourth quarter results.", "fourth quarter", None),
        ("Their 52-week high was reached in May.", "52-week", None),
    ],
)
def test_times_span_leaves_out_signal_and_possessive(
    blank_nlp: Language, text: str, span: str, mod: str | None
) -> None:
    """ "within" and possessive pronouns stay out of the span (TimeML extent); the mod is kept."""
    assert find(tag(blank_nlp, text), span).mod == mod


def test_times_clock_time_takes_the_narrative_day(blank_nlp: Language) -> None:
    """A bare clock time in a sentence after a dated one happens on that date, not on publication day."""
    times = tag(blank_nlp, "The attack came on Dec. 3, 2022. Police arrived at 10 p.m.")
    assert find(times, "10 p.m.").value == "2022-12-03T22:00"


def test_times_clock_word_may_is_not_a_month(blank_nlp: Language) -> None:
    """ "10 a.m. may 3...": the lower-case modal is not a month; the clock time stays alone."""
    assert [t.span.text for t in tag(blank_nlp, "At 10 a.m. may 3 people leave.")] == ["10 a.m."]


def test_times_future_clause_ignores_past_narrative_year(blank_nlp: Language) -> None:
    """ "invited in July 2021, will join on March 12": the future clause's date is ahead, not in 2021."""
    times = tag(blank_nlp, "Invited in July 2021, Finland will join on March 12.")
    assert find(times, "March 12").value == "2023-03-12"


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str], pos: list[str]) -> Doc:
    import spacy

    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
    doc._.published = PUBLISHED
    return doc


def test_times_weekday_uses_parsed_tense() -> None:
    """With a dependency parse the governing verb's tense decides: past "met", future "will meet"."""
    past = _parsed(
        ["Xi", "met", "Putin", "on", "Friday", "."],
        [1, 1, 1, 1, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["NNP", "VBD", "NNP", "IN", "NNP", "."],
        ["PROPN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"],
    )
    future = _parsed(
        ["Xi", "will", "meet", "Putin", "on", "Friday", "."],
        [2, 2, 2, 2, 2, 4, 2],
        ["nsubj", "aux", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["NNP", "MD", "VB", "NNP", "IN", "NNP", "."],
        ["PROPN", "AUX", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"],
    )
    assert [t.value for t in extract_times(past)] == ["2023-01-06"]
    assert [t.value for t in extract_times(future)] == ["2023-01-13"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The deal was signed in March.", "2022-03"),
        ("The deal will be signed in March.", "2023-03"),
        ("Fighting stopped in December.", "2022-12"),
        # a month just ahead in a past clause is a reported plan: "said it would vote in February"
        ("The party said it would vote in February.", "2023-02"),
        ("The deal was set for February 20.", "2023-02-20"),
    ],
)
def test_times_month_year_follows_tense(blank_nlp: Language, text: str, value: str) -> None:
    """A month without a year is the past or coming one, by tense."""
    assert tag(blank_nlp, text)[0].value == value


def test_times_range_gives_two_expressions(blank_nlp: Language) -> None:
    """ "between March 3 and 5" yields two dates, the second inheriting the month (TimeML style)."""
    times = tag(blank_nlp, "Talks will be held between March 3 and 5.")
    assert [(t.span.text, t.value) for t in times] == [("March 3", "2023-03-03"), ("5", "2023-03-05")]


def test_times_year_range(blank_nlp: Language) -> None:
    """ "1990-95" is two years."""
    times = tag(blank_nlp, "He ruled in 1990-95.")
    assert [t.value for t in times] == ["1990", "1995"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The deadline was February 30, 2023.", "2023-02-XX"),
        ("It happened on Feb. 31.", "2023-02-XX"),
        ("It happened on 13/45/2020.", None),
        ("It happened on 2021-02-30.", None),
        ("Officials said March 99 was the date.", None),
    ],
)
def test_times_impossible_dates_do_not_crash(blank_nlp: Language, text: str, value: str | None) -> None:
    """Impossible days keep the month with an unknown day, or are not tagged."""
    times = [t for t in tag(blank_nlp, text) if t.type == TimeType.DATE]
    assert [t.value for t in times][:1] == ([value] if value else [])


@pytest.mark.parametrize(
    "text",
    ["", "   ", "2022-13-45T99:99", "Q9 9999 FY'", "the the the of of", "0000 year 00/00/00", "∞ days ago"],
)
def test_times_malformed_input_does_not_crash(blank_nlp: Language, text: str) -> None:
    """Garbage yields no crash (and usually no times)."""
    tag(blank_nlp, text)


def test_times_without_publication_date(blank_nlp: Language) -> None:
    """Without a publication date deictic values stay underspecified and carry no interval."""
    times = tag(blank_nlp, "He resigned yesterday, on Friday, in March.", published=None)
    assert [(t.value, t.interval) for t in times] == [
        ("XXXX-XX-XX", None),
        ("XXXX-WXX-5", None),
        ("XXXX-03", None),
    ]


def test_times_anaphoric_uses_narrative_reference(blank_nlp: Language) -> None:
    """ "The next day" and "two days later" count from the last date mentioned, and say so in anchor."""
    times = tag(
        blank_nlp,
        "The treaty was signed on March 3, 2019. The next day, talks resumed. Two days later they collapsed.",
    )
    treaty, next_day, later = times
    assert (next_day.value, next_day.anchor) == ("2019-03-04", treaty.id)
    assert (later.value, later.anchor) == ("2019-03-06", next_day.id)


def test_times_duration_anchored_to_date(blank_nlp: Language) -> None:
    """ "two days before March 3, 2019": the duration gets the date it points at."""
    times = tag(blank_nlp, "He arrived two days before March 3, 2019.")
    duration = find(times, "two days")
    assert (duration.value, duration.resolved, duration.anchor) == ("P2D", "2019-03-01", times[1].id)


def test_times_event_reference_is_not_timeml(blank_nlp: Language) -> None:
    """ "since the invasion" resolves the event to its date, flagged as outside TimeML."""
    time = find(tag(blank_nlp, "Prices have doubled since the invasion."), "the invasion")
    assert (time.value, time.anchor, time.timeml) == ("2022-02-24", "russia-invades-ukraine-2022", False)


def test_times_contextual_alias_needs_publication_window(blank_nlp: Language) -> None:
    """A generic alias ("the invasion") names the 2022 event only in articles published after it."""
    assert not [
        t for t in tag(blank_nlp, "Prices doubled since the invasion.", dt.date(2015, 1, 1)) if not t.timeml
    ]


def test_times_interval_for_every_date(blank_nlp: Language) -> None:
    """Every resolved DATE/TIME carries an (earliest, latest) interval."""
    text = "Yesterday, last week, in March, in 2021, in the third quarter, on Friday and last night."
    for time in tag(blank_nlp, text):
        assert time.interval is not None, time


def test_times_ids_are_sequential(blank_nlp: Language) -> None:
    """Ids run t1, t2... in text order."""
    times = tag(blank_nlp, "Yesterday and today and tomorrow.")
    assert [t.id for t in times] == ["t1", "t2", "t3"]


def test_times_in_selects_by_offsets(blank_nlp: Language) -> None:
    """times_in returns the times lying inside a character range."""
    doc = blank_nlp("He left yesterday. She returns on Friday.")
    doc._.published = PUBLISHED
    doc._.times = list(extract_times(doc))
    second = doc.text.index("She")
    assert [t.span.text for t in times_in(doc, second, len(doc.text))] == ["Friday"]
    assert [t.span.text for t in times_in(doc._.times, 0, second)] == ["yesterday"]


def test_times_of_clause_follows_the_parse() -> None:
    """times_of_clause returns the times whose governing verb heads the given token's clause."""
    words = ["Officials", "said", "Monday", "that", "troops", "left", "Friday", "."]
    doc = _parsed(
        words,
        [1, 1, 1, 5, 5, 1, 5, 1],
        ["nsubj", "ROOT", "npadvmod", "mark", "nsubj", "ccomp", "npadvmod", "punct"],
        ["NNS", "VBD", "NNP", "IN", "NNS", "VBD", "NNP", "."],
        ["NOUN", "VERB", "PROPN", "SCONJ", "NOUN", "VERB", "PROPN", "PUNCT"],
    )
    doc._.times = list(extract_times(doc))
    assert [t.span.text for t in times_of_clause(doc, doc[1])] == ["Monday"]
    assert [t.span.text for t in times_of_clause(doc, doc[4])] == ["Friday"]


def test_times_set_adjective_is_not_a_recurrence() -> None:
    """With a parse, "a quarterly dividend" is no SET, while "paid quarterly" is."""
    adjective = _parsed(
        ["It", "pays", "a", "quarterly", "dividend", "."],
        [1, 1, 4, 4, 1, 1],
        ["nsubj", "ROOT", "det", "amod", "dobj", "punct"],
        ["PRP", "VBZ", "DT", "JJ", "NN", "."],
        ["PRON", "VERB", "DET", "ADJ", "NOUN", "PUNCT"],
    )
    adverb = _parsed(
        ["Dividends", "are", "paid", "quarterly", "."],
        [2, 2, 2, 2, 2],
        ["nsubjpass", "auxpass", "ROOT", "advmod", "punct"],
        ["NNS", "VBP", "VBN", "RB", "."],
        ["NOUN", "AUX", "VERB", "ADV", "PUNCT"],
    )
    assert list(extract_times(adjective)) == []
    assert [t.value for t in extract_times(adverb)] == ["P1Q"]
