"""Run an example against a running sandbox without the Pulumi CLI.

``scripts/quickstart.sh [EXAMPLE]`` uses this when ``pulumi`` is not on PATH. It deploys the
example the way ``pulumi up`` does: the program runs in this process and each resource goes
through the real dynamic-provider host (``python -m pulumi.dynamic``, the process the Pulumi
engine starts) over gRPC, driven by ``pulumi_digicert.testing.HostEngine``. State is kept in
memory for the demo; a fresh host starts for every operation, as the engine starts one. Every
example is deployed with ``up``, then ``up`` again (no changes: the
same declaration never creates or buys twice), then:

* ``quickstart`` (``examples/quickstart``, the root project, stack ``dev``): the sandbox approves
  the order (an administrator does this in CertCentral) and ``refresh`` shows it issued;
* ``dns-validation`` (stack ``sandbox``): the TXT record is published through the sandbox's
  control API and the check reports the domain validated; ``destroy`` removes the record;
* ``partner-billing`` (stack ``sandbox``): a partner subaccount is created in the sandbox first,
  then both accounts are linked to the sandbox's CertCentral account.

Usage: ``python scripts/quickstart_local.py [--example NAME] --base-url
http://127.0.0.1:8787/services/v2``. The rest of the stack config comes from the example's stack
file; the control token from ``DIGICERT_SANDBOX_CONTROL_TOKEN`` (``quickstart.sh`` sets it).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import runpy
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pulumi_digicert.sandbox import SandboxControl
from pulumi_digicert.sandbox.control import CONTROL_TOKEN_ENV
from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.engine import Deployment, HostEngine

ROOT = Path(__file__).resolve().parent.parent
SERVICES_SUFFIX = "/services/v2"
PARTNER_SUFFIX = "/partner-subscription/api/v1"
SUBACCOUNT_PARTNER_KEY = "sandbox-subaccount-key"


@dataclass(frozen=True)
class Example:
    """One example project and how its sandbox run goes on after ``up`` twice."""

    name: str
    project_dir: Path
    stack: str
    after_up: Callable[[Run], None]
    before_up: Callable[[Run], None] = lambda run: None
    secret_config: tuple[str, ...] = ()
    config: Mapping[str, str] = field(default_factory=dict)
    """Stack config set for the demo on top of the stack file (without the project prefix)."""

    @property
    def project(self) -> str:
        data = yaml.safe_load((self.project_dir / "Pulumi.yaml").read_text())
        return str(data["name"])

    @property
    def program(self) -> Path:
        data = yaml.safe_load((self.project_dir / "Pulumi.yaml").read_text())
        return self.project_dir / str(data.get("main", "")) / "__main__.py"

    @property
    def stack_file(self) -> Path:
        return self.project_dir / f"Pulumi.{self.stack}.yaml"


@dataclass
class Run:
    """One example's run: its engine, sandbox control and the latest deployment."""

    example: Example
    engine: HostEngine
    control: SandboxControl
    config: dict[str, str]
    deployment: Deployment | None = None

    def program(self) -> None:
        runpy.run_path(str(self.example.program), run_name="__main__")


def load_stack_config(path: Path, base_url: str | None) -> dict[str, str]:
    """The stack's config values (``Pulumi.<stack>.yaml``), pointed at ``base_url``."""
    data = yaml.safe_load(path.read_text()) or {}
    config = {str(k): str(v) for k, v in (data.get("config") or {}).items()}
    if base_url:
        config["digicert:baseUrl"] = base_url
        if "digicert:partnerBaseUrl" in config:
            config["digicert:partnerBaseUrl"] = sandbox_root(base_url) + PARTNER_SUFFIX
    return config


def sandbox_root(base_url: str) -> str:
    """``http://host:port`` of a sandbox from its ``/services/v2`` URL."""
    root = base_url.rstrip("/")
    return root[: -len(SERVICES_SUFFIX)] if root.endswith(SERVICES_SUFFIX) else root


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


# -- what each example does after `up` twice ---------------------------------------------------


def approve_and_wait(run: Run, timeout: float = 20.0) -> None:
    assert run.deployment is not None
    order_id = int(run.deployment.exports["order_id"])
    run.control.advance_order(order_id, "approve")
    print(f"\n== the sandbox approves order {order_id} (in CertCentral an administrator does this)")
    state = run.deployment.state
    deadline = time.monotonic() + timeout
    while True:
        refreshed = run.engine.refresh(state)
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


