"""What a command-line process does first, before it imports anything heavy.

Light on purpose (standard library only): ``python -m d3k2`` calls it before importing the
CLI, and the console script's ``main`` calls it again (it is idempotent).
"""

from __future__ import annotations

import gc
from typing import Final

GC_FIRST_GENERATION_THRESHOLD: Final = 50_000
"""Allocations between two collections of the youngest generation (CPython's default: 700).

A command starts by creating some 75,000 objects the collector tracks, nearly all living as
long as the process (modules, classes, the knowledge base, the vocabulary indexes), and
almost no garbage cycles. With the default the collector ran ~150 times during
``d3k2 assess``, freed ~700 objects and cost ~40 ms of CPU of a ~350-400 ms start
(measured with ``gc.callbacks``, issue 6); with this value it runs ~10-15 times for
~10-15 ms. Cycles are still collected, in long-running commands too (``serve``,
population runs), only later: at most 50,000 more objects (some MB) wait for it."""


def tune_garbage_collector() -> None:
    """Collect the youngest generation less often; the older thresholds are kept."""
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(GC_FIRST_GENERATION_THRESHOLD, first), second, third)
