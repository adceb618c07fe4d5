"""An interceptor that sees every call on its way to a provider host, as the engine sends it."""

from __future__ import annotations

from typing import Any

import grpc


class CallRecorder(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    """Records each call's method, deadline and request."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float | None, Any]] = []

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        self.calls.append((details.method.rsplit("/", 1)[-1], details.timeout, request))
        return continuation(details, request)

    def requests(self, method: str) -> list[Any]:
        """The requests of one method (``"Read"``, ``"Diff"`` ...), in the order sent."""
        return [request for name, _, request in self.calls if name == method]
