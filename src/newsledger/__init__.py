"""newsledger: who did and said what, to whom, when, and according to whom, from news articles."""

from __future__ import annotations

__version__ = "0.1.0"
