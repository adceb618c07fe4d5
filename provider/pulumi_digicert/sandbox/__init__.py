"""digicert-sandbox: a local CertCentral Services API v2 and Partner Subscriptions API.

Serves the endpoints pulumi-digicert uses, with state in SQLite, CertCentral's error envelope,
status codes and rate limits, and a control API under ``/_sandbox/`` for tests and demos::

    from pulumi_digicert.sandbox import SandboxServer

    with SandboxServer() as sandbox:
        sandbox.services_url  # http://127.0.0.1:PORT/services/v2
        sandbox.control.advance_order(order_id, "issue")  # sends sandbox.control_token

The control API answers only requests that carry the server's control token, from a loopback
name or the bound address, in JSON (see :mod:`pulumi_digicert.sandbox.control`).
"""

from __future__ import annotations

from .accounts import DEFAULT_API_KEY, DEFAULT_PARTNER_API_KEY
from .app import SandboxApp
from .server import SandboxControl, SandboxServer
from .state import Backend, SandboxSettings

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_PARTNER_API_KEY",
    "Backend",
    "SandboxApp",
    "SandboxControl",
    "SandboxServer",
    "SandboxSettings",
]
