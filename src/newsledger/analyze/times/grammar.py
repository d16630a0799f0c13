"""The time-expression grammar: compiled regular expressions over the text, one rule per family.

Each rule turns a match into :class:`Piece` records (span, TIMEX3 type and a resolver); the resolver
computes the value later, in text order, from a :class:`Context` (publication date, narrative
reference time, tense). Overlapping matches are settled longest first. Closed-class words come from
the lexicon (``data/time/lexicon.v1.jsonl``); named events from ``reference_events.v1.jsonl``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from dateutil.easter import easter  # type: ignore[import-untyped]

from newsledger.analyze.times.calendar import Point, month_end, point_interval, shift_day
from newsledger.analyze.times.context import Context
from newsledger.analyze.times.events import _LEAD, EventIndex, _alias_regex
from newsledger.analyze.times.lexicon import Lexicon
from newsledger.model import TimeType


@dataclasses.dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved value; ``point`` (a calendar point) becomes the narrative reference time."""

    value: str
    mod: str | None = None
    point: Point | None = None
    interval: tuple[str, str] | None = None
    anchor: str | None = None
    resolved: str | None = None


Resolver = Callable[[Context], Resolution]


@dataclasses.dataclass(frozen=True, slots=True)
class Piece:
    """One time expression found by a rule: ``explicit`` when it states its own year."""

    start: int
    end: int
    type: TimeType
    resolve: Resolver
    explicit: bool = False
    timeml: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    pieces: tuple[Piece, ...]


Handler = Callable[[re.Match[str], "Grammar"], list[Piece] | None]

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_VAGUE = r"(?:a\s+few|few|several|many|a\s+number\s+of|numerous|some)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_SPELLED_YEAR = (
    rf"(?:(?P<c>nineteen|twenty)[\s-]+"
    rf"(?P<rest>(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|hundred|oh[\s-](?:{_ONES}))"
    rf"|two\s+thousand(?:\s+(?:and\s+)?(?P<small>{_ONES}|ten|eleven|twelve))?)"
)
_B = r"(?<![\w$£€-])"
# years and months may follow "mid-", "late-", "pre-": "mid-1996", "late-November"
_BH = r"(?:(?<![\w$£€/-])|(?<=mid-)|(?<=late-)|(?<=early-)|(?<=pre-)|(?<=post-))"
_BN = r"(?<![\w$£€.-])(?<!\d,)"
_E = r"(?!\w)"
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|[-–]\d|\.\d|,\d{3}|(?:people|troops|soldiers|votes|tons|shares|jobs|members|workers|"
    r"deaths|cases|miles|km|kilometers|feet|meters|barrels|acres|points|units|cars|homes|delegates|seats|words|"
    r"dollars|euros|pounds|yen|students|employees|residents|refugees|hours|rounds|pages|[a-z]+s\b)\b)"
)
_SEASON_OF_MONTH = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}
_UNIT_GRAN = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y", "DE": "DE", "C": "C", "WE": "WE", "H": "H"}
_MODAL_MONTHS = ("may", "march")
_PRECEDES_BARE_MONTH = re.compile(
    r"(?:\b(?:in|of|since|until|till|by|early|late|mid|last|next|this|during|through|before|after|from|to|"
    r"between|and|or|on|end|start|beginning|middle)[\s-]+)$",
    re.IGNORECASE,
)


def _cap(text: str) -> bool:
    return text[:1].isupper()


def _dct_point(ctx: Context) -> Point | None:
    return Point("D", ctx.dct) if ctx.dct else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(text: str) -> int:
    yy = int(text)
    return 2000 + yy if yy <= 40 else 1900 + yy


