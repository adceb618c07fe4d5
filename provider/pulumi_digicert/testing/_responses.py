"""What the provider host's answers mean: a Check failure, and a Diff's verdict as the engine
reads it. Public through :mod:`pulumi_digicert.testing.host` and the package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from pulumi_digicert.testing._pulumi_sdk import provider_pb2

__all__ = ["CheckFailure", "DiffSummary"]


class CheckFailure(NamedTuple):
    """One entry of ``CheckResponse.failures``; compares equal to ``(property, reason)``."""

    property: str
    reason: str


@dataclass(frozen=True)
class DiffSummary:
    """What a ``DiffResponse`` tells the engine.

    ``changes`` is ``True`` (DIFF_SOME), ``False`` (DIFF_NONE) or ``None`` (DIFF_UNKNOWN: the
    provider's diff returned no verdict and the engine falls back to comparing old and new
    inputs itself, ``__provider`` included).
    """

    changes: bool | None
    replaces: tuple[str, ...] = ()
    delete_before_replace: bool = False
    stables: tuple[str, ...] = ()
    diffs: tuple[str, ...] = ()

    @property
    def replace(self) -> bool:
        """The engine plans a replacement: the provider named properties that force one."""
        return self.changes is not False and bool(self.replaces)

    @property
    def update(self) -> bool:
        """The engine plans an in-place update (changes, no replacement)."""
        return self.changes is True and not self.replaces

    @classmethod
    def of(cls, response: Any) -> DiffSummary:
        """The summary of a ``DiffResponse``."""
        verdicts = {
            provider_pb2.DiffResponse.DIFF_SOME: True,
            provider_pb2.DiffResponse.DIFF_NONE: False,
        }
        return cls(
            changes=verdicts.get(response.changes),
            replaces=tuple(response.replaces),
            delete_before_replace=bool(response.deleteBeforeReplace),
            stables=tuple(response.stables),
            diffs=tuple(response.diffs),
        )
