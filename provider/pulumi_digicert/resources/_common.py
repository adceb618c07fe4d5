"""Argument shapes and helpers shared by several resources."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from pulumi_digicert.client import errors
from pulumi_digicert.resources._base import ResourceError

__all__ = ["ResourceError"]

log = logging.getLogger("pulumi_digicert")

T = TypeVar("T")

ValidationType = Literal["ov", "ev", "cs", "ev_cs", "ds", "smime"]

# Argument types check with functions, not patterns, so a refusal reads as a sentence.


def _email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not (at and local and "." in domain.strip(".")) or any(c.isspace() for c in value):
        raise ValueError("must be an email address such as 'name@example.com'")
    if "@" in domain:
        raise ValueError("must be one email address such as 'name@example.com'")
    return value


def _country(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise ValueError("must be a two-letter ISO country code such as 'us'")
    return value.lower()


def _api_key(value: str) -> str:
    if not value or not all("!" <= char <= "~" for char in value):
        # Never shown: the value is a key.
        raise ValueError(
            "must be printable ASCII without spaces or line breaks, as DigiCert's keys are"
        )
    return value


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=255), AfterValidator(_email)
]
CountryCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_country)]
PositiveId = Annotated[int, pydantic.Field(gt=0)]
ApiKey = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_api_key)]
"""A DigiCert API key given as an argument: visible ASCII only, never shown in a message."""


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
    the caller must not create it again. An answer that cannot be read (``InvalidResponseError``)
    is asked again too, and never taken for "none".
    """
    delay = first_delay
    last_error: errors.DigiCertError | None = None
    retried = (
        errors.APIConnectionError,
        errors.ServerError,
        errors.RateLimitError,
        errors.InvalidResponseError,
    )
    for attempt in range(attempts):
        try:
            return lookup()
        except retried as exc:
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


def why(exc: errors.DigiCertError) -> str:
    """A few words on what went wrong with a request, for inside a sentence."""
    if isinstance(exc, errors.InvalidResponseError | errors.APIConnectionError):
        return exc.reason
    if exc.status is None:
        return errors.one_line(exc.message, 200)
    detail = "; ".join(f"{d.code}: {d.message}" for d in exc.errors)
    return errors.one_line(f"{exc.status} {detail}".strip(), 200)
