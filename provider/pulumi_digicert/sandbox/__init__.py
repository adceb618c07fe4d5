"""digicert-sandbox: a local CertCentral Services API v2 and Partner Subscriptions API.

Serves the endpoints pulumi-digicert uses, with state in SQLite, CertCentral's error envelope,
status codes and rate limits, and a control API under ``/_sandbox/`` for tests and demos::

    from pulumi_digicert.sandbox import SandboxServer

    with SandboxServer() as sandbox:
        sandbox.services_url  # http://127.0.0.1:PORT/services/v2
        sandbox.control.advance_order(order_id, "issue")  # sends sandbox.control_token

The control API answers only requests that carry the server's control token, from a loopback
name or the bound address, in JSON (see :mod:`pulumi_digicert.sandbox.control`).

What belongs here: the stand-in that ships with the package, and only what it needs to imitate
CertCentral (facts cited from API.md and the seeds). What does not: the provider's own code (the
sandbox never imports ``resources`` or ``client``), tests, and the reliability campaign that
drives it. Modules, by what they hold:

* API areas, each with its operations and its :class:`~.routes.Endpoint` rows: ``organizations``,
  ``domains``, ``orders`` (placing and reading), ``order_lifecycle`` (after placement),
  ``accounts`` (keys, balance, the Partner API), ``products``; shared by the first two,
  ``validations``.
* Requests and answers: ``routes`` (the route table and how a row is handled), ``schemas``
  (request bodies and query parameters), ``errors`` (the error envelope), ``formats`` (dates,
  money, random values).
* The running sandbox: ``state`` (settings, clock, transactions), ``store`` (SQLite), ``app``
  (the ASGI app: keys, rate limits, faults, stats), ``faults``, ``control`` (the ``/_sandbox``
  API), ``server`` (:class:`SandboxServer`, :class:`SandboxControl`), ``cli``.
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
