"""``digicert-sandbox``: serve the sandbox until interrupted."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import uvicorn

from .app import SandboxApp
from .backend import Backend
from .server import build_uvicorn_config
from .services import PARTNER_PREFIX, SERVICES_PREFIX
from .settings import DEFAULT_API_KEY, DEFAULT_PARTNER_API_KEY, SettingsError

DEFAULT_DB = "./digicert-sandbox.db"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="digicert-sandbox",
        description="A local DigiCert CertCentral Services API and Partner Subscriptions API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8787, help="port to listen on")
    parser.add_argument("--db", default=DEFAULT_DB, help="SQLite file (or :memory:)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="CertCentral API key")
    parser.add_argument(
        "--partner-api-key", default=DEFAULT_PARTNER_API_KEY, help="Partner API key"
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


def banner(host: str, port: int, db: str, api_key: str, partner_api_key: str) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
    base = f"http://{shown_host}:{port}"
    return "\n".join(
        [
            f"digicert-sandbox on {base} (database: {db})",
            f"  CertCentral Services API:  {base}{SERVICES_PREFIX}",
            f"  Partner Subscriptions API: {base}{PARTNER_PREFIX}",
            f"  Control API:               {base}/_sandbox/",
            "",
            "Point a stack at it:",
            f"  pulumi config set digicert:baseUrl {base}{SERVICES_PREFIX}",
            f"  pulumi config set --secret digicert:apiKey {api_key}",
            f"  pulumi config set digicert:partnerBaseUrl {base}{PARTNER_PREFIX}",
            f"  pulumi config set --secret digicert:partnerApiKey {partner_api_key}",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    overrides: dict[str, Any] = {}
    if args.auto_issue_after is not None:
        overrides["auto_issue_after"] = args.auto_issue_after
    if args.auto_validate_after is not None:
        overrides["auto_validate_after"] = args.auto_validate_after
    if args.no_rate_limit:
        overrides["rate_limit_enabled"] = False
    backend = Backend(args.db, api_key=args.api_key, partner_api_key=args.partner_api_key)
    try:
        backend.update_settings(overrides)
    except SettingsError as exc:
        print(f"digicert-sandbox: {exc}", file=sys.stderr)
        return 2
    app = SandboxApp(backend)
    config = build_uvicorn_config(app, host=args.host, port=args.port, log_level=args.log_level)
    print(banner(args.host, args.port, args.db, args.api_key, args.partner_api_key), flush=True)
    try:
        uvicorn.Server(config).run()
    finally:
        backend.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
