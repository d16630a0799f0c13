"""Knowledge base of actors: countries, places, IGOs, media, organisations and office holders.

``KnowledgeBase.default()`` loads the versioned data files under ``newsledger/data/kb`` plus any
files in ``$NEWSLEDGER_KB_PATH``; ``kb.lookup(name, date=...)`` resolves a name to ranked matches.
"""

from __future__ import annotations

from newsledger.kb.entries import EntryKind, KBEntry, Role, read_entries, write_entries
from newsledger.kb.lookup import KB_PATH_ENV, KBMatch, KnowledgeBase, normalise

__all__ = [
    "KB_PATH_ENV",
    "EntryKind",
    "KBEntry",
    "KBMatch",
    "KnowledgeBase",
    "Role",
    "normalise",
    "read_entries",
    "write_entries",
]
