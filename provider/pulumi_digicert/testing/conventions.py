"""The engine's conventions the harness follows: URNs, the ``__provider`` property, the
dynamic provider's package and how stack config reaches it."""

from __future__ import annotations

import json
import re
from typing import Any

from pulumi.dynamic import ResourceProvider

from pulumi_digicert._engine_values import PROVIDER_KEY
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.testing._pulumi_sdk import serialize_provider

__all__ = [
    "DYNAMIC_PROVIDER_PACKAGE",
    "PROVIDER_KEY",
    "config_string",
    "config_variable_key",
    "is_secret_config_key",
    "make_urn",
    "provider_blob",
    "split_urn",
]

DYNAMIC_PROVIDER_PACKAGE = "pulumi-python"
"""The package of the provider that serves every Python dynamic resource."""

_SECRET_KEY_PATTERN = re.compile(r"(apikey|api_key|secret|password|token|passphrase)$", re.I)


def make_urn(type_token: str, name: str, *, project: str = "test", stack: str = "dev") -> str:
    """The URN the engine gives a top-level resource (``urn:pulumi:stack::project::type::name``)."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"


def split_urn(urn: str) -> tuple[str, str]:
    """``(type token, name)`` of a URN; for a child the type is the last ``$`` segment."""
    parts = urn.split("::", 3)
    if len(parts) != 4 or not parts[0].startswith("urn:pulumi:"):
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    return parts[2].split("$")[-1], parts[3]


def provider_blob(provider: ResourceProvider) -> str:
    """Serialize a provider exactly as ``pulumi.dynamic.Resource`` does for ``__provider``."""
    blob: str = serialize_provider(provider)
    restore_pickler()
    return blob


def is_secret_config_key(key: str) -> bool:
    """Default guess for which config keys a stack marks secret (``digicert:apiKey`` ...)."""
    return bool(_SECRET_KEY_PATTERN.search(key.rsplit(":", 1)[-1]))


def config_variable_key(key: str, package: str = DYNAMIC_PROVIDER_PACKAGE) -> str:
    """The deprecated ``ConfigureRequest.variables`` key of a config key (``<pkg>:config:<key>``).

    pkg/resource/plugin/provider_plugin.go, ``Configure``: the package is the provider's, and a
    dynamic provider's inputs keep their namespace (``pulumi-python:config:digicert:apiKey``).
    """
    return f"{package}:config:{key}"


def config_string(value: Any) -> str:
    """A config value as the engine sends it: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)
