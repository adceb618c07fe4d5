"""Argument shapes and helpers shared by several resources."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, StringConstraints

from pulumi_digicert.client import errors
from pulumi_digicert.resources._base import ResourceError

__all__ = ["ResourceError"]

log = logging.getLogger("pulumi_digicert")

T = TypeVar("T")

ValidationType = Literal["ov", "ev", "cs", "ev_cs", "ds", "smime"]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$", to_lower=True)
]
PositiveId = Annotated[int, pydantic.Field(gt=0)]


class Args(BaseModel):
    """Strict about names (a typo is an error naming the field), lax about number types."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactArgs(Args):
    """A person DigiCert can reach about an organization or order."""

    first_name: NonEmpty
    last_name: NonEmpty
    email: Email
    job_title: str | None = None
    telephone: str | None = None
    telephone_extension: str | None = None


CONTACT_KEYS = ("first_name", "last_name", "email", "job_title", "telephone", "telephone_extension")


def contact_from_api(contact: Any) -> dict[str, Any] | None:
    """The input-shaped view of a contact returned by the API (ids and extras dropped)."""
    data = as_dict(contact)
    if not data or not data.get("first_name"):
        return None
    return {k: data[k] for k in CONTACT_KEYS if data.get(k) not in (None, "")}


def as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return dict(value)
    return {}


def drop_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def lookup_after_unknown_outcome(
    lookup: Callable[[], T | None],
    *,
    attempts: int = 4,
    first_delay: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T | None:
    """Look for an object whose creating request may or may not have been applied.

    The lookup itself goes through the client's retry policy; this loop covers the stretch in
    which the API cannot be reached at all (e.g. a maintenance window right after the request).
    Raises the last API error when no lookup answered: then nobody knows whether it exists, and
    the caller must not create it again.
    """
    delay = first_delay
    last_error: errors.DigiCertError | None = None
    for attempt in range(attempts):
        try:
            return lookup()
        except (errors.APIConnectionError, errors.ServerError, errors.RateLimitError) as exc:
            last_error = exc
            if attempt + 1 < attempts:
                sleep(delay)
                delay = min(delay * 2, 30.0)
    assert last_error is not None
    raise last_error


def api_detail(exc: errors.DigiCertError) -> str:
    """DigiCert's own codes and messages, for a user-facing message."""
    detail = "; ".join(f"{d.code}: {d.message}" for d in exc.errors)
    return detail or f"HTTP {exc.status}"
