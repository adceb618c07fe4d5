"""Run the quickstart program against a running sandbox without the Pulumi CLI.

``scripts/quickstart.sh`` uses this when ``pulumi`` is not on PATH. It deploys
``examples/quickstart/`` the way ``pulumi up`` does: the program runs in this process and each
resource goes through the real dynamic-provider host (``python -m pulumi.dynamic``, the process
the Pulumi engine starts) over gRPC, driven by ``pulumi_digicert.testing.HostEngine``, which
starts a fresh host for every operation as the engine does. State is kept in memory for the
demo.

Steps, each printed like ``pulumi up`` prints them:

1. ``up``: creates the organization, the domain validation and the order;
2. ``up`` again: no changes (the same declaration never creates or buys twice);
3. the order is approved in the sandbox (an administrator does this in CertCentral), then
   ``refresh`` until the sandbox has issued it.

Usage: ``python scripts/quickstart_local.py --base-url http://127.0.0.1:8787/services/v2``.
The rest of the stack config comes from ``Pulumi.dev.yaml`` (``--stack-config``).
"""

from __future__ import annotations

import argparse
import functools
import json
import runpy
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.engine import Deployment, HostEngine

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "examples" / "quickstart" / "__main__.py"
PROJECT = "digicert-quickstart"
STACK = "dev"


def load_stack_config(path: Path, base_url: str | None) -> dict[str, str]:
    """The stack's config values (``Pulumi.<stack>.yaml``), with ``digicert:baseUrl`` replaced."""
    data = yaml.safe_load(path.read_text()) or {}
    config = {str(k): str(v) for k, v in (data.get("config") or {}).items()}
    if base_url:
        config["digicert:baseUrl"] = base_url
    return config


def program() -> None:
    runpy.run_path(str(PROGRAM), run_name="__main__")


def show(title: str, deployment: Deployment) -> None:
    print(f"\n== {title}")
    print(deployment.render())


def _plain(value: Any) -> Any:
    """Numbers cross the engine as floats: show ids as integers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def show_outputs(outputs: Mapping[str, Any]) -> None:
    print("\nOutputs:")
    width = max((len(k) for k in outputs), default=0)
    for key in sorted(outputs):
        print(f"    {key:<{width}} : {json.dumps(_plain(outputs[key]))}")


def control_url(base_url: str) -> str:
    """The sandbox control API (``/_sandbox``) beside its ``/services/v2`` endpoint."""
    root = base_url.rstrip("/")
    suffix = "/services/v2"
    if root.endswith(suffix):
        root = root[: -len(suffix)]
    return root + "/_sandbox"


def approve_and_wait(
    engine: HostEngine, deployment: Deployment, base_url: str, timeout: float
) -> Deployment:
    order_id = int(deployment.exports["order_id"])
    with httpx.Client(base_url=control_url(base_url), timeout=10) as control:
        control.post(f"/orders/{order_id}/advance", json={"action": "approve"}).raise_for_status()
    print(f"\n== the sandbox approves order {order_id} (in CertCentral an administrator does this)")
    state = deployment.state
    deadline = time.monotonic() + timeout
    while True:
        refreshed = engine.refresh(state)
        state = refreshed.state
        status = refreshed.outputs("release-signing").get("status")
        if status == "issued" or time.monotonic() >= deadline:
            break
        time.sleep(1)
    show("pulumi refresh", refreshed)
    order = refreshed.outputs("release-signing")
    domain = refreshed.outputs("quickstart-domain")
    print(f"\norder {order_id}: {status} (certificate_id {_plain(order.get('certificate_id'))})")
    print(
        f"domain {domain.get('domain_name')}: {domain.get('validation_status')} "
        "(the sandbox completes DCV by itself here; against CertCentral, publish dcv_token: "
        "see examples/dns-validation)"
    )
    return refreshed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="the sandbox's /services/v2 URL")
    parser.add_argument(
        "--stack-config", type=Path, default=ROOT / f"Pulumi.{STACK}.yaml", help="stack config"
    )
    parser.add_argument(
        "--issue-timeout", type=float, default=20.0, help="seconds to wait for issuance"
    )
    args = parser.parse_args(argv)
    config = load_stack_config(args.stack_config, args.base_url)
    base_url = config.get("digicert:baseUrl", "")

    engine = HostEngine(
        project=PROJECT,
        stack=STACK,
        config=config,
        host_factory=functools.partial(ProviderHost, cwd=ROOT),
    )
    first = engine.up(program)
    show("pulumi up", first)
    show_outputs(first.exports)

    second = engine.up(program, first.state)
    show("pulumi up (again)", second)
    if second.changed:
        print("error: the second up planned changes", file=sys.stderr)
        return 1

    approve_and_wait(engine, second, base_url, args.issue_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
