"""The route table and the one way an API endpoint is handled.

Each endpoint of the CertCentral Services API and the Partner API is one :class:`Endpoint` row,
kept beside its operation in the area module (``organizations``, ``domains``, ``orders``...):
method, path template, accepted query parameters, body schema, operation and status. Every row is
handled alike: query parameters checked, path ids read, the body parsed, the operation run in one
transaction for the caller's account, the answer shaped. Adding an endpoint is one row and one
operation (and its body in :mod:`~pulumi_digicert.sandbox.schemas` when it has a new one).

Templates name the route in traffic stats (``/services/v2/order/certificate/{order_id}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import not_found
from .schemas import Body, NoBody, Query, decode_json, parse
from .store import Row

if TYPE_CHECKING:
    from .state import Backend

SERVICES_PREFIX = "/services/v2"
PARTNER_PREFIX = "/partner-subscription/api/v1"
JSON = "application/json"

# Path parameters that name a stored object: a value that cannot be one is 404 not_found|<kind>.
ROW_IDS: Mapping[str, str] = {
    f"{kind}_id": kind for kind in ("organization", "domain", "order", "request")
}


@dataclass
class Call:
    """One API request as a handler sees it."""

    method: str
    path: str
    params: dict[str, str]
    query: Mapping[str, str]
    body: bytes
    headers: Mapping[str, str]
    account: Row = field(default_factory=dict)

    def json(self) -> Any:
        return decode_json(self.body)

    def int_param(self, name: str, kind: str) -> int:
        return row_id(self.params[name], kind)


def as_row_id(text: str) -> int | None:
    """A path id as an integer the store can hold, or None (answered as not found).

    isdigit() alone admits non-ASCII digits, and SQLite integers stop at 2**63 - 1.
    """
    if not (text.isascii() and text.isdigit()) or int(text) >= 2**63:
        return None
    return int(text)


def row_id(text: str, kind: str) -> int:
    """The id in a path, or 404 ``not_found|<kind>``."""
    value = as_row_id(text)
    if value is None:
        raise not_found(kind)
    return value


@dataclass
class Reply:
    status: int
    payload: Any = None  # None: an empty body (204)
    media_type: str = JSON
    """Anything else sends ``payload`` (a str) as it is: a certificate download."""


Handler = Callable[[Call], Reply]


@dataclass
class Endpoint:
    """One row of the route table.

    The operation is called as ``operation(ctx, *path values, header?, body?, query?)``: path
    values in template order (ids as integers, see :data:`ROW_IDS`, unless ``path`` gives a
    parameter its own reader), then the value of ``header`` when the row names one, the parsed
    body when the row has a schema (other than ``NoBody``, which only refuses a body), and the
    :class:`~.schemas.Query` when it accepts parameters.
    An operation that returns None is answered 204 with no body; anything else is answered
    ``status`` with it as ``media_type``.

    Tests may wrap a row's ``operation`` to watch what it receives.
    """

    method: str
    template: str
    operation: Callable[..., Any]
    body: type[Body] | None = None
    """The body's schema; None: the body is not read (a GET)."""
    query: frozenset[str] = frozenset()
    """The query parameters accepted; any other is a 400."""
    status: int = 200
    media_type: str = JSON
    header: str | None = None
    path: Mapping[str, Callable[[str], Any]] = field(default_factory=dict)
    """Readers for path parameters, checked before the body: ``{"order_id": str}`` passes the
    text as sent. Parameters not named here and not in :data:`ROW_IDS` are passed as text."""

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.template)

    def handle(self, call: Call, backend: Backend) -> Reply:
        query = Query(call.query, set(self.query))
        arguments = [self._path_value(name, call.params[name]) for name in self.path_names]
        if self.header is not None:
            arguments.append(call.headers.get(self.header))
        if self.body is not None:
            body = parse(self.body, call.json())
            if self.body is not NoBody:
                arguments.append(body)
        if self.query:
            arguments.append(query)
        with backend.transaction(call.account) as ctx:
            answer = self.operation(ctx, *arguments)
        if answer is None:
            return Reply(204)
        return Reply(self.status, answer, media_type=self.media_type)

    def _path_value(self, name: str, text: str) -> Any:
        reader = self.path.get(name)
        if reader is not None:
            return reader(text)
        if name in ROW_IDS:
            return row_id(text, ROW_IDS[name])
        return text


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler


class Router:
    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        full = self.prefix + template
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(full))
        self.routes.append(Route(method, full, re.compile(f"^{regex}/?$"), handler))

    def add_endpoints(self, endpoints: list[Endpoint], backend: Backend) -> None:
        for endpoint in endpoints:
            self.add(endpoint.method, endpoint.template, _bind(endpoint, backend))

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.match(path)
            if match:
                return route, match.groupdict()
        return None


def _bind(endpoint: Endpoint, backend: Backend) -> Handler:
    def handler(call: Call) -> Reply:
        return endpoint.handle(call, backend)

    return handler