class Grammar:
    """All rules, compiled once for a lexicon and an event index."""

    def __init__(self, lexicon: Lexicon, events: EventIndex) -> None:
        self.lexicon = lexicon
        self.events = events
        lx = lexicon.alternation
        self.month, self.weekday, self.unit = lx("month"), lx("weekday"), lx("unit")
        number = (
            rf"(?:\d+\s+1/2|\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_TENS})[- ](?:{_ONES})|{lx('number')})"
        )
        approx, position, ordinal = lx("approx"), lx("position"), lx("ordinal")
        season, pod = lx("season"), lx("part_of_day")
        month, weekday, unit = self.month, self.weekday, self.unit
        aliases = {a for e in events.events for a in (*e.aliases, *e.contextual_aliases)}
        alias_alt = "|".join(_alias_regex(a) for a in sorted(aliases, key=len, reverse=True)) or r"(?!x)x"
        event = rf"(?P<ev>{_LEAD}(?P<alias>{alias_alt}))(?![\w-])"
        rel_dir = r"before|after|ahead\s+of|prior\s+to|following|into|since|from"
        signal = (
            r"since|before|after|until|till|ahead\s+of|prior\s+to|following|during|"
            r"in\s+the\s+(?:run-up|lead-up|wake|aftermath)\s+(?:to|of)|at\s+the\s+time\s+of"
        )
        self.position = re.compile(rf"(?:^|(?<=[\s(]))(?P<pos>{position})(?:[\s-]+|-)$", re.IGNORECASE)
        self.approx_prefix = re.compile(rf"(?:^|(?<=[\s(]))(?P<ap>{approx})\s+$", re.IGNORECASE)
        rules: list[tuple[str, Handler]] = [
            # event-anchored: "around 20 days before the start of the invasion"
            (
                (
                    rf"{_B}(?P<span>(?:(?P<approx>{approx})\s+)?(?P<num>{number})[\s-]+(?P<unit>{unit}))"
                    rf"\s+(?P<rel>{rel_dir})\s+{event}"
                ),
                _event_offset,
            ),
            (rf"{_B}(?:on\s+)?(?P<span>the\s+eve\s+of\s+{event})", _event_eve),
            (rf"\b(?:{signal})\s+(?P<span>{event})", _event_ref),
            # absolute dates
            (
                rf"{_BN}(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?:T(?P<t>\d\d:\d\d)(?::\d\d)?)?{_E}",
                _iso,
            ),
            (rf"{_BN}(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>\d{{4}}|\d\d){_E}", _numeric_us),
            (
                (
                    rf"{_B}(?:(?P<wd>{weekday}),?\s+)?(?P<mon>{month})\s+(?P<d>{_DAY})(?!\d|:\d)"
                    rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR}))?{_E}"
                ),
                _month_day,
            ),
            (
                (
                    rf"{_B}(?:(?P<wd>{weekday}),?\s+)?(?:the\s+)?(?P<d>{_DAY}|{ordinal})\s+(?:of\s+)?(?P<mon>{month})"
                    rf"(?:,?\s+(?P<y>{_YEAR}))?{_E}"
                ),
                _month_day,
            ),
            (
                (
                    rf"{_B}(?P<mon>{month})\s+(?P<d1>{_DAY})\s*(?:-|–|to|and|through|until)\s*(?P<d2>{_DAY})"
                    rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR}))?{_E}"
                ),
                _day_range,
            ),
            (rf"{_BH}(?P<mon>{month})(?:\s+of|,)?\s+(?:(?P<y>{_YEAR})|'(?P<yy>\d\d)){_E}", _month_year),
            (rf"{_BH}(?P<mon>{month}){_E}", _month_alone),
            (rf"{_BH}(?P<mon>{month})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year{_E}", _month_relative_year),
            (rf"{_B}(?:(?P<mon>{month})\s+|the\s+year\s+)?{_SPELLED_YEAR}{_E}", _spelled_year),
            (
                (
                    rf"{_B}(?:the\s+)?(?:(?P<pos>{position})\s+(?:of\s+)?the\s+(?P<u>year|month|week|quarter|decade)|"
                    rf"(?P<ye>year[- ]end|year's\s+end|(?:month|quarter)[- ]end)){_E}"
                ),
                _part_of_current,
            ),
            (rf"{_B}(?P<span>(?:the|this|that)\s+weekend){_E}", _the_weekend),
            (
                rf"{_BN}(?P<y1>{_YEAR})\s*(?:-|–|to|through)\s*(?P<y2>{_YEAR}|\d\d){_E}(?!\s*(?:%|percent))",
                _year_range,
            ),
            (
                rf"(?:{_BH}(?<![.,])(?<!\d,))(?:(?P<pre>(?:the\s+)?year\s+|fiscal\s+(?:year\s+)?|FY\s?)?)(?P<y>{_YEAR}){_E}",
                _year,
            ),
            (rf"{_B}FY\s?'?(?P<yy>\d\d){_E}", _year),
            (
                (
                    rf"{_B}(?:the\s+)?(?:(?P<pos>early|mid|late)[\s-]+)?(?:(?P<c>1[5-9]|20)(?P<d>\d)0'?s|'(?P<dd>\d)0s|"
                    rf"(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)){_E}"
                ),
                _decade,
            ),
            (rf"{_B}(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<o>{ordinal}))\s+century{_E}", _century),
            (
                (
                    rf"{_B}(?:(?P<det>the|its|this|last|next|that|a|their|the\s+same|the\s+company's)\s+)?"
                    rf"(?:(?P<f1>fiscal)\s+)?(?:(?P<y>{_YEAR})\s+)?(?:(?P<f2>fiscal)\s+)?"
                    # "the last half of 1989"; "the last quarter" alone is the previous one
                    rf"(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th|"
                    rf"(?:latter|last)(?=[- ](?:half|quarter)\s+of\s+(?:fiscal\s+)?(?:\d|this|last|next))"
                    rf")[- ]"
                    rf"(?P<per>quarter|half)"
                    rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<y2>{_YEAR})|(?P<rel>this|last|next)\s+year))?{_E}"
                ),
                _quarter,
            ),
            (rf"{_B}(?P<q>Q[1-4])(?:\s*(?:(?P<y>{_YEAR})|'?(?P<yy>\d\d)))?{_E}", _quarter),
            (
                (
                    rf"{_B}(?P<det>the|its|this)\s+(?P<which>latest|latest\s+fiscal|recent|most\s+recent|current|"
                    rf"fiscal|same)?\s*(?P<per>quarter|period){_E}"
                ),
                _the_quarter,
            ),
            # relative to the publication date or the narrative
            (
                (
                    rf"{_B}(?P<det>this|last|next|past|previous|coming|current|that|the\s+(?:past|last|next|previous|"
                    rf"preceding|coming|current|following|same|prior|subsequent))\s+(?P<what>{weekday}|{month}|"
                    rf"{season}|weekend|week|month|year|quarter|decade|century|day|fiscal\s+year|half)(?!-){_E}"
                ),
                _relative,
            ),
            (
                rf"{_B}(?P<what>{weekday}|{month}|week|month|year)\s+(?P<dir>before\s+last|after\s+next){_E}",
                _relative,
            ),
            (
                (
                    rf"{_B}(?:(?P<approx>{approx})\s+)?(?P<num>{number}|{_VAGUE})?[\s-]*(?P<unit>{unit})"
                    rf"(?P<orso>\s+or\s+so)?\s+(?P<dir>(?:ago|earlier|later|hence|from\s+now|back)\b|(?:before|after)"
                    rf"(?=\s*(?:[,.;:)!?\"”]|$|and\b|but\b|when\b|that\b|in\b|on\b|at\b|the\b)))"
                ),
                _ago,
            ),
            (
                (
                    rf"{_B}(?P<span>(?:the\s+)?(?:a\s+)?year[- ](?:ago|earlier)(?:\s+(?P<noun>period|quarter|"
                    rf"months?|year|level|week|day))?){_E}"
                ),
                _year_earlier,
            ),
            (
                (
                    rf"{_B}(?:(?P<approx>{approx})\s+)?(?P<det>(?:the|its|their)\s+)?(?:(?P<dir>past|last|previous|"
                    rf"preceding|next|coming|following|first|final|latest|initial|remaining|ensuing|recent|entire|"
                    rf"full|whole|same|other|additional|extra)\s+)?(?P<num>{number}|{_VAGUE})(?P<half1>\s+and\s+a\s+half)?"
                    rf"(?P<sep>[\s-]+)(?:(?:more|additional|extra|further|straight|consecutive|business|trading|"
                    rf"working)\s+)?(?P<unit>{unit}){_E}(?![\s-]+olds?\b)(?P<half2>\s+and\s+a\s+half)?"
                    rf"(?:\s+(?P<ahead>ahead|to\s+come))?"
                ),
                _duration,
            ),
            (
                (
                    rf"{_B}(?:(?P<det>the\s+)?(?P<dir>coming|recent|past|next|last|previous|following)\s+)"
                    rf"(?P<unit>days|weeks|months|years|decades|hours|minutes){_E}"
                ),
                _vague_duration,
            ),
            (
                rf"{_B}(?:the\s+)?(?P<unit>days|weeks|months|years|decades)\s+(?P<ahead>ahead|to\s+come){_E}",
                _vague_duration,
            ),
            (rf"\bfor\s+(?P<span>(?P<unit>days|weeks|months|years|decades|hours)){_E}", _vague_duration),
            # sets
            (
                (
                    rf"{_B}(?P<q>every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{number})\s+)?"
                    rf"(?P<what>{weekday}|{month}|{unit}|{pod}|weekend){_E}"
                ),
                _every,
            ),
            (
                (
                    rf"{_B}(?P<freq>once|twice|thrice|(?P<num>{number})\s+times)\s+(?:a|an|per|every)\s+"
                    rf"(?P<unit>{unit}){_E}"
                ),
                _every,
            ),
            (
                (
                    rf"(?:(?<=\d\s)|(?<=%\s)|(?<=million\s)|(?<=billion\s)|(?<=percent\s)|(?<=cents\s)|(?<=cent\s))"
                    rf"(?P<span>(?:a|an|per)\s+(?P<unit>{unit})){_E}"
                    rf"(?!\s+(?:ago|earlier|later|before|after|or)\b)"
                ),
                _every,
            ),
            (rf"{_B}(?:on\s+)?(?P<span>(?P<what>(?:{weekday})s)){_E}", _weekday_plural),
            # deictic words, times of day
            (
                (
                    rf"{_B}(?P<d>yesterday|today|tomorrow|tonight|this|last|early|late|{weekday})(?:'s)?\s+(?P<pod>{pod})"
                    rf"(?:\s+(?P<d2>yesterday|today|tomorrow))?{_E}"
                ),
                _day_pod,
            ),
            (rf"{_B}(?P<pod>{pod})\s+(?P<d2>yesterday|today|tomorrow|{weekday}){_E}", _day_pod),
            (rf"{_B}(?P<w>{lx('deictic')}){_E}", _deictic),
            (rf"{_B}(?P<w>{lx('set')}){_E}", _lexical_set),
            (
                (
                    rf"{_BN}(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.?\s?m\.?(?=\W|$)|o'clock)"
                    rf"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC|EDT|local\s+time))?(?:,?\s+(?:(?P<d2>yesterday|today|tomorrow|"
                    rf"tonight|{weekday})|(?:on\s+)?(?P<mon>{month})\s+(?P<dd>{_DAY})(?!\d|:\d)))?"
                ),
                _clock,
            ),
            (
                rf"{_B}(?P<w>noon|midday|midnight)(?:,?\s+(?P<d2>yesterday|today|tomorrow|{weekday}))?{_E}",
                _clock,
            ),
            (
                (
                    rf"{_B}(?P<h>\d{{1,2}})\s+in\s+the\s+(?P<pod>morning|afternoon|evening)(?:,?\s+"
                    rf"(?P<d2>yesterday|today|tomorrow|{weekday}))?{_E}"
                ),
                _clock,
            ),
            (rf"{_B}(?P<hol>{lx('holiday')})(?:,?\s+(?:in\s+|of\s+)?(?P<y>{_YEAR}))?{_E}", _holiday),
            (rf"{_B}(?:the\s+)?(?P<s>{season})(?:\s+of)?,?\s+(?P<y>{_YEAR}){_E}", _season_year),
            (
                (
                    rf"\b(?:in|during|by|until|through|over|since)\s+(?P<span>(?:the\s+)?(?:(?P<pos>early|late|mid)[\s-]+)?"
                    rf"(?P<s>{season})){_E}"
                ),
                _season_alone,
            ),
            (rf"{_B}(?P<wd>{weekday}){_E}", _weekday),
        ]
        self.rules = [
            (re.compile(pattern, re.IGNORECASE), handler, _HANDLER_CLASSES[handler])
            for pattern, handler in rules
        ]

        self.triggers = _trigger_words(lexicon, aliases)
        self.trigger_classes = frozenset(c for classes in self.triggers.values() for c in classes)
        self.proper_triggers = frozenset(
            w.strip(".").lower()
            for label in ("month", "weekday")
            for e in lexicon.by_label.get(label, ())
            for alt in e.pattern.split("|")
            for w in re.sub(r"\\\.|\?|\(\?:|\)", "", alt).split()
        ) | {"christmas", "easter"}

    def windows(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Stretches of ``text`` around the words a family of rules needs (a month, a unit, "now"...).

        Each rule runs only in the windows of its trigger classes: regular expressions that may start
        anywhere are slow to scan, and most of a news text holds no time expression.
        """
        spans: dict[str, list[tuple[int, int]]] = {}
        for word in _WORD.finditer(text):
            token = word.group().lower()
            if token in self.proper_triggers and not word.group()[0].isupper():
                continue  # "may", "march", "sun": only the capitalised month or weekday counts
            classes = self.triggers.get(token) or self.triggers.get(token[:-1]) or _shape_classes(token)
            if not classes:
                continue
            start = max(word.start() - _REACH, 0)
            end = min(word.end() + _REACH, len(text))
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
            for name in classes:
                found = spans.setdefault(name, [])
                if found and start <= found[-1][1]:
                    found[-1] = (found[-1][0], max(end, found[-1][1]))
                else:
                    found.append((start, end))
        return spans

    def candidates(self, text: str) -> list[Candidate]:
        """Every rule's matches over ``text``, overlaps settled longest first."""
        found: list[tuple[int, int, int, tuple[Piece, ...]]] = []
        by_class = self.windows(text)
        for priority, (regex, handler, classes) in enumerate(self.rules):
            windows = (
                by_class.get(next(iter(classes)))
                if len(classes) == 1
                else _merge([w for c in classes for w in by_class.get(c, ())])
            )
            for start, end in windows or ():
                for match in regex.finditer(text, start, end):
                    made = handler(match, self)
                    if made:
                        found.append((match.start(), match.end(), priority, tuple(made)))
        found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[Candidate] = []
        for start, end, _, pieces in found:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            chosen.append(Candidate(start, end, pieces))
        chosen.sort(key=lambda c: c.start)
        return chosen

    # -- lexicon helpers --------------------------------------------------------------------------

    def number(self, text: str | None) -> int | None:
        """An integer for digits or number words; None for vague quantities ("several")."""
        if not text:
            return None
        text = " ".join(text.lower().split())
        digits = text.replace(",", "")
        if digits.replace(".", "", 1).isdigit():
            amount = float(digits)
            return int(amount) if amount.is_integer() else None
        parts = re.split(r"[- ]", text)
        if len(parts) == 2 and parts[0] in _TENS.split("|") and parts[1] in _ONES.split("|"):
            tens, ones = self.lexicon.lookup("number", parts[0]), self.lexicon.lookup("number", parts[1])
            return int(tens) + int(ones) if tens and ones else None
        value = self.lexicon.lookup("number", text)
        return int(value) if value is not None else None

    def month_of(self, text: str) -> int:
        return int(self.lexicon.lookup("month", text.rstrip(".") if len(text) > 4 else text) or 0) or int(
            self.lexicon.lookup("month", text) or 0
        )

    def weekday_of(self, text: str) -> int:
        return int(self.lexicon.lookup("weekday", text) or 0)

    def unit_of(self, text: str) -> str:
        return self.lexicon.lookup("unit", text) or "D"

    def day_of(self, text: str) -> int:
        digits = re.sub(r"\D", "", text)
        if digits:
            return int(digits)
        return int(self.lexicon.lookup("ordinal", text) or 0)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _shape_classes(token: str) -> frozenset[str]:
    if not token[:1].isdigit() and not token.startswith(("q", "fy")):
        return frozenset()
    if _YEAR_SHAPE.match(token):
        return frozenset({"year"})
    if _SLASH_SHAPE.match(token):
        return frozenset({"numdate", "event"})
    if _QUARTER_SHAPE.match(token):
        return frozenset({"quarter"})
    return frozenset()


_WORD = re.compile(r"[A-Za-z]+\d*(?:\.[A-Za-z]\.?)?|\d+(?:/\d+)+|\d+'?s?")
#: digit words that may start a time expression: years, decades ("1990s", "90s"), FY22, 3/15/2021, Q3
_YEAR_SHAPE = re.compile(r"^(?:1[5-9]\d\d|20\d\d|1[5-9]\d0'?s|20\d0'?s|\d0'?s|fy\d*)$")
_SLASH_SHAPE = re.compile(r"^\d+(?:/\d+)+$")
_QUARTER_SHAPE = re.compile(r"^q[1-4]$")
_REACH = 40  # characters around a trigger word that a time expression may extend over
_NOT_TRIGGERS = frozenset(
    {
        "a",
        "an",
        "the",
        "in",
        "at",
        "as",
        "of",
        "on",
        "to",
        "this",
        "that",
        "one",
        "some",
        "each",
        "every",
        "per",
        "right",
        "just",
        "more",
        "near",
        "short",
        "by",
        "for",
        "is",
        "it",
        "and",
        "or",
        "last",
        "next",
        "two",
        "new",
        "full",
        "who",
        "other",
        "time",
        "times",
        "these",
        "date",
        "due",
        "possible",
    }
)
_EXTRA_TRIGGERS = {
    "quarter": "quarter quarters half fiscal period",
    "year": "fy nineteen twenty thousand twenties thirties forties fifties sixties seventies eighties "
    "nineties",
    "unit": "weekend weekends",
    "clock": "a.m p.m a.m. p.m. am pm clock noon midnight midday",
    "event": "eve",
}
_LABEL_CLASS = {
    "month": "month",
    "weekday": "weekday",
    "season": "season",
    "part_of_day": "pod",
    "unit": "unit",
    "deictic": "deictic",
    "set": "set",
    "holiday": "holiday",
}


def _trigger_words(lexicon: Lexicon, aliases: set[str]) -> dict[str, frozenset[str]]:
    """Word -> the trigger classes it belongs to; every time expression contains such a word."""
    words: dict[str, set[str]] = {}

    def add(word: str, name: str) -> None:
        if (len(word) > 2 or word in ("am", "pm")) and word not in _NOT_TRIGGERS:
            words.setdefault(word, set()).add(name)

    for name, listed in _EXTRA_TRIGGERS.items():
        for word in listed.split():
            add(word, name)
    for label, name in _LABEL_CLASS.items():
        for entry in lexicon.by_label.get(label, ()):
            surface = re.sub(r"\\s\+?|\(\?:|[()|:\[\]]|\\", " ", entry.pattern).lower()
            for word in surface.split():
                word = word.strip(".'")
                # "days?" stands for "day" and "days"
                for form in (word.replace("?", ""), re.sub(r".\?", "", word)) if "?" in word else (word,):
                    add(form, name)
    for alias in aliases:  # one distinctive word of each alias: its longest
        parts = re.findall(r"[A-Za-z]+\d*|\d+(?:/\d+)+", alias.lower())
        if parts:
            add(max(parts, key=len), "event")
    return {word: frozenset(classes) for word, classes in words.items()}


# --- resolution helpers ------------------------------------------------------------------------------


def _fixed(value: str, point: Point | None = None, mod: str | None = None) -> Resolver:
    def resolve(ctx: Context) -> Resolution:
        return Resolution(value, mod=mod, point=point)

    return resolve


def year_for(ctx: Context, month: int, day: int | None = None) -> tuple[int | None, str | None]:
    """The year of a month (and day) the text leaves without one: narrative year, else by tense."""
    if ctx.narrative_year is not None and not (
        ctx.tense == "future" and ctx.dct is not None and ctx.narrative_year < ctx.dct.year
    ):  # a future-tense clause does not happen in the past year a nearby date named
        return ctx.narrative_year, ctx.ref_id
    if ctx.dct is None:
        return None, None
    year, dct = ctx.dct.year, ctx.dct
    if (
        ctx.tense == "past"
        and (month, day or 1) > (dct.month, dct.day)
        and month - dct.month > (2 if day else 1)
    ):
        # a past-tense clause names a day a few weeks ahead when it reports a plan ("payable Dec. 7")
        year -= 1
    elif ctx.tense == "future" and (month, day or 31) < (dct.month, dct.day) and dct.month - month > 0:
        year += 1
    elif ctx.tense not in ("past", "future") and abs(month - dct.month) > 6:
        year += 1 if month < dct.month else -1  # no tense to go by: the nearer one
    return year, "dct"


def weekday_near(ctx: Context, weekday: int) -> dt.date | None:
    """The ``weekday`` (1-7) the publication date's clause means: tense picks past or future."""
    if ctx.dct is None:
        return None
    back = (ctx.dct.isoweekday() - weekday) % 7
    forward = (weekday - ctx.dct.isoweekday()) % 7
    if ctx.tense == "future" or (ctx.tense == "present" and forward < back):
        return ctx.dct + dt.timedelta(days=forward)
    return ctx.dct - dt.timedelta(days=back)


def _day_value(year: int | None, month: int, day: int) -> tuple[str, Point | None]:
    if year is None:
        return f"XXXX-{month:02d}-{day:02d}", None
    date = _date(year, month, day)
    if date is None:  # Feb 30: keep the month, say the day is unknown
        return f"{year:04d}-{month:02d}-XX", Point("M", dt.date(year, month, 1))
    return date.isoformat(), Point("D", date)


# --- rule handlers -----------------------------------------------------------------------------------


def _span(match: re.Match[str]) -> tuple[int, int]:
    if "span" in match.re.groupindex and match.group("span") is not None:
        return match.start("span"), match.end("span")
    return match.start(), match.end()


def _iso(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    date = _date(int(match["y"]), int(match["m"]), int(match["d"]))
    if date is None:
        return None
    time = f"T{match['t']}" if match["t"] else ""
    kind = TimeType.TIME if time else TimeType.DATE
    point = Point("D", date, time)
    return [Piece(match.start(), match.end(), kind, _fixed(point.value, point), explicit=True)]


def _numeric_us(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    year = int(match["y"]) if len(match["y"]) == 4 else _two_digit_year(match["y"])
    date = _date(year, int(match["m"]), int(match["d"]))
    if date is None:
        return None
    point = Point("D", date)
    return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point), explicit=True)]


