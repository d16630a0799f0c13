"""``actor=`` filters: from what a user typed to the actor keys it means, through an indexed vocabulary.

Every (actor key, normalised name) pair the ledger holds is a row of ``actor_names`` (revision
0003), written with the article that uses it; ``actor_name_words`` indexes each name's words. For an
unlinked claim source or event side the "name" is its text (its key is ``name:`` + that text), so the
vocabulary covers everything an ``actor=`` filter may be meant to find.

A filter matches the keys

* whose key (a KB id, or ``name:`` + a normalised name) equals it, case-insensitively, or
* one of whose names contains its words as consecutive whole words, the last of which may be the
  start of a word when it has at least :data:`MIN_PREFIX` characters: ``Putin`` finds "vladimir
  putin" and "putin's", ``vladimir put`` finds "vladimir putin", ``Xi`` finds "xi jinping" and
  "president xi" but not "xinhua".

Words are runs of letters and digits, casefolded (:func:`words`), so punctuation and case never
matter ("U.S." is the words "u s"). Queries then filter the claims and events tables by key, on
indexes led by the key columns: a page costs a few index ranges instead of a scan of every row.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import CompoundSelect, Select
from sqlalchemy.sql.elements import ColumnElement

from newsledger.store import schema

#: The shortest last word matched as a prefix; shorter ones ("xi", "us") must be whole words.
MIN_PREFIX = 3
#: Up to this many matching keys, pages are merged from one ordered index range per key (cheap
#: whatever the keys' sizes); beyond, the filter is a membership test while the order index is read.
MAX_KEYS = 50
#: Up to this many, that test is against the listed keys (a hashed list on both backends); beyond,
#: against the lookup itself as a subquery.
MAX_LISTED = 10_000

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")

names_table = schema.actor_names
words_table = schema.actor_name_words


def normalise(text: str) -> str:
    """Casefolded text with runs of whitespace collapsed: how names and keys are compared."""
    return _SPACES.sub(" ", text).strip().casefold()


def words(text: str) -> list[str]:
    """The casefolded runs of letters and digits of ``text``: what name matching compares."""
    return _WORD.findall(text.casefold())


def word_text(name: str) -> str:
    """``actor_names.words``: the words of ``name`` between single spaces, with a space at each end
    so that a LIKE pattern can require word boundaries."""
    return f" {' '.join(words(name))} "


def name_rows(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """``actor_names`` rows for (key, normalised name) pairs."""
    return [
        {"key": key, "key_norm": normalise(key), "name_norm": name, "words": word_text(name)}
        for key, name in pairs
    ]


def _successor(prefix: str) -> str | None:
    """The smallest string above every string starting with ``prefix`` (code point order), if any."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates cannot be stored
        last = 0xE000
    if last > 0x10FFFF:
        return None
    return prefix[:-1] + chr(last)


def matching_keys(actor: str) -> Select[Any] | CompoundSelect[Any]:
    """SELECT of the distinct actor keys ``actor`` matches (see the module docstring)."""
    n, w = names_table, words_table
    exact = sa.select(n.c.key).where(n.c.key_norm == normalise(actor))
    query = words(actor)
    if not query:
        return exact
    prefix = len(query[-1]) >= MIN_PREFIX
    # Probe the word index with the longest word (whole words before the last are equalities).
    probes = [(word, False) for word in query[:-1]] + [(query[-1], prefix)]
    probe, probe_prefix = max(probes, key=lambda p: (len(p[0]), not p[1]))
    condition: ColumnElement[bool]
    if probe_prefix:
        condition = w.c.word >= probe
        upper = _successor(probe)
        if upper is not None:
            condition = sa.and_(condition, w.c.word < upper)
    else:
        condition = w.c.word == probe
    # Words hold letters and digits only, so the pattern needs no escaping.
    pattern = f"% {' '.join(query)}{'%' if prefix else ' %'}"
    by_words = (
        sa.select(n.c.key)
        .select_from(w.join(n, n.c.pk == w.c.name_pk))
        .where(condition, n.c.words.like(pattern))
    )
    return sa.union(exact, by_words)


@dataclasses.dataclass(frozen=True, slots=True)
class ActorKeys:
    """The keys an ``actor=`` filter matched: listed when at most :data:`MAX_LISTED`, else ``broad``
    holds the SELECT of them."""

    keys: tuple[str, ...]
    broad: Select[Any] | None = None

    @property
    def empty(self) -> bool:
        return not self.keys and self.broad is None

    @property
    def few(self) -> bool:
        """Few enough keys to merge one index range per key (:data:`MAX_KEYS`)."""
        return self.broad is None and len(self.keys) <= MAX_KEYS

    def members(self) -> tuple[str, ...] | Select[Any]:
        """What ``IN`` takes: the keys, or the SELECT of them."""
        return self.broad if self.broad is not None else self.keys

    def match(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """``column`` holds one of many keys, tested row by row while an order index is read (the
        page stops the scan). ``|| ''`` keeps the planners off the key indexes, which would fetch
        and sort every match (and PostgreSQL from turning a subquery into a badly estimated join)."""
        return column.concat("").in_(self.members())


def resolve(conn: Connection, actor: str) -> ActorKeys:
    """The keys ``actor`` matches, looked up through the vocabulary's indexes."""
    matching = matching_keys(actor).subquery()
    keys = conn.execute(sa.select(matching.c.key).limit(MAX_LISTED + 1)).scalars().all()
    if len(keys) > MAX_LISTED:
        return ActorKeys((), sa.select(matching.c.key))
    return ActorKeys(tuple(sorted(keys)))
