"""How big a failure is, as a user reads it.

A failure the provider raises reaches the engine as the host's traceback text: a few frame lines
of the dynamic-provider host (``pulumi/dynamic/__main__.py``) and of the provider's error
boundary, then the provider's one sentence. Each frame line quotes its file's full path, which
is wherever the virtualenv and the checkout live: a checkout 300 characters deep adds that much
to every frame. What the provider controls, and what the 2 KB promise covers, is the text with
each frame's file counted by its name; the number of frames is bounded apart
(:data:`MAX_FRAMES`), so the directories left out can never hide a long traceback.
"""

from __future__ import annotations

import re

__all__ = ["MAX_FRAMES", "MESSAGE_LIMIT", "frames", "message_bytes"]

MESSAGE_LIMIT = 2048
"""Bytes a failure may take, its frames' directories left out."""

MAX_FRAMES = 4
"""The host's wrapper, its Check/Create/... handler, ``get_provider`` and the error boundary:
pulumi/dynamic/__main__.py calls ``configure`` inside ``get_provider``, which is the deepest
path into the provider's code a failure takes before the boundary re-raises it."""

_FRAME = re.compile(r'^(  File ")([^"\n]*[/\\])([^"/\\\n]+)(", line \d+)', re.MULTILINE)


def frames(details: str) -> int:
    """How many traceback frame lines the text holds."""
    return len(_FRAME.findall(details))


def message_bytes(details: str) -> int:
    """The text's size in UTF-8 with each frame's file named without its directories."""
    return len(_FRAME.sub(r"\1\3\4", details).encode())
