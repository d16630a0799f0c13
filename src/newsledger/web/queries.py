"""What the web pages need beyond the plain listings, through the store's public API.

The actor page's records live with the query that builds them (``newsledger.store.profile``).
"""

from __future__ import annotations

from newsledger.store import Store
from newsledger.store.profile import (
    SECTION_LIMIT,
    ActorClaim,
    ActorEvent,
    ActorProfile,
    Reporter,
    RolePeriod,
)

__all__ = [
    "SECTION_LIMIT",
    "ActorClaim",
    "ActorEvent",
    "ActorProfile",
    "Reporter",
    "RolePeriod",
    "actor_keys",
    "actor_profile",
    "analysis_json",
]


def actor_profile(store: Store, key: str) -> ActorProfile | None:
    """The actor grouped under ``key``, or None when no article mentions it."""
    return store.actor_profile(key)


def analysis_json(store: Store, article_id: str) -> bytes:
    """The stored analysis as JSON (``Analysis.to_dict()``), served as is: no records rebuilt."""
    return store.get_json(article_id)


def actor_keys(store: Store, article_id: str) -> dict[str, str]:
    """Local actor id -> corpus-wide key for one article, so its page can link to actor pages."""
    return store.actor_keys(article_id)
