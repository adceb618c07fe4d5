"""A small explicit router: every route is listed with its method and path template.

Templates name the route in traffic stats (``/services/v2/order/certificate/{order_id}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import not_found
from .schemas import decode_json
from .store import Row


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
        row_id = as_row_id(self.params[name])
        if row_id is None:
            raise not_found(kind)
        return row_id


def as_row_id(text: str) -> int | None:
    """A path id as an integer the store can hold, or None (answered as not found).

    isdigit() alone admits non-ASCII digits, and SQLite integers stop at 2**63 - 1.
    """
    if not (text.isascii() and text.isdigit()) or int(text) >= 2**63:
        return None
    return int(text)


@dataclass
class Reply:
    status: int
    payload: Any = None  # None: an empty body (204)
    media_type: str = "application/json"
    """Anything else sends ``payload`` (a str) as it is: a certificate download."""


Handler = Callable[[Call], Reply]


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

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.match(path)
            if match:
                return route, match.groupdict()
        return None
