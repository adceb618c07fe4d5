"""The CertCentral error envelope: ``{"errors": [{"code": ..., "message": ...}]}``.

Codes follow DigiCert's convention of an optional ``|qualifier`` (``not_found|order``). Where
DigiCert documents a code the sandbox uses it verbatim; elsewhere it uses the codes listed in the
README's sandbox table.
"""

from __future__ import annotations

from typing import Any

RATE_LIMIT_MESSAGE = "Service unavailable, please limit request volume"


class ApiError(Exception):
    """An error answered to the caller with the CertCentral envelope."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.errors: list[tuple[str, str]] = [(code, message)]

    @classmethod
    def many(cls, status: int, errors: list[tuple[str, str]]) -> ApiError:
        error = cls(status, errors[0][0], errors[0][1])
        error.errors = list(errors)
        return error

    def envelope(self) -> dict[str, Any]:
        return envelope(self.errors)


def envelope(errors: list[tuple[str, str]]) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message} for code, message in errors]}


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def not_found(kind: str, message: str | None = None) -> ApiError:
    return ApiError(404, f"not_found|{kind}", message or f"The specified {kind} was not found.")


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)


def rate_limited() -> ApiError:
    return ApiError(429, "request_limit_exceeded", RATE_LIMIT_MESSAGE)


def route_not_found() -> ApiError:
    return ApiError(404, "not_found|route", "The specified route was not found.")
