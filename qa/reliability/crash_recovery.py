"""Campaign section: the provider host killed with SIGKILL in the middle of a Create.

What users need from durability is not that a database survives a crash but that ``pulumi up``
does: the engine's machine loses power, CI cancels the job, the host is OOM-killed. The state
then holds no record of a create that was under way, and the next ``pulumi up`` runs Check and
Create again with the same inputs (pulumi/pulumi ``pkg/resource/deploy``: a create that never
answered is not in the snapshot; its pending operation is dropped with a warning). The
provider must find the order it may already have placed, by ``alternative_order_id``, and buy
nothing twice.

For each kill point, a program of document signing orders is deployed through
:class:`~pulumi_digicert.testing.HostEngine` (a fresh real provider host per operation); the
host of the first ``up`` kills itself with SIGKILL at that point of the first Create to reach
it (a ``sitecustomize`` on its ``PYTHONPATH``; the kill happens once per point). Then ``up``
runs again with the state the failed one left, until it succeeds. Counted: orders placed more
than once for one declaration, and declarations whose recorded state is not their one order.

Kill points: before the order POST is sent; after its answer arrived (the order exists, the
engine never hears of it); while create waits for issuance (``wait_for_issuance_seconds``).
"""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pulumi_digicert.testing.engine import DeploymentError, HostEngine
from pulumi_digicert.testing.state import State
from qa import scenarios
from qa.mutations import host_sitecustomize
from qa.reliability.campaign import PROJECT, STACK, Campaign, SectionResult, create_organization
from qa.reliability.scan import HOST_LOGGING, RecordingHost
from qa.scenarios import stack_config

MARKER_ENV = "RELIABILITY_KILL_MARKER"
ORDER_TYPE_SUFFIX = ":DocumentSigningOrder"
WAIT_FOR_ISSUANCE_SECONDS = 3

_KILL_ONCE = f'''
import os as _os
import signal as _signal

def _kill_once():
    """SIGKILL this host the first time a kill point is reached (one marker file per run)."""
    marker = _os.environ.get("{MARKER_ENV}")
    if not marker:
        return
    try:
        open(marker, "x").close()
    except FileExistsError:
        return
    _os.kill(_os.getpid(), _signal.SIGKILL)
'''

KILL_POINTS: dict[str, str] = {
    "before the order POST": """
from pulumi_digicert.client.orders import Orders as _Orders
_post = _Orders.order_document_signing
def _killed_before(self, product, body):
    _kill_once()
    return _post(self, product, body)
_Orders.order_document_signing = _killed_before
""",
    "after the order POST answered": """
from pulumi_digicert.client.orders import Orders as _Orders
_post = _Orders.order_document_signing
def _killed_after(self, product, body):
    created = _post(self, product, body)
    _kill_once()
    return created
_Orders.order_document_signing = _killed_after
""",
    "while waiting for issuance": """
import time as _time
from pulumi_digicert.resources.document_signing_order import DocumentSigningOrderProvider as _P
def _killed_waiting(seconds):
    _kill_once()
    _time.sleep(seconds)
_P.sleep = staticmethod(_killed_waiting)
""",
}


def _program(organization_id: int, prefix: str, count: int) -> Callable[[], None]:
    def program() -> None:
        import pulumi_digicert as digicert

        for index in range(count):
            digicert.DocumentSigningOrder(
                f"{prefix}{index}",
                product="document_signing_org_1",
                organization_id=organization_id,
                validity_years=1,
                subject={**scenarios.SUBJECT, "name": f"Crash Desk {index}"},
                wait_for_issuance_seconds=WAIT_FOR_ISSUANCE_SECONDS,
            )

    return program


def _orders_in_state(state: State) -> dict[str, dict[str, Any]]:
    """Recorded outputs of each order in ``state``, by alternative order id."""
    return {
        str(entry["outputs"].get("alternative_order_id")): entry
        for entry in state.values()
        if str(entry.get("type", "")).endswith(ORDER_TYPE_SUFFIX)
    }


def crash_recovery(campaign: Campaign, points: Sequence[str] | None = None) -> SectionResult:
    """The section; ``points`` limits it to some of :data:`KILL_POINTS` (all by default)."""
    cfg = campaign.config
    result = SectionResult("crash_recovery")
    per_point: dict[str, dict[str, Any]] = {}
    duplicates = wrong_state = declarations = killed = 0
    with campaign.sandbox(rate_limit=False) as server, tempfile.TemporaryDirectory() as tmp:
        config = stack_config(server)
        with campaign.host("crash: organization", config) as host:
            org_id = create_organization(campaign, host, "crash-org")
        chosen = [(p, s) for p, s in KILL_POINTS.items() if points is None or p in points]
        for index, (point, source) in enumerate(chosen):
            directory = Path(tmp, f"point{index}")
            directory.mkdir()
            # Python imports one sitecustomize: this one also turns on the campaign's logging
            # and plants the campaign's mutation, if any.
            host_sitecustomize(
                directory,
                prelude=HOST_LOGGING + _KILL_ONCE + source,
                mutation=campaign.host_logging.mutation,
            )
            marker = Path(tmp, f"killed{index}")
            factory = functools.partial(
                RecordingHost,
                campaign.scanner,
                f"crash: {point}",
                pythonpath=[str(directory)],
                env={MARKER_ENV: str(marker)},
            )
            engine = HostEngine(project=PROJECT, stack=STACK, config=config, host_factory=factory)
            program = _program(org_id, f"crash{index}x", cfg.crash_declarations_per_point)
            state: State = {}
            ups = failed_ups = 0
            first_error = ""
            while ups < 4:
                ups += 1
                try:
                    state = engine.up(program, state).state
                    break
                except DeploymentError as exc:
                    failed_ups += 1
                    first_error = first_error or str(exc).splitlines()[0][:200]
                    state = exc.deployment.state
            placed = Counter(
                str(order.get("alternative_order_id")) for order in server.control.orders()
            )
            recorded = _orders_in_state(state)
            alternative_ids = [
                r.inputs["alternative_order_id"] for r in campaign.registered(program)
            ]
            live = {str(o["alternative_order_id"]): o for o in server.control.orders()}
            point_duplicates = sum(max(0, placed[a] - 1) for a in alternative_ids)
            point_wrong = sum(
                1
                for a in alternative_ids
                if a not in recorded
                or placed[a] != 1
                or recorded[a]["outputs"].get("order_id") != float(live[a]["id"])
            )
            duplicates += point_duplicates
            wrong_state += point_wrong
            declarations += len(alternative_ids)
            killed += marker.exists()
            per_point[point] = {
                "declarations": len(alternative_ids),
                "host_killed": marker.exists(),
                "ups": ups,
                "failed_ups": failed_ups,
                "first_failure": first_error,
                "duplicate_orders": point_duplicates,
                "wrong_state": point_wrong,
                "adopted_on_the_next_up": sum(
                    1 for entry in recorded.values() if entry["outputs"].get("adopted")
                ),
            }
            result.expect(marker.exists(), f"{point}: the host was never killed")
    result.figures = {
        "kill_points": len(chosen),
        "sigkills": killed,
        "declarations": declarations,
        "duplicate_orders": duplicates,
        "declarations_with_wrong_state": wrong_state,
        "by_kill_point": per_point,
    }
    result.expect(duplicates == 0, f"{duplicates} order(s) bought twice after a SIGKILL")
    result.expect(wrong_state == 0, f"{wrong_state} declaration(s) recorded another order")
    return result.finish()
