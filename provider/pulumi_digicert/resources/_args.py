"""Argument types and parsing: what every resource's Args model is built from.

An Args model is strict about names (a typo is an error naming the field) and lax about number
types (the engine sends floats). Check turns pydantic's errors into sentences for people
(:func:`validation_failures`): no patterns, no library phrasing, never the value itself, which may
be a secret. create and update parse inputs that check accepted with :func:`parse_args`.

Not here: how a field change is planned (``_provider.py``), and each resource's own models, which
live in its module (or, for orders, ``_order_args.py``) with the request body they produce.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import pydantic
from pulumi.dynamic import CheckFailure
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from pulumi_digicert._engine_values import contains_unknown, is_unknown
from pulumi_digicert._exceptions import ResourceError

if TYPE_CHECKING:
    from pulumi_digicert.client import models

__all__ = [
    "CONTACT_KEYS",
    "ApiKey",
    "Args",
    "ContactArgs",
    "CountryCode",
    "Email",
    "NonEmpty",
    "PositiveId",
    "Short",
    "ValidationType",
    "declared_contact",
    "parse_args",
    "property_path",
    "validation_failures",
]

ArgsT = TypeVar("ArgsT", bound=BaseModel)

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

    def request_body(self, contact_type: str | None = None) -> dict[str, Any]:
        """The contact as CertCentral's contact endpoints take it (``contact_type`` first when
        given, as ``PUT .../contact`` lists it)."""
        body = self.model_dump(exclude_none=True)
        return body if contact_type is None else {"contact_type": contact_type, **body}


CONTACT_KEYS = ("first_name", "last_name", "email", "job_title", "telephone", "telephone_extension")


def declared_contact(contact: models.Contact | None) -> dict[str, Any] | None:
    """A contact CertCentral returned, in the shape a declaration gives it (ids, extras and
    empty fields dropped); ``None`` when there is no contact."""
    if contact is None or not contact.first_name:
        return None
    return {k: value for k in CONTACT_KEYS if (value := getattr(contact, k)) not in (None, "")}


# ---------------------------------------------------------------------------------------------
# check: pydantic's errors as sentences


def property_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _loc_is_unknown(data: Any, loc: Sequence[int | str]) -> bool:
    """True when the value at ``loc``, or one of its parents, is unknown during preview."""
    current = data
    for part in loc:
        if is_unknown(current):
            return True
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            return False
    return contains_unknown(current)


def _plural(count: Any, one: str) -> str:
    return f"{count} {one}" if count == 1 else f"{count} {one}s"


def _alternative_order_id_words(value: Any) -> str:
    if isinstance(value, str) and len(value) > 64:
        return f"is {_plural(len(value), 'character')}; at most 64"
    return "must be 1 to 64 letters or digits, without spaces or symbols"


# What a string must look like, per argument, when a pattern refuses it: said for people.
PATTERN_WORDS: dict[str, Callable[[Any], str]] = {
    "alternative_order_id": _alternative_order_id_words,
}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _describe(error: Mapping[str, Any]) -> str:
    """pydantic's error, as a person would say it: no patterns, no library phrasing, and never
    the value itself (it may be a secret); only the length of a string that is too long."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    loc = tuple(error.get("loc") or ())
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known argument of this resource"
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", "")).strip()
        return reason or "is not valid"
    if kind == "string_type":
        return "must be a string"
    if kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    if kind == "string_too_long":
        maximum = ctx.get("max_length")
        if isinstance(value, str):
            return f"is {_plural(len(value), 'character')}; at most {maximum}"
        return f"must be at most {_plural(maximum, 'character')}"
    if kind == "string_pattern_mismatch":
        words = PATTERN_WORDS.get(field)
        return words(value) if words else "is not in the form this argument takes"
    if kind in ("int_type", "int_parsing", "int_parsing_size"):
        return "must be a whole number"
    if kind == "int_from_float":
        return "must be a whole number, not a fraction"
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
        return "must be a number"
    if kind == "finite_number":
        return "must be a finite number"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind == "greater_than":
        return f"must be greater than {_number(ctx.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be {_number(ctx.get('ge'))} or more"
    if kind == "less_than":
        return f"must be less than {_number(ctx.get('lt'))}"
    if kind == "less_than_equal":
        return f"must be {_number(ctx.get('le'))} or less"
    if kind in ("literal_error", "enum"):
        return f"must be {ctx.get('expected', 'one of the documented values')}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        return "must be an object with named fields"
    if kind in ("list_type", "tuple_type", "iterable_type", "set_type"):
        return "must be a list"
    if kind == "too_short":
        return f"must have at least {_plural(ctx.get('min_length'), 'item')}"
    if kind == "too_long":
        return f"must have at most {_plural(ctx.get('max_length'), 'item')}"
    if kind in ("none_required", "is_instance_of"):
        return "has a value of the wrong kind"
    return "has a value this argument cannot take"


def validation_failures(model: type[BaseModel], inputs: Mapping[str, Any]) -> list[CheckFailure]:
    """Validate ``inputs`` against ``model``; problems at unknown values are not problems yet."""
    try:
        model.model_validate(dict(inputs))
    except pydantic.ValidationError as exc:
        failures: list[CheckFailure] = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if _loc_is_unknown(inputs, loc):
                continue
            failures.append(CheckFailure(property_path(loc) or "inputs", _describe(error)))
        return failures
    return []


def parse_args(model: type[ArgsT], inputs: Mapping[str, Any]) -> ArgsT:
    """Parse inputs already accepted by check (create/update time: no unknowns remain).

    ``inputs`` are plain (:func:`~pulumi_digicert._engine_values.plain_inputs`). pydantic's own
    message quotes input values, which may be secrets: it never surfaces.
    """
    try:
        return model.model_validate(dict(inputs))
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{property_path(e['loc']) or 'inputs'} {_describe(e)}" for e in exc.errors()
        )
        raise ResourceError(f"invalid inputs: {problems}") from None
