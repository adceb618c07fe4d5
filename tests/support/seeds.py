"""The DigiCert pages this project was started from, read as test oracles.

They are kept beside the repository (``shared/seeds/`` in a parent directory of the checkout,
or the directory named by ``DIGICERT_SEEDS_DIR``), not copied into it. Two are used here:

* ``003_*``: "Order document signing certificate", English: the request table (name, required or
  optional, type), nested rows prefixed with ``..``;
* ``004_*``: the same page in French, with the example request body (a curl ``-d '...'``).

A test that needs them skips, saying where it looked, when they cannot be found.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.sandbox import services_client

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_ORDER_PAGE = "003_*.txt"
FRENCH_ORDER_PAGE = "004_*.txt"


def seeds_dir() -> Path:
    configured = os.environ.get("DIGICERT_SEEDS_DIR")
    candidates = [Path(configured)] if configured else []
    candidates += [parent / "shared" / "seeds" for parent in ROOT.parents]
    for candidate in candidates:
        if any(candidate.glob(ENGLISH_ORDER_PAGE)):
            return candidate
    pytest.skip(
        "DigiCert's pages (shared/seeds/003_*.txt) are not beside this checkout; set "
        "DIGICERT_SEEDS_DIR to their directory",
        allow_module_level=True,
    )


def page(pattern: str) -> str:
    matches = sorted(seeds_dir().glob(pattern))
    assert len(matches) == 1, f"expected one page {pattern}, found {matches}"
    return matches[0].read_text(encoding="utf-8")


@dataclass(frozen=True)
class SeedField:
    """One row of the page's request table."""

    path: str
    """Dotted path in the request body, e.g. ``credit_card.expiration_month``."""
    requirement: str
    """``required``, ``optional`` or ``conditional`` (the page's ``required*`` counts as
    required, ``optional*`` and ``optionals`` as optional)."""
    json_type: str
    """``string``, ``integer``, ``boolean``, ``object`` or ``array``."""
    description: str


REQUIREMENTS = {
    "required": "required",
    "required*": "required",
    "optional": "optional",
    "optional*": "optional",
    "optionals": "optional",
    "conditional": "conditional",
}
TYPES = {
    "string": "string",
    "int": "integer",
    "integer": "integer",
    "bool": "boolean",
    "object": "object",
    "array": "array",
    "array of objects": "array",
}
# The copy lost the name cell of three rows (the name was a link); the description says which
# field each is. Any other nameless row fails the parse.
NAMELESS_ROWS = {"Contact email address.": "email", "Subject email address.": "email"}


@cache
def order_request_table() -> tuple[SeedField, ...]:
    """Every row of the "Request parameters" table of seed 003, in page order."""
    text = page(ENGLISH_ORDER_PAGE)
    start = text.index("Request parameters")
    stop = text.index("Response parameters")
    table = text[start:stop]
    header_end = table.index("---|---|---|---|") + len("---|---|---|---|")
    cells = [cell.strip() for cell in table[header_end:].split("|")]
    fields: list[SeedField] = []
    parents: list[str] = []
    index = 0
    while index + 3 < len(cells):
        name_cell, req_cell, type_cell, description = cells[index : index + 4]
        index += 4
        if name_cell in REQUIREMENTS:
            # A row whose name cell was lost: its cells are shifted left by one, and the
            # trailing empty cell takes the description's place.
            name_cell, req_cell, type_cell, description = (
                ".. " + NAMELESS_ROWS[type_cell],
                name_cell,
                req_cell,
                type_cell,
            )
        depth = 0
        while name_cell.startswith(".."):
            depth += 1
            name_cell = name_cell[2:].strip()
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", name_cell), f"unexpected row name {name_cell!r}"
        del parents[depth:]
        path = ".".join([*parents, name_cell])
        parents.append(name_cell)
        fields.append(
            SeedField(path, REQUIREMENTS[req_cell.lower()], TYPES[type_cell.lower()], description)
        )
    return tuple(fields)


def example_order_body() -> dict[str, Any]:
    """The curl example's request body from seed 004, parsed as it stands."""
    text = page(FRENCH_ORDER_PAGE)
    start = text.index("-d '") + len("-d '")
    stop = text.index("}'", start) + 1
    body: dict[str, Any] = json.loads(text[start:stop])
    return body


# The organization imported under the id the example body names: the page gives only the id, so
# its address is the example's ship_info address.
EXAMPLE_ORGANIZATION: dict[str, Any] = {
    "name": "Example Org",
    "address": "360 Taylor Street",
    "city": "Richmond",
    "state": "va",
    "zip": "69662",
    "country": "us",
}


@contextmanager
def example_account_api(
    sandbox: Any, body: dict[str, Any], **options: Any
) -> Iterator[httpx.Client]:
    """Plain HTTP to ``sandbox`` as an account arranged for the page's example ``body``: in the
    container the body names, with :data:`EXAMPLE_ORGANIZATION` imported under the body's
    organization id."""
    account = sandbox.control.create_account(
        "Example Account", container_id=body["container"]["id"]
    )
    sandbox.control.import_organization(
        id=body["organization"]["id"], account_id=account["account_id"], **EXAMPLE_ORGANIZATION
    )
    with services_client(sandbox, account["api_key"], **options) as api:
        yield api
