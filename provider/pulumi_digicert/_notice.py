"""One line on stderr for what the user must know while it happens.

The engine shows each stderr line of a dynamic provider host to the user (pulumi/pulumi
``sdk/go/common/resource/plugin/plugin.go``, ``runtrace``: dynamic plugin binaries log through
``Diag.Infoerrf``), while the logging module has no handler there. Here at the package root so
the client and the resources can both say something without importing each other.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["notice"]

_LIMIT = 300

log = logging.getLogger("pulumi_digicert")


def notice(message: str) -> None:
    """Write ``digicert: <message>`` as one line (an object left in place, a wait, a back-off).

    Callers pass text that never holds a secret; line breaks are folded so one call is one line.
    """
    line = " ".join(str(message).split())
    if len(line) > _LIMIT:
        line = line[: _LIMIT - 3] + "..."
    try:
        sys.stderr.write(f"digicert: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed stderr must never fail an operation
        log.debug("notice not written", exc_info=True)
