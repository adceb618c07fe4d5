"""``digicert-sandbox``: serve the sandbox until interrupted.

It binds its port before it says anything, so the banner only ever describes a server that is
listening, on the address it is really bound to; a port already taken is one line on stderr.
Ctrl+C (or SIGTERM) stops it cleanly, without a traceback.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

import uvicorn

from .accounts import DEFAULT_API_KEY, DEFAULT_PARTNER_API_KEY
from .app import SandboxApp
from .control import CONTROL_PREFIX, CONTROL_TOKEN_ENV, check_control_token, new_control_token
from .routes import PARTNER_PREFIX, SERVICES_PREFIX
from .server import build_uvicorn_config
from .state import Backend, SettingsError

DEFAULT_DB = "./digicert-sandbox.db"


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised once the server has shut down (uvicorn re-raises the signal it caught),
    handled as Ctrl+C is."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digicert-sandbox",
        description="A local DigiCert CertCentral Services API and Partner Subscriptions API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8787, help="port to listen on (0: any)")
    parser.add_argument("--db", default=DEFAULT_DB, help="SQLite file (or :memory:)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="CertCentral API key")
    parser.add_argument(
        "--partner-api-key", default=DEFAULT_PARTNER_API_KEY, help="Partner API key"
    )
    parser.add_argument(
        "--control-token",
        metavar="TOKEN",
        help=f"the token the control API ({CONTROL_PREFIX}/) requires (default: "
        f"${CONTROL_TOKEN_ENV}, else a new random token, printed at start). A token given "
        "here shows in the process list to other local users: prefer the variable",
    )
    parser.add_argument(
        "--auto-issue-after",
        type=float,
        metavar="SECONDS",
        help="issue approved orders after this many seconds (default: only via /_sandbox)",
    )
    parser.add_argument(
        "--auto-validate-after",
        type=float,
        metavar="SECONDS",
        help="complete submitted validations and DCV after this many seconds",
    )
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="do not enforce CertCentral's rate limits"
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level")
    return parser.parse_args(argv)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def banner(
    host: str, port: int, db: str, api_key: str, partner_api_key: str, control_token: str
) -> str:
    """What a started sandbox prints: its URLs on the address it is bound to, ready to paste."""
    base = f"http://{_url_host(host)}:{port}"
    lines = [f"digicert-sandbox on {base} (database: {db})"]
    if not is_loopback(host):
        lines.append(
            f"  warning: {host} can be reached from other machines, and the sandbox keys are "
            "public: anyone who reaches this port can use the API"
        )
    lines += [
        f"  CertCentral Services API:  {base}{SERVICES_PREFIX}",
        f"  Partner Subscriptions API: {base}{PARTNER_PREFIX}",
        f"  Control API:               {base}{CONTROL_PREFIX}/ "
        "(header Authorization: Bearer <control token>)",
        "",
        "Point a stack at it:",
        f"  pulumi config set digicert:baseUrl {base}{SERVICES_PREFIX}",
        f"  pulumi config set --secret digicert:apiKey {api_key}",
        f"  pulumi config set digicert:partnerBaseUrl {base}{PARTNER_PREFIX}",
        f"  pulumi config set --secret digicert:partnerApiKey {partner_api_key}",
        "",
        "Drive it (tests, scripts, the examples' sandbox stacks read this variable):",
        f"  export {CONTROL_TOKEN_ENV}={control_token}",
        "",
    ]
    return "\n".join(lines)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; raises OSError (e.g. EADDRINUSE)."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, protocol)
    try:
        if os.name != "nt":  # SO_REUSEADDR on Windows would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _fail(message: str, code: int) -> int:
    print(f"digicert-sandbox: {message}", file=sys.stderr, flush=True)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _serve(parse_args(argv))
    except KeyboardInterrupt:
        print("digicert-sandbox stopped.", file=sys.stderr, flush=True)
        return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        control_token = check_control_token(
            args.control_token or os.environ.get(CONTROL_TOKEN_ENV) or new_control_token()
        )
    except ValueError as exc:
        return _fail(f"{exc}; change --control-token or {CONTROL_TOKEN_ENV}.", 2)
    overrides: dict[str, Any] = {}
    if args.auto_issue_after is not None:
        overrides["auto_issue_after"] = args.auto_issue_after
    if args.auto_validate_after is not None:
        overrides["auto_validate_after"] = args.auto_validate_after
    if args.no_rate_limit:
        overrides["rate_limit_enabled"] = False
    try:
        # Bound first: a taken port is refused before the database is created or touched.
        sock = listen(args.host, args.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return _fail(
                f"port {args.port} on {args.host} is already in use; stop the server that "
                "holds it or choose another port with --port.",
                1,
            )
        reason = exc.strerror or type(exc).__name__
        return _fail(
            f"cannot listen on {args.host} port {args.port} ({reason}); change --host or --port.",
            1,
        )
    with sock:
        try:
            backend = Backend(args.db, api_key=args.api_key, partner_api_key=args.partner_api_key)
        except sqlite3.Error as exc:
            return _fail(
                f"cannot open the database {args.db} ({exc}); choose another with --db.", 1
            )
        try:
            backend.update_settings(overrides)
            host, port = sock.getsockname()[:2]
            app = SandboxApp(backend, control_token=control_token, bound_host=host)
            config = build_uvicorn_config(app, host=host, port=port, log_level=args.log_level)
            print(
                banner(host, port, args.db, args.api_key, args.partner_api_key, control_token),
                flush=True,
            )
            signal.signal(signal.SIGTERM, _raise_stopped)
            uvicorn.Server(config).run(sockets=[sock])
        except SettingsError as exc:
            return _fail(f"{exc}.", 2)
        finally:
            backend.close()
    return 0


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