def _month_day(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _cap(match["mon"]):
        return None
    month, day = g.month_of(match["mon"]), g.day_of(match["d"])
    if not 1 <= day <= 31 or not month:
        return None
    explicit_year = int(match["y"]) if match["y"] else None
    weekday = g.weekday_of(match["wd"]) if match["wd"] else None

    def resolve(ctx: Context) -> Resolution:
        year, anchor = (explicit_year, None) if explicit_year else year_for(ctx, month, day)
        if explicit_year is None and weekday and ctx.dct and year is not None:
            # "Friday, March 3": choose the year in which the weekday fits, near the publication year
            for candidate in (year, year - 1, year + 1):
                date = _date(candidate, month, day)
                if date and date.isoweekday() == weekday:
                    year = candidate
                    break
        value, point = _day_value(year, month, day)
        return Resolution(value, point=point, anchor=anchor)

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve, explicit=explicit_year is not None)]


def _day_range(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _cap(match["mon"]):
        return None
    month, first, last = g.month_of(match["mon"]), g.day_of(match["d1"]), g.day_of(match["d2"])
    if not (1 <= first <= 31 and 1 <= last <= 31):
        return None
    explicit_year = int(match["y"]) if match["y"] else None

    def resolver(day: int) -> Resolver:
        def resolve(ctx: Context) -> Resolution:
            year, anchor = (explicit_year, None) if explicit_year else year_for(ctx, month, first)
            value, point = _day_value(year, month, day)
            return Resolution(value, point=point, anchor=anchor)

        return resolve

    end_first = match.end("d1")
    start_last = match.start("d2")
    return [
        Piece(match.start(), end_first, TimeType.DATE, resolver(first), explicit=explicit_year is not None),
        Piece(start_last, match.end(), TimeType.DATE, resolver(last), explicit=explicit_year is not None),
    ]


def _month_year(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _cap(match["mon"]):
        return None
    month = g.month_of(match["mon"])
    year = int(match["y"]) if match["y"] else _two_digit_year(match["yy"])
    point = Point("M", dt.date(year, month, 1))
    return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point), explicit=True)]


