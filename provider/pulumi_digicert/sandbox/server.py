"""Run the sandbox in-process: :class:`SandboxServer` (uvicorn in a thread on a free loopback
port) and :class:`SandboxControl` (a small client for the control API)."""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any, TypeVar

import httpx
import uvicorn

from .accounts import DEFAULT_API_KEY, DEFAULT_PARTNER_API_KEY
from .app import RateLimiter, SandboxApp
from .control import CONTROL_TOKEN_ENV, check_control_token, new_control_token
from .faults import FaultRegistry, SandboxH11Protocol, TrafficStats
from .routes import PARTNER_PREFIX, SERVICES_PREFIX
from .state import Backend, SandboxSettings

STARTUP_TIMEOUT = 10.0


def build_uvicorn_config(
    app: SandboxApp, *, host: str, port: int, log_level: str
) -> uvicorn.Config:
    """The uvicorn settings the sandbox needs (its protocol can cut connections)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=SandboxH11Protocol,
        lifespan="off",
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
    )


_C = TypeVar("_C", bound="_Closes")
_T = TypeVar("_T")


def _running(part: _T | None) -> _T:
    """A part that exists only while the sandbox runs."""
    if part is None:
        raise RuntimeError("the sandbox is not running")
    return part


class _Closes:
    """``with`` closes it on the way out, whatever happened inside."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SandboxControl(_Closes):
    """The control API under ``/_sandbox/``, as Python calls. Errors raise httpx.HTTPStatusError.

    ``token`` is the control token the sandbox printed at start; without one it is read from
    the ``DIGICERT_SANDBOX_CONTROL_TOKEN`` environment variable.
    """

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 10.0) -> None:
        token = token if token is not None else os.environ.get(CONTROL_TOKEN_ENV)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/_sandbox", headers=headers, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"SandboxControl({str(self._http.base_url)!r})"

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = self._http.request(method, path, json=body, params=_given(**params))
        response.raise_for_status()
        return response.json()

    def _object(self, method: str, path: str, body: Any = None, **params: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call(method, path, body, **params)
        return result

    def reset(self) -> None:
        """Forget all state: default accounts, settings and clock; faults and stats cleared."""
        self._call("POST", "/reset")

    def settings(self) -> dict[str, Any]:
        return self._object("GET", "/settings")

    def update_settings(self, **changes: Any) -> dict[str, Any]:
        """E.g. ``update_settings(require_unique_alternative_order_ids=True)``."""
        return self._object("PUT", "/settings", changes)

    def now(self) -> float:
        """The sandbox clock (Unix seconds)."""
        return float(self._call("GET", "/clock")["timestamp"])

    def advance_clock(self, seconds: float) -> float:
        """Move the sandbox clock forward; returns the new time (Unix seconds)."""
        return float(self._call("POST", "/clock", {"advance_seconds": seconds})["timestamp"])

    def orders(self) -> list[dict[str, Any]]:
        """Every order of every account: id, alternative_order_id, status, product,
        organization_id, request_id, request_status, certificate_id, renewal_of_order_id (and
        account_id)."""
        result: list[dict[str, Any]] = self._call("GET", "/orders")["orders"]
        return result

    def advance_order(self, order_id: int, action: str) -> dict[str, Any]:
        """``action``: approve, issue, reject, cancel, revoke, expire or reissue."""
        return self._object("POST", f"/orders/{int(order_id)}/advance", {"action": action})

    def set_order_status(self, order_id: int, status: str) -> dict[str, Any]:
        """Put an order in any status (e.g. ``approved``, seen in DigiCert's examples)."""
        return self._object("PUT", f"/orders/{int(order_id)}/status", {"status": status})

    def import_organization(self, **organization: Any) -> dict[str, Any]:
        """An organization that already exists in an account, optionally with a chosen ``id``
        and ``account_id``: ``{id, account_id}``."""
        return self._object("POST", "/organizations", organization)

    def complete_dcv(self, domain_id: int) -> None:
        self._call("POST", f"/domains/{int(domain_id)}/dcv", {"result": "complete"})

    def fail_dcv(self, domain_id: int) -> None:
        self._call("POST", f"/domains/{int(domain_id)}/dcv", {"result": "fail"})

    def complete_org_validation(self, organization_id: int, validation_type: str) -> None:
        self._call(
            "POST",
            f"/organizations/{int(organization_id)}/validation",
            {"type": validation_type, "result": "complete"},
        )

    def fail_org_validation(self, organization_id: int, validation_type: str) -> None:
        self._call(
            "POST",
            f"/organizations/{int(organization_id)}/validation",
            {"type": validation_type, "result": "fail"},
        )

    def set_organization_status(self, organization_id: int, status: str) -> None:
        """``active`` or ``inactive`` (CertCentral only does this in its UI)."""
        self._call("POST", f"/organizations/{int(organization_id)}/status", {"status": status})

    def publish_dns(self, name: str, record_type: str, value: str) -> None:
        """Publish a DNS record that ``dcv/validate-token`` will find."""
        self._call("POST", "/dns", {"name": name, "type": record_type, "value": value})

    def unpublish_dns(
        self, name: str | None = None, record_type: str | None = None, value: str | None = None
    ) -> None:
        """Remove matching records (all of them when nothing is given)."""
        self._call("DELETE", "/dns", _given(name=name, type=record_type, value=value))

    def dns_records(self) -> list[dict[str, str]]:
        result: list[dict[str, str]] = self._call("GET", "/dns")["records"]
        return result

    def create_account(
        self, name: str, api_key: str | None = None, *, container_id: int | None = None
    ) -> dict[str, Any]:
        """Another CertCentral account: ``{account_id, api_key, container_id}``."""
        body = _given(name=name, api_key=api_key, container_id=container_id)
        return self._object("POST", "/accounts", body)

    def create_partner_subaccount(
        self, name: str, partner_api_key: str | None = None
    ) -> dict[str, Any]:
        """A partner subaccount: ``{account_id, partner_api_key}``."""
        body = _given(name=name, partner_api_key=partner_api_key)
        return self._object("POST", "/partner/subaccounts", body)

    def account_links(self) -> dict[str, Any]:
        """``{links: [{partner_account_id, billing_account_id, date_linked}]}``."""
        return self._object("GET", "/partner/links")

    def inject_fault(self, **spec: Any) -> dict[str, Any]:
        """``kind`` = drop_response | fail | latency | maintenance; optional ``method``,
        ``path_regex``, ``count``, ``probability``, ``status``, ``seconds``, ``skip``."""
        result: dict[str, Any] = self._call("POST", "/faults", spec)["fault"]
        return result

    def faults(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/faults")["faults"]
        return result

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def stats(self) -> dict[str, Any]:
        """``{requests: [{method, path_template, status, count}], total}``."""
        return self._object("GET", "/stats")

    def reset_stats(self) -> None:
        self._call("DELETE", "/stats")

    def balance(self, account_id: int | None = None) -> dict[str, Any]:
        return self._object("GET", "/balance", account_id=account_id)

    def set_balance(
        self,
        balance: str,
        *,
        account_id: int | None = None,
        negative_balance_limit: str | None = None,
        unlimited_negative_balance: bool | None = None,
    ) -> dict[str, Any]:
        body = _given(
            balance=balance,
            account_id=account_id,
            negative_balance_limit=negative_balance_limit,
            unlimited_negative_balance=unlimited_negative_balance,
        )
        return self._object("PUT", "/balance", body)


def _given(**fields: Any) -> dict[str, Any]:
    """The fields that were given: the control API reads an absent one as "leave as it is"."""
    return {name: value for name, value in fields.items() if value is not None}


class SandboxServer(_Closes):
    """The sandbox on a free ``127.0.0.1`` port, in a background thread.

    ``stop()`` then ``start()`` restarts it on the same port and database (a ``:memory:``
    database survives too: it stays open while the object lives). Injected faults, traffic
    stats, rate-limit windows and the control token belong to this object and survive restarts
    as well. ``control`` is already authorised; other callers of the control API send
    ``control_token`` (a new random one unless given).
    """

    def __init__(
        self,
        db_path: str = ":memory:",
        *,
        rate_limit: bool = True,
        auto_issue_after: float | None = None,
        auto_validate_after: float | None = None,
        api_key: str = DEFAULT_API_KEY,
        partner_api_key: str = DEFAULT_PARTNER_API_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        control_token: str | None = None,
        **settings: Any,
    ) -> None:
        self.control_token = check_control_token(control_token or new_control_token())
        self.db_path = db_path
        self.api_key = api_key
        self.partner_api_key = partner_api_key
        self.host = host
        self.port = port
        self.log_level = log_level
        self._overrides: dict[str, Any] = {
            "rate_limit_enabled": rate_limit,
            "auto_issue_after": auto_issue_after,
            "auto_validate_after": auto_validate_after,
            **settings,
        }
        SandboxSettings().updated(self._overrides)  # fail early on a bad setting
        self.faults = FaultRegistry()
        self.stats = TrafficStats()
        self._backend: Backend | None = None
        self._limiter: RateLimiter | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._control: SandboxControl | None = None

    # ------------------------------------------------------------ URLs

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def services_url(self) -> str:
        return self.base_url + SERVICES_PREFIX

    @property
    def partner_url(self) -> str:
        return self.base_url + PARTNER_PREFIX

    @property
    def control(self) -> SandboxControl:
        return _running(self._control)

    @property
    def backend(self) -> Backend:
        return _running(self._backend)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> SandboxServer:
        if self._thread is not None:
            return self
        if self._backend is None:
            self._backend = Backend(
                self.db_path, api_key=self.api_key, partner_api_key=self.partner_api_key
            )
            if self._overrides:
                # Constructor settings apply once; a restart keeps what the control API set.
                self._backend.update_settings(self._overrides)
                self._overrides = {}
        if self._limiter is None:
            self._limiter = RateLimiter(self._backend.now)
        app = SandboxApp(
            self._backend,
            faults=self.faults,
            stats=self.stats,
            limiter=self._limiter,
            control_token=self.control_token,
            bound_host=self.host,
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        config = build_uvicorn_config(app, host=self.host, port=self.port, log_level=self.log_level)
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="digicert-sandbox", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        self._control = SandboxControl(self.base_url, token=self.control_token)
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT)
        self._server = self._thread = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._backend is not None and self.db_path != ":memory:":
            self._backend.close()
            self._backend = None

    def close(self) -> None:
        """Stop, and release a ``:memory:`` database too."""
        self.stop()
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "stopped"
        return f"SandboxServer({self.base_url!r}, db_path={self.db_path!r}, {state})"
