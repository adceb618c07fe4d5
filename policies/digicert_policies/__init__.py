"""Policy rules for stacks that use pulumi-digicert (run with ``--policy-pack policies``).

What belongs here: the rules (``rules``, with their config schemas) and how they read the
engine's values (``values``, which keeps secret markers). What does not: anything of the
provider package. The pack runs in its own process on only ``pulumi-policy``, so it never
imports ``pulumi_digicert``; where it must agree with the provider (an organization's identity,
the billing-link fingerprint), it keeps its own copy and a test ties the two.
"""

from __future__ import annotations

from .rules import (
    CONFIG_SCHEMAS,
    PACK_NAME,
    RULES,
    build_policies,
)
from .values import keep_secret_markers

__all__ = ["CONFIG_SCHEMAS", "PACK_NAME", "RULES", "build_policies", "keep_secret_markers"]