def _month_alone(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    word = match["mon"]
    if not _cap(word):
        return None
    before = match.string[max(match.start() - 12, 0) : match.start()]
    if word.lower() in _MODAL_MONTHS and not _PRECEDES_BARE_MONTH.search(before):
        return None
    if len(word) <= 4 and not word.endswith(".") and word.lower() not in ("may", "june", "july"):
        return None  # "Jan" without its period is more often a name
    month = g.month_of(word)

    def resolve(ctx: Context) -> Resolution:
        year, anchor = year_for(ctx, month)
        if year is None:
            return Resolution(f"XXXX-{month:02d}")
        point = Point("M", dt.date(year, month, 1))
        return Resolution(point.value, point=point, anchor=anchor)

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _month_relative_year(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _cap(match["mon"]):
        return None
    month = g.month_of(match["mon"])
    step = {"this": 0, "last": -1, "next": 1}[match["rel"].lower()]

    def resolve(ctx: Context) -> Resolution:
        if ctx.dct is None:
            return Resolution(f"XXXX-{month:02d}")
        point = Point("M", dt.date(ctx.dct.year + step, month, 1))
        return Resolution(point.value, point=point, anchor="dct")

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


_TEEN = {
    w: i
    for i, w in enumerate(
        (
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ),
        start=10,
    )
}


def _spelled_year(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    """ "nineteen ninety-six", "the year two thousand": years read out in broadcast transcripts."""
    groups = match.groupdict()
    if groups.get("c"):
        rest = groups["rest"].lower()
        if rest == "hundred":
            tail = 0
        elif rest in _TEEN:
            tail = _TEEN[rest]
        elif rest.startswith("oh"):
            tail = g.number(rest[3:]) or 0
        else:
            tail = g.number(rest) or 0
        year = (19 if groups["c"].lower() == "nineteen" else 20) * 100 + tail
    else:
        small = groups.get("small")
        year = 2000 + ((_TEEN.get(small.lower()) or g.number(small) or 0) if small else 0)
    if groups.get("mon"):
        if not _cap(groups["mon"]):
            return None
        point = Point("M", dt.date(year, g.month_of(groups["mon"]), 1))
    else:
        if not match.group().lower().startswith("the year") and not groups.get("c"):
            return None
        point = Point("Y", dt.date(year, 1, 1))
    return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point), explicit=True)]


