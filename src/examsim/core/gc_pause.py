"""Pausing the cyclic garbage collector around work that makes many objects and no cycles.

A module of its own so that the warm path (the bank cache) need not import the bank file
parsers to use it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    Parsing and validating a bank makes tens of thousands of containers, none of them in a
    reference cycle; each automatic collection on the way scans them all again, which
    costs as much as the validation itself on a 10,000-question bank.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