def validated_then_destroy(run: Run) -> None:
    assert run.deployment is not None
    exports = run.deployment.exports
    record = exports["dcv_record"]
    print(
        f"\ndomain {_plain(exports['domain_id'])}: validated={json.dumps(exports['validated'])} "
        f"({exports['validation_status']}) after the TXT record {record['name']} was published"
    )
    published = [r for r in run.control.dns_records() if r["name"] == record["name"]]
    print(f"sandbox DNS: {len(published)} TXT record(s) at {record['name']}")
    destroyed = run.engine.destroy(run.deployment.state)
    show("pulumi destroy", destroyed)
    left = [r for r in run.control.dns_records() if r["name"] == record["name"]]
    print(f"sandbox DNS after destroy: {len(left)} TXT record(s) at {record['name']}")


def create_subaccount(run: Run) -> None:
    created = run.control.create_partner_subaccount(
        "Subaccount", partner_api_key=SUBACCOUNT_PARTNER_KEY
    )
    print(f"\n== the sandbox creates partner subaccount {created['account_id']}")


def show_links(run: Run) -> None:
    links = run.control.account_links()["links"]
    print(f"\nsandbox: {len(links)} partner account(s) linked to a billing account")
    for link in links:
        print(
            f"    partner account {link['partner_account_id']} -> "
            f"billing account {link['billing_account_id']}"
        )


EXAMPLES: dict[str, Example] = {
    example.name: example
    for example in (
        Example("quickstart", ROOT, "dev", after_up=approve_and_wait),
        Example(
            "dns-validation",
            ROOT / "examples" / "dns-validation",
            "sandbox",
            after_up=validated_then_destroy,
            config={"dcvWaitSeconds": "30"},
        ),
        Example(
            "partner-billing",
            ROOT / "examples" / "partner-billing",
            "sandbox",
            before_up=create_subaccount,
            after_up=show_links,
            # What `pulumi config set --secret` gives a CLI run (README, Examples).
            config={"subaccountPartnerApiKey": SUBACCOUNT_PARTNER_KEY},
            secret_config=("billingAccountApiKey", "subaccountPartnerApiKey"),
        ),
    )
}


def example_config(
    example: Example, base_url: str | None, stack_file: Path | None
) -> dict[str, str]:
    config = load_stack_config(stack_file or example.stack_file, base_url)
    for key, value in example.config.items():
        config[f"{example.project}:{key}"] = value
    if example.name == "partner-billing":
        # The sandbox's own CertCentral account pays: its key is the billing account's key.
        config[f"{example.project}:billingAccountApiKey"] = config["digicert:apiKey"]
    return config


def run_example(example: Example, base_url: str | None, stack_file: Path | None = None) -> int:
    config = example_config(example, base_url, stack_file)
    secret_keys = ["digicert:apiKey", "digicert:partnerApiKey"]
    secret_keys += [f"{example.project}:{key}" for key in example.secret_config]
    token = os.environ.get(CONTROL_TOKEN_ENV, "")
    host_env = {CONTROL_TOKEN_ENV: token} if token else {}
    with SandboxControl(sandbox_root(config.get("digicert:baseUrl", ""))) as control:
        # A fresh provider host for every operation, as the engine starts one.
        engine = HostEngine(
            project=example.project,
            stack=example.stack,
            config=config,
            secret_config_keys=[key for key in secret_keys if key in config],
            host_factory=functools.partial(ProviderHost, cwd=example.project_dir, env=host_env),
        )
        run = Run(example, engine, control, config)
        example.before_up(run)
        first = engine.up(run.program)
        show("pulumi up", first)
        show_outputs(first.exports)

        second = engine.up(run.program, first.state)
        show("pulumi up (again)", second)
        if second.changed:
            print("error: the second up planned changes", file=sys.stderr)
            return 1
        run.deployment = second
        example.after_up(run)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--example", choices=sorted(EXAMPLES), default="quickstart", help="which example"
    )
    parser.add_argument("--base-url", help="the sandbox's /services/v2 URL")
    parser.add_argument("--stack-config", type=Path, help="stack config (default: the example's)")
    args = parser.parse_args(argv)
    return run_example(EXAMPLES[args.example], args.base_url, args.stack_config)


if __name__ == "__main__":
    sys.exit(main())