def _part_of_current(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    """ "the end of the year", "year-end": a part of the current (or narrative) period."""
    groups = match.groupdict()
    if groups.get("ye"):
        word = groups["ye"].lower()
        unit = "M" if word.startswith("month") else "Q" if word.startswith("quarter") else "Y"
        mod: str | None = "END"
    else:
        unit, mod = g.unit_of(groups["u"]), g.lexicon.lookup("position", groups["pos"])
    gran = _UNIT_GRAN.get(unit, "Y")

    def resolve(ctx: Context) -> Resolution:
        if ctx.ref is not None and ctx.ref_in_sentence and ctx.ref.gran == gran:
            return Resolution(ctx.ref.value, mod=mod, point=ctx.ref, anchor=ctx.ref_id)
        if ctx.dct is None:
            return Resolution(_unresolved(unit, 0, 0, None), mod=mod)
        point = Point(gran, ctx.dct)
        return Resolution(point.value, mod=mod, point=point, anchor="dct")

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _the_weekend(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    start, end = _span(match)
    det = match["span"].split()[0].lower()

    def resolve(ctx: Context) -> Resolution:
        if det == "that" and ctx.ref is not None:
            point = Point("WE", ctx.ref.day)
            return Resolution(point.value, point=point, anchor=ctx.ref_id)
        if ctx.dct is None:
            return Resolution("XXXX-WXX-WE")
        if ctx.tense == "future":
            day = ctx.dct + dt.timedelta(days=(6 - ctx.dct.isoweekday()) % 7)
        elif ctx.tense == "present" or det == "this":
            day = ctx.dct
        else:  # the weekend just past
            day = ctx.dct - dt.timedelta(
                days=(ctx.dct.isoweekday() - 6) % 7 if ctx.dct.isoweekday() < 6 else 0
            )
        point = Point("WE", day)
        return Resolution(point.value, point=point, anchor="dct")

    return [Piece(start, end, TimeType.DATE, resolve)]


def _year_ok(match: re.Match[str], end: int) -> bool:
    return not _NOT_YEAR_AFTER.match(match.string, end)


def _year(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    groups = match.groupdict()
    year = int(groups["y"]) if groups.get("y") else _two_digit_year(groups["yy"])
    if groups.get("y") and not groups.get("pre") and not _year_ok(match, match.end()):
        return None
    point = Point("Y", dt.date(year, 1, 1))
    return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point), explicit=True)]


