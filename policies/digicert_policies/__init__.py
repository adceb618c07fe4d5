"""Policy rules for stacks that use pulumi-digicert (run with ``--policy-pack policies``)."""

from __future__ import annotations

from .rules import (
    CONFIG_SCHEMAS,
    PACK_NAME,
    RULES,
    build_policies,
)
from .values import keep_secret_markers

__all__ = ["CONFIG_SCHEMAS", "PACK_NAME", "RULES", "build_policies", "keep_secret_markers"]
