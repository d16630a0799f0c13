"""Event coding: PLOVER types with modes, CAMEO codes, actors, dates, places and attribution.

``extract_events(doc)`` yields :class:`newsledger.model.Event` records; the ``newsledger_events``
spaCy factory (registered on import) writes them to ``doc._.events``. It reads ``doc._.times``,
``doc._.actors`` and ``doc._.attributions`` when the components that fill them ran (None means absent)
and works without them. The hand-written lexicons are data files under ``newsledger/data/events``;
imported CAMEO verb dictionaries come from ``verb_paths`` / $NEWSLEDGER_EVENTS_PATH and user KB files
(e.g. imported Phoenix actors) from ``kb_paths`` / $NEWSLEDGER_KB_PATH. ``argument_spans`` (default on)
lets the learned model of ``spans.py`` choose the words of each argument; ``argument_tagger`` (default
on) lets the tagger of ``arguments.py`` choose each sentence's main parties, and ``target_chooser`` (default
on, with the tagger) lets the learned chooser of ``targets.py`` pick the main event's target.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.ahead import ahead
from newsledger.analyze.events.arguments import load_argument_tagger
from newsledger.analyze.events.coding import ActorCoder
from newsledger.analyze.events.extract import extract_events, find_triggers
from newsledger.analyze.events.lexicon import Lexicon, extra_dirs, load_lexicon
from newsledger.analyze.events.targets import Chooser, load_target_chooser
from newsledger.analyze.extensions import register_extensions

__all__ = ["ActorCoder", "EventsComponent", "Lexicon", "extract_events", "load_lexicon"]


class EventsComponent:
    """Writes ``doc._.events``; lexicons and dictionaries are loaded once, when the pipe is built."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        use_kb: bool = True,
        verb_paths: tuple[str, ...] = (),
        kb_paths: tuple[str, ...] = (),
        argument_spans: bool = True,
        argument_tagger: bool = True,
        target_chooser: bool = True,
    ) -> None:
        self.name = name
        self.arguments = load_argument_tagger() if argument_tagger else None
        self.chooser: Chooser | None = load_target_chooser() if argument_tagger and target_chooser else None
        self.lexicon = load_lexicon(extra=extra_dirs(tuple(verb_paths)))
        self.coder = ActorCoder(
            use_kb=use_kb, kb_paths=[Path(p) for p in kb_paths], argument_spans=argument_spans
        )

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = list(
            extract_events(
                doc, lexicon=self.lexicon, coder=self.coder, arguments=self.arguments, chooser=self.chooser
            )
        )
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        find = functools.partial(find_triggers, lexicon=self.lexicon, arguments=self.arguments)
        for doc, found in ahead(docs, find, batch_size):
            doc._.events = list(
                extract_events(doc, lexicon=self.lexicon, coder=self.coder, found=found, chooser=self.chooser)
            )
            yield doc


@Language.factory(
    "newsledger_events",
    assigns=["doc._.events"],
    default_config={
        "use_kb": True,
        "verb_paths": [],
        "kb_paths": [],
        "argument_spans": True,
        "argument_tagger": True,
        "target_chooser": True,
    },
)
def make_events_component(
    nlp: Language,
    name: str,
    use_kb: bool,
    verb_paths: list[str],
    kb_paths: list[str],
    argument_spans: bool,
    argument_tagger: bool,
    target_chooser: bool,
) -> EventsComponent:
    register_extensions()
    return EventsComponent(
        nlp,
        name,
        use_kb=use_kb,
        verb_paths=tuple(verb_paths),
        kb_paths=tuple(kb_paths),
        argument_spans=argument_spans,
        argument_tagger=argument_tagger,
        target_chooser=target_chooser,
    )