def _year_range(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    first = int(match["y1"])
    second = int(match["y2"]) if len(match["y2"]) == 4 else first // 100 * 100 + int(match["y2"])
    if second <= first or second - first > 100:
        return None
    one, two = Point("Y", dt.date(first, 1, 1)), Point("Y", dt.date(second, 1, 1))
    return [
        Piece(match.start("y1"), match.end("y1"), TimeType.DATE, _fixed(one.value, one), explicit=True),
        Piece(match.start("y2"), match.end("y2"), TimeType.DATE, _fixed(two.value, two), explicit=True),
    ]


_DECADE_WORDS = {
    w: i
    for i, w in enumerate(
        ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
        start=2,
    )
}
_MODS = {"early": "START", "mid": "MID", "late": "END"}


def _decade(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    mod = _MODS.get((match["pos"] or "").lower())
    if match["c"]:
        decade, explicit = int(match["c"]) * 10 + int(match["d"]), True
        point = Point("DE", dt.date(decade * 10, 1, 1))
        return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point, mod), explicit)]
    tens = int(match["dd"]) if match["dd"] else _DECADE_WORDS[match["w"].lower()]

    def resolve(ctx: Context) -> Resolution:
        century = 19
        if ctx.dct and (ctx.dct.year // 10) % 10 >= tens and ctx.dct.year >= 2000:
            century = ctx.dct.year // 100
        point = Point("DE", dt.date(century * 100 + tens * 10, 1, 1))
        return Resolution(point.value, mod=mod, point=point)

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _century(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    number = int(match["n"]) if match["n"] else g.day_of(match["o"])
    if not 1 <= number <= 30:
        return None
    point = Point("C", dt.date((number - 1) * 100 or 1, 1, 1))
    return [
        Piece(match.start(), match.end(), TimeType.DATE, _fixed(f"{number - 1:02d}", point), explicit=True)
    ]


_ORDINAL_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_LAST_OF = {"quarter": 4, "half": 2}  # "the final quarter"


def _quarter(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    groups = match.groupdict()
    if groups.get("q"):
        number, gran = int(groups["q"][1]), "Q"
    else:
        period = groups["per"].lower()
        number = _ORDINAL_NUMBER.get(groups["ord"].lower()) or _LAST_OF[period]
        gran = "Q" if period == "quarter" else "H"
        if gran == "H" and number > 2:
            return None
    year_text = groups.get("y") or groups.get("y2")
    explicit_year = (
        int(year_text) if year_text else (_two_digit_year(groups["yy"]) if groups.get("yy") else None)
    )
    det = (groups.get("det") or "").lower()
    rel = (groups.get("rel") or "").lower()
    month = (number - 1) * (3 if gran == "Q" else 6) + 1
    start = match.start()
    if det and groups.get("ord") and match.string[match.end("ord")] == "-":
        # "a third-quarter loss": TimeML tags the adjective alone
        start = min(match.start(k) for k in ("f1", "y", "f2", "ord") if groups.get(k))
        det = ""

    def resolve(ctx: Context) -> Resolution:
        if explicit_year:
            point = Point(gran, dt.date(explicit_year, month, 1))
            return Resolution(point.value, point=point)
        if ctx.narrative_year is not None:
            year, anchor = ctx.narrative_year, ctx.ref_id
        elif ctx.dct is None:
            return Resolution(f"XXXX-{gran}{number}")
        else:
            year, anchor = ctx.dct.year, "dct"
            shift = {"last": -1, "next": 1}.get(rel or det, 0)
            if shift:
                year += shift
            elif ctx.tense != "future" and (month > ctx.dct.month):
                year -= 1  # results are reported for quarters that are over
        point = Point(gran, dt.date(year, month, 1))
        return Resolution(point.value, point=point, anchor=anchor)

    return [Piece(start, match.end(), TimeType.DATE, resolve, explicit=explicit_year is not None)]


def _the_quarter(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    which = (match["which"] or "").lower()
    if match["per"].lower() == "period" and not which:
        return None

    def resolve(ctx: Context) -> Resolution:
        if ctx.ref is not None and ctx.ref.gran == "Q" and which != "current":
            return Resolution(ctx.ref.value, point=ctx.ref, anchor=ctx.ref_id)
        if ctx.dct is None:
            return Resolution("XXXX-QX")
        point = Point("Q", ctx.dct)
        if match["det"].lower() != "this" and which != "current":
            point = point.shift(-1, "Q")
        return Resolution(point.value, point=point, anchor="dct")

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _season_of(day: dt.date) -> Point:
    code = _SEASON_OF_MONTH.get(day.month, "FA")
    year = day.year - 1 if day.month <= 2 else day.year
    return Point(code, dt.date(year, {"WI": 12, "SP": 3, "SU": 6, "FA": 9}[code], 1))


def _relative(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    what = " ".join(match["what"].lower().split())
    groups = match.groupdict()
    det = " ".join((groups.get("det") or "").lower().split())
    direction = (groups.get("dir") or "").lower()
    weekday = g.weekday_of(what)
    month = g.month_of(what) if _cap(match["what"]) else 0
    season = g.lexicon.lookup("season", what)
    unit = {"fiscal year": "Y", "weekend": "WE", "half": "H"}.get(what) or (
        (g.lexicon.lookup("unit", what) or "") if not (weekday or month or season) else ""
    )
    if not (unit or weekday or month or season):
        return None  # "this march": a protest, not the month
    if (weekday or month) and not _cap(match["what"]):
        return None
    anaphoric = det in (
        "that",
        "the same",
        "the following",
        "the next",
        "the previous",
        "the preceding",
        "the prior",
        "the subsequent",
    )
    if det in ("the past", "the last"):
        # "the past week" is a duration ending at publication (TimeML), "last week" a date
        if not unit or unit == "H":
            return None
        return _duration_piece(match.start(), match.end(), 1, unit, "past", None)
    step = {
        "last": -1,
        "past": -1,
        "previous": -1,
        "the previous": -1,
        "the preceding": -1,
        "the prior": -1,
        "next": 1,
        "coming": 1,
        "the coming": 1,
        "the next": 1,
        "the following": 1,
        "the subsequent": 1,
    }.get(det, 0)
    if direction == "before last":
        step = -2
    elif direction == "after next":
        step = 2

    def resolve(ctx: Context) -> Resolution:
        base: Point | None
        anchor: str | None
        if anaphoric and ctx.ref is not None:
            base, anchor = ctx.ref, ctx.ref_id
        else:
            base, anchor = _dct_point(ctx), "dct"
        if base is None:
            return Resolution(_unresolved(unit, month, weekday, season))
        day = base.day
        if weekday:
            offset = (weekday - day.isoweekday()) % 7
            if step < 0:
                target = day - dt.timedelta(days=(day.isoweekday() - weekday) % 7 or 7)
                target -= dt.timedelta(weeks=-step - 1)
            elif step > 0:
                target = day + dt.timedelta(days=offset or 7) + dt.timedelta(weeks=step - 1)
            else:
                target = day - dt.timedelta(days=day.isoweekday() - weekday)
            point = Point("D", target)
        elif month:
            year = day.year
            if step < 0:
                year -= 1 if month >= day.month else 0
                year += step + 1
            elif step > 0:
                year += 1 if month <= day.month else 0
                year += step - 1
            point = Point("M", dt.date(year, month, 1))
        elif season:
            current = _season_of(day)
            point = Point(season, dt.date(current.day.year, {"WI": 12, "SP": 3, "SU": 6, "FA": 9}[season], 1))
            if step < 0 and point.day >= current.day:
                point = point.shift(-1, "Y")
            elif step > 0 and point.day <= current.day:
                point = point.shift(1, "Y")
        else:
            gran = _UNIT_GRAN.get(unit, "D")
            point = Point(gran, day).shift(step, unit)
        return Resolution(point.value, point=point, anchor=anchor)

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _unresolved(unit: str, month: int, weekday: int, season: str | None) -> str:
    if month:
        return f"XXXX-{month:02d}"
    if weekday:
        return f"XXXX-WXX-{weekday}"
    if season:
        return f"XXXX-{season}"
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(
        unit, "XXXX"
    )


_HALF = {"Y": "6M", "M": "15D", "W": "3DT12H", "D": "T12H", "TH": "30M", "TM": "30S"}


def duration_value(number: int | None, unit: str, *, half: bool = False) -> str:
    """TIMEX3 duration value: P3D, PT6H, P20Y for two decades, PXY when vague, P2Y6M for 2 1/2 years."""
    if half and number is not None and unit in _HALF:
        tail = _HALF[unit]
        if unit in ("TH", "TM"):
            return f"PT{number}{unit[1]}{tail}" if number else f"PT{tail}"
        if tail.startswith("T"):
            return f"P{number}D{tail}" if number else f"P{tail}"
        return f"P{number}{unit}{tail}" if number else f"P{tail}"
    n = "X" if number is None else str(number)
    if unit in ("TS", "TM", "TH"):
        return f"PT{n}{unit[1]}"
    if unit == "DE":
        return f"P{n if number is None else number * 10}Y" if number is not None else "PXDE"
    if unit == "C":
        return f"P{number * 100}Y" if number is not None else "PXCE"
    if unit == "WE":
        return f"P{n}WE"
    return f"P{n}{unit}"


def _duration_piece(
    start: int,
    end: int,
    number: int | None,
    unit: str,
    direction: str,
    mod: str | None,
    *,
    half: bool = False,
) -> list[Piece]:
    value = duration_value(number, unit, half=half)
    calendar_unit = {"TS": "D", "TM": "D", "TH": "D", "WE": "W"}.get(unit, unit)

    def resolve(ctx: Context) -> Resolution:
        if ctx.dct is None or number is None or unit in ("TS", "TM", "TH"):
            return Resolution(value, mod=mod)
        if direction in ("past", "last", "previous", "preceding", "recent"):
            first = shift_day(ctx.dct, -number, calendar_unit)
            return Resolution(value, mod=mod, interval=(first.isoformat(), ctx.dct.isoformat()), anchor="dct")
        if direction in ("next", "coming", "ahead"):
            last = shift_day(ctx.dct, number, calendar_unit)
            return Resolution(value, mod=mod, interval=(ctx.dct.isoformat(), last.isoformat()), anchor="dct")
        return Resolution(value, mod=mod)

    return [Piece(start, end, TimeType.DURATION, resolve)]


def _duration(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    unit = g.unit_of(match["unit"])
    half = bool(match["half1"] or match["half2"] or "1/2" in match["num"])
    number = g.number(match["num"].split()[0] if "1/2" in match["num"] else match["num"])
    if number is None and not re.fullmatch(_VAGUE, match["num"].lower()):
        return None
    if match["num"].lower() == "some" and not match["dir"]:
        number = None
    direction = (match["dir"] or ("ahead" if match["ahead"] else "")).lower()
    mod = g.lexicon.lookup("approx", match["approx"]) if match["approx"] else None
    if unit == "TS" and match["num"].lower() in ("a", "an"):
        return None  # "a second" is mostly the ordinal
    if unit == "Q" and ("-" in match["sep"] or match.string.startswith(" of", match.end())):
        return None  # "three-quarters", "a quarter of the vote": fractions
    if match["det"] and not match["dir"] and number is None:
        return None
    return _duration_piece(match.start(), match.end(), number, unit, direction, mod, half=half)


def _vague_duration(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    unit = g.unit_of(match["unit"])
    groups = match.groupdict()
    direction = (groups.get("dir") or ("next" if groups.get("ahead") else "")).lower()
    start, end = _span(match)
    value = duration_value(None, unit)
    if direction in ("last", "previous", "following") and not groups.get("det"):
        return None

    def resolve(ctx: Context) -> Resolution:
        if ctx.dct is None:
            return Resolution(value)
        if direction in ("recent", "past", "last", "previous"):
            return Resolution(value, interval=("..", ctx.dct.isoformat()), anchor="dct")
        if direction in ("coming", "next"):
            return Resolution(value, interval=(ctx.dct.isoformat(), ".."), anchor="dct")
        return Resolution(value)

    return [Piece(start, end, TimeType.DURATION, resolve)]


def _ago(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    unit = g.unit_of(match["unit"])
    number = g.number(match["num"]) if match["num"] else None
    vague = match["num"] is None or number is None
    if match["num"] is None and not match["unit"].lower().endswith("s"):
        return None
    if vague and match["dir"].lower() in ("before", "after"):
        return None  # "in the days before the vote": TimeML tags the bare "days" as a vague date
    direction = " ".join(match["dir"].lower().split())
    back = direction in ("ago", "earlier", "before", "back")
    mod = g.lexicon.lookup("approx", match["approx"]) if match["approx"] else None
    if match["orso"]:
        mod = "APPROX"
    relative_to_ref = direction in ("earlier", "later", "before", "after")
    gran = {"DE": "Y", "C": "Y"}.get(unit) or _UNIT_GRAN.get(unit, "D")

    def resolve(ctx: Context) -> Resolution:
        if vague:
            if direction in ("ago", "earlier", "before", "back"):
                return Resolution(
                    "PAST_REF", point=None, interval=("..", ctx.dct.isoformat()) if ctx.dct else None
                )
            return Resolution("FUTURE_REF", interval=(ctx.dct.isoformat(), "..") if ctx.dct else None)
        assert number is not None
        step = -number if back else number
        if unit in ("TS", "TM", "TH"):
            base = ctx.ref if relative_to_ref and ctx.ref else _dct_point(ctx)
            if base is None:
                return Resolution("XXXX-XX-XX", mod=mod)
            hours = {"TS": 1 / 3600, "TM": 1 / 60, "TH": 1}[unit] * step
            day = base.day + dt.timedelta(days=int(hours // 24)) if abs(hours) >= 24 else base.day
            point = Point("D", day)
            return Resolution(
                point.value, mod=mod, point=point, anchor="dct" if base.gran == "D" else ctx.ref_id
            )
        comparison = (
            unit == "Y"
            and number == 1
            and back
            and ctx.ref is not None
            and (ctx.ref_in_sentence or (ctx.ref.gran in ("Q", "H") and ctx.ref_distance <= 2))
        )
        if comparison and ctx.ref is not None and ctx.ref.gran in ("Q", "H", "M", "Y"):
            # "profit rose in the third quarter from a year ago": the same period a year before
            point = ctx.ref.shift(step, unit)
            return Resolution(point.value, mod=mod, anchor=ctx.ref_id)
        if (
            relative_to_ref
            and ctx.ref is not None
            and (ctx.ref_in_sentence or direction in ("later", "after"))
        ):
            point = ctx.ref.shift(step, unit)
            return Resolution(point.value, mod=mod, point=point if not back else None, anchor=ctx.ref_id)
        if ctx.dct is None:
            return Resolution(_unresolved(unit, 0, 0, None), mod=mod)
        point = Point(gran, ctx.dct).shift(step, unit)
        return Resolution(point.value, mod=mod, point=point, anchor="dct")

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


def _year_earlier(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    start, end = _span(match)
    noun = (match["noun"] or "").lower()
    gran = {"quarter": "Q", "period": "Q", "month": "M", "week": "W", "day": "D"}.get(noun)

    def resolve(ctx: Context) -> Resolution:
        # a comparison period: it does not move the narrative reference time
        if ctx.ref is not None and (
            ctx.ref_in_sentence or (ctx.ref.gran in ("Q", "H") and ctx.ref_distance <= 2)
        ):
            ref = ctx.ref.at(gran) if gran == "Q" and ctx.ref.gran in ("M", "D") else ctx.ref
            return Resolution(ref.shift(-1, "Y").value, anchor=ctx.ref_id)
        if ctx.dct is None:
            return Resolution("XXXX")
        if gran == "Q":  # "the year-ago quarter" in a results story: the quarter just reported
            return Resolution(Point("Q", ctx.dct).shift(-1, "Q").shift(-1, "Y").value, anchor="dct")
        return Resolution(Point("Y", ctx.dct).shift(-1, "Y").value, anchor="dct")

    return [Piece(start, end, TimeType.DATE, resolve)]


def _every(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    groups = match.groupdict()
    start, end = _span(match)
    what = " ".join((groups.get("what") or groups.get("unit") or "").lower().split())
    if groups.get("span") and groups.get("unit") and not groups.get("freq") and not groups.get("q"):
        # "$5 a day", "3 percent a year": a rate
        unit = g.unit_of(what)
        return [Piece(start, end, TimeType.SET, _fixed(duration_value(1, unit)))]
    weekday = g.weekday_of(what) if _cap(groups.get("what") or "") else 0
    month = g.month_of(what) if _cap(groups.get("what") or "") else 0
    pod = g.lexicon.lookup("part_of_day", what)
    if weekday:
        value = f"XXXX-WXX-{weekday}"
    elif month:
        value = f"XXXX-{month:02d}"
    elif pod:
        value = f"XXXX-XX-XXT{pod}"
    elif what == "weekend":
        value = "XXXX-WXX-WE"
    else:
        unit = g.unit_of(what)
        count = g.number(groups.get("num")) if groups.get("num") and groups.get("q") else 1
        if groups.get("other"):
            count = 2
        value = duration_value(count or 1, unit)
    return [Piece(start, end, TimeType.SET, _fixed(value))]


def _weekday_plural(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    word = match["what"]
    if not _cap(word):
        return None
    weekday = g.weekday_of(word[:-1])
    if not weekday:
        return None
    start, end = _span(match)
    return [Piece(start, end, TimeType.SET, _fixed(f"XXXX-WXX-{weekday}"))]


_DEICTIC_OFFSET = re.compile(r"^(?P<u>[DWMQY])(?P<n>[+-]\d+)(?P<t>T\w\w)?$")


def _deictic(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    word = match["w"]
    value = g.lexicon.lookup("deictic", word)
    if value is None:
        return None
    offset = _DEICTIC_OFFSET.match(value)
    if offset is None:
        return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(value))]
    unit, step, time = offset["u"], int(offset["n"]), offset["t"] or ""

    def resolve(ctx: Context) -> Resolution:
        if ctx.dct is None:
            return Resolution(_unresolved(unit, 0, 0, None) + time)
        point = Point(_UNIT_GRAN[unit], ctx.dct, time).shift(step, unit)
        return Resolution(point.value, point=point, anchor="dct")

    kind = TimeType.TIME if time else TimeType.DATE
    return [Piece(match.start(), match.end(), kind, resolve)]


def _lexical_set(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    value = g.lexicon.lookup("set", match["w"])
    return [Piece(match.start(), match.end(), TimeType.SET, _fixed(value))] if value else None


def _day_resolver(g: Grammar, word: str | None) -> Callable[[Context], tuple[dt.date | None, str | None]]:
    """The day "yesterday", "Friday", "this" (...morning) names."""
    text = (word or "today").lower()
    weekday = g.weekday_of(text) if word and _cap(word) else 0

    def day(ctx: Context) -> tuple[dt.date | None, str | None]:
        if ctx.dct is None:
            return None, None
        if weekday:
            return weekday_near(ctx, weekday), "dct"
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(text, 0)
        return ctx.dct + dt.timedelta(days=shift), "dct"

    return day


def _day_pod(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    groups = match.groupdict()
    word = groups.get("d2") or groups.get("d")
    if word and word.lower() in ("early", "late"):
        word = None
    if word and word.lower() == "last" and match["pod"].lower() != "night":
        return None  # "last evening" is rare; "last morning" means something else
    if word and g.weekday_of(word.lower()) and not _cap(word):
        return None
    pod = g.lexicon.lookup("part_of_day", match["pod"])
    mod = _MODS.get((groups.get("d") or "").lower())
    day_of = _day_resolver(g, word)

    def resolve(ctx: Context) -> Resolution:
        day, anchor = day_of(ctx)
        if day is None:
            return Resolution(f"XXXX-XX-XXT{pod}", mod=mod)
        point = Point("D", day, f"T{pod}")
        return Resolution(point.value, mod=mod, point=Point("D", day), anchor=anchor)

    return [Piece(match.start(), match.end(), TimeType.TIME, resolve)]


def _clock(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    groups = match.groupdict()
    if groups.get("w"):
        hour, minute = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[groups["w"].lower()]
    else:
        hour, minute = int(groups["h"]), int(groups.get("mi") or 0)
        marker = (groups.get("ap") or "").lower().replace(".", "").replace(" ", "")
        if groups.get("pod"):
            marker = "pm" if groups["pod"].lower() in ("afternoon", "evening") else "am"
        if (hour > 12 and marker in ("am", "pm")) or (hour == 0 and marker == "pm"):
            return None
        if marker == "pm" and hour < 12:
            hour += 12
        elif marker == "am" and hour == 12:
            hour = 0
    time = f"T{hour:02d}:{minute:02d}"
    day_of = _day_resolver(g, groups.get("d2"))
    end = match.end()
    month = g.month_of(groups["mon"]) if groups.get("mon") and _cap(groups["mon"]) else 0
    if groups.get("mon") and not (month and 1 <= g.day_of(groups["dd"]) <= 31):
        month = 0  # "10 a.m. may 3...": the clock time alone
        end = match.start() + len(
            re.sub(r"[,\s]+(?:on\s+)?$", "", match.string[match.start() : match.start("mon")])
        )
    explicit_day = groups.get("d2") is not None or bool(month)

    def resolve(ctx: Context) -> Resolution:
        day: dt.date | None
        if month:  # "5 p.m. EST Nov. 9": the time of that day
            year, anchor = year_for(ctx, month, g.day_of(groups["dd"]))
            day = _date(year, month, g.day_of(groups["dd"])) if year is not None else None
        elif not explicit_day and ctx.ref is not None and ctx.ref.gran == "D" and ctx.ref_distance <= 3:
            # a bare clock time happens on the day the narrative is at, if it named one lately
            day, anchor = ctx.ref.day, ctx.ref_id
        else:
            day, anchor = day_of(ctx)
        if day is None:
            return Resolution(f"XXXX-XX-XX{time}")
        return Resolution(Point("D", day, time).value, point=Point("D", day), anchor=anchor)

    return [Piece(match.start(), end, TimeType.TIME, resolve)]


def _holiday_date(rule: str, year: int) -> dt.date | None:
    if rule == "easter":
        day: dt.date = easter(year)
        return day
    if rule.startswith("nth:"):
        _, month, weekday, nth = rule.split(":")
        m, wd, n = int(month), int(weekday), int(nth)
        if n > 0:
            first = dt.date(year, m, 1)
            return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
        last = month_end(year, m)
        return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)
    return _date(year, int(rule[:2]), int(rule[3:]))


def _holiday(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _cap(match["hol"]):
        return None
    rule = g.lexicon.lookup("holiday", match["hol"])
    if rule is None:
        return None
    explicit_year = int(match["y"]) if match["y"] else None

    def resolve(ctx: Context) -> Resolution:
        year = explicit_year
        anchor = None
        if year is None:
            if ctx.dct is None:
                return Resolution(f"XXXX-{rule}" if rule[:2].isdigit() else "XXXX-XX-XX")
            year, anchor = ctx.dct.year, "dct"
            this_year = _holiday_date(rule, year)
            if this_year and ctx.tense in ("past", None) and this_year > ctx.dct:
                year -= 1
            elif this_year and ctx.tense == "future" and this_year < ctx.dct:
                year += 1
        date = _holiday_date(rule, year)
        if date is None:
            return Resolution(f"{year:04d}")
        return Resolution(date.isoformat(), point=Point("D", date), anchor=anchor)

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve, explicit=explicit_year is not None)]


def _season_year(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    code = g.lexicon.lookup("season", match["s"])
    if code is None:
        return None
    point = Point(code, dt.date(int(match["y"]), {"WI": 12, "SP": 3, "SU": 6, "FA": 9}[code], 1))
    return [Piece(match.start(), match.end(), TimeType.DATE, _fixed(point.value, point), explicit=True)]


def _season_alone(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    code = g.lexicon.lookup("season", match["s"])
    if code is None:
        return None
    mod = _MODS.get((match["pos"] or "").lower())
    start, end = _span(match)

    def resolve(ctx: Context) -> Resolution:
        year = ctx.narrative_year or (ctx.dct.year if ctx.dct else None)
        if year is None:
            return Resolution(f"XXXX-{code}", mod=mod)
        point = Point(code, dt.date(year, {"WI": 12, "SP": 3, "SU": 6, "FA": 9}[code], 1))
        if ctx.dct and not ctx.narrative_year:
            current = _season_of(ctx.dct)
            if ctx.tense == "past" and point.day > current.day:
                point = point.shift(-1, "Y")
            elif ctx.tense == "future" and point.day < current.day:
                point = point.shift(1, "Y")
        return Resolution(point.value, mod=mod, point=point, anchor="dct")

    return [Piece(start, end, TimeType.DATE, resolve)]


def _weekday(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    word = match["wd"]
    if not _cap(word) or (len(word) <= 4 and not word.endswith(".")):
        return None
    weekday = g.weekday_of(word)

    def resolve(ctx: Context) -> Resolution:
        day = weekday_near(ctx, weekday)
        if day is None:
            return Resolution(f"XXXX-WXX-{weekday}")
        return Resolution(day.isoformat(), point=Point("D", day), anchor="dct")

    return [Piece(match.start(), match.end(), TimeType.DATE, resolve)]


# --- event-anchored ----------------------------------------------------------------------------------


def _event_resolver(
    g: Grammar, alias: str, build: Callable[[Context, Point, str], Resolution], fallback: str
) -> Resolver:
    def resolve(ctx: Context) -> Resolution:
        event = g.events.resolve(alias, ctx.dct)
        if event is None:
            return Resolution(fallback)
        return build(ctx, event.point, event.id)

    return resolve


def _event_known(match: re.Match[str], g: Grammar) -> bool:
    """Whether some event has this alias at all (the publication date decides which, later)."""
    key = " ".join(match["alias"].lower().split())
    return any(key in (a.lower() for a in (*e.aliases, *e.contextual_aliases)) for e in g.events.events)


def _event_offset(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _event_known(match, g):
        return None
    unit = g.unit_of(match["unit"])
    number = g.number(match["num"])
    if number is None:
        return None
    relation = " ".join(match["rel"].lower().split())
    step = -number if relation in ("before", "ahead of", "prior to") else number
    mod = g.lexicon.lookup("approx", match["approx"]) if match["approx"] else None
    value = duration_value(number, unit)
    calendar_unit = {"TS": "D", "TM": "D", "TH": "D"}.get(unit, unit)

    def build(ctx: Context, point: Point, event_id: str) -> Resolution:
        day = shift_day(point.day, step, calendar_unit)
        target = Point("D", day) if point.gran == "D" else Point(point.gran, day)
        first, last = point_interval(target)
        if mod == "APPROX":  # "around 20 days": the day is uncertain by about a tenth of the offset
            pad = dt.timedelta(days=max(abs((day - point.day).days) // 10, 1))
            first, last = first - pad, last + pad
        return Resolution(
            value,
            mod=mod,
            anchor=event_id,
            resolved=target.value,
            interval=(first.isoformat(), last.isoformat()),
        )

    start, end = _span(match)
    resolver = _event_resolver(g, match["alias"], build, value)
    return [Piece(start, end, TimeType.DURATION, resolver)]


def _event_eve(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _event_known(match, g):
        return None

    def build(ctx: Context, point: Point, event_id: str) -> Resolution:
        eve = Point("D", point.day - dt.timedelta(days=1)) if point.gran == "D" else point
        return Resolution(eve.value, point=eve, anchor=event_id, resolved=eve.value)

    start, end = _span(match)
    return [
        Piece(
            start,
            end,
            TimeType.DATE,
            _event_resolver(g, match["alias"], build, "XXXX-XX-XX"),
            timeml=False,
        )
    ]


def _event_ref(match: re.Match[str], g: Grammar) -> list[Piece] | None:
    if not _event_known(match, g):
        return None

    def build(ctx: Context, point: Point, event_id: str) -> Resolution:
        return Resolution(point.value, point=point, anchor=event_id, resolved=point.value)

    start, end = _span(match)
    return [
        Piece(
            start,
            end,
            TimeType.DATE,
            _event_resolver(g, match["alias"], build, "XXXX-XX-XX"),
            timeml=False,
        )
    ]


#: The trigger classes in whose windows each rule family runs (see Grammar.windows).
_HANDLER_CLASSES: dict[Handler, frozenset[str]] = {
    handler: frozenset(classes.split())
    for handler, classes in (
        (_event_offset, "event"),
        (_event_eve, "event"),
        (_event_ref, "event"),
        (_iso, "year"),
        (_numeric_us, "numdate"),
        (_month_day, "month"),
        (_day_range, "month"),
        (_month_year, "month"),
        (_month_alone, "month"),
        (_month_relative_year, "month"),
        (_spelled_year, "year"),
        (_part_of_current, "unit"),
        (_the_weekend, "unit"),
        (_year_range, "year"),
        (_year, "year"),
        (_decade, "year"),
        (_century, "unit"),
        (_quarter, "quarter"),
        (_the_quarter, "quarter"),
        (_relative, "weekday month season unit quarter"),
        (_ago, "unit"),
        (_year_earlier, "unit"),
        (_duration, "unit"),
        (_vague_duration, "unit"),
        (_every, "unit weekday month pod"),
        (_weekday_plural, "weekday"),
        (_day_pod, "pod"),
        (_deictic, "deictic"),
        (_lexical_set, "set"),
        (_clock, "clock pod"),
        (_holiday, "holiday"),
        (_season_year, "season"),
        (_season_alone, "season"),
        (_weekday, "weekday"),
    )
}
