"""Undo the Pulumi SDK's pickler patch after each serialized provider.

``pulumi.dynamic.dynamic.serialize_provider`` (SDK 3.272.0, and earlier releases) wraps
``pickle._Pickler._batch_setitems`` in a sorting function on every call and never restores it,
so each dynamic resource a program declares nests one more wrapper around the last. Near a
thousand dynamic resources in one program, serializing the next provider exceeds Python's
recursion limit and the program fails with ``RecursionError``. Restoring the original method
after each resource keeps the nesting at one level; the SDK still sorts while it serializes,
because it installs its wrapper again on its next call.
"""

from __future__ import annotations

import pickle
from typing import Any

_ORIGINAL_QUALNAME = "_Pickler._batch_setitems"


def _original_batch_setitems() -> Any:
    """pickle's own ``_batch_setitems``, found under any wrappers already installed."""
    method: Any = pickle._Pickler.__dict__["_batch_setitems"]
    seen = 0
    while getattr(method, "__qualname__", _ORIGINAL_QUALNAME) != _ORIGINAL_QUALNAME and seen < 5000:
        # The SDK's wrapper closes over the method it wraps (``unsorted_batch_setitems``).
        cells = [c.cell_contents for c in (getattr(method, "__closure__", None) or ())]
        wrapped = [c for c in cells if callable(c)]
        if len(wrapped) != 1:
            break
        method = wrapped[0]
        seen += 1
    return method


_ORIGINAL = _original_batch_setitems()


def restore_pickler() -> None:
    """Put pickle's ``_batch_setitems`` back after the SDK serialized a provider."""
    if pickle._Pickler.__dict__.get("_batch_setitems") is not _ORIGINAL:
        pickle._Pickler._batch_setitems = _ORIGINAL  # type: ignore[attr-defined]
