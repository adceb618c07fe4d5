"""The route table and how one row is handled (:mod:`pulumi_digicert.sandbox.routes`)."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import pulumi_digicert.sandbox
from pulumi_digicert.sandbox.app import PARTNER, SERVICES
from pulumi_digicert.sandbox.errors import ApiError
from pulumi_digicert.sandbox.routes import Call, Endpoint, as_row_id
from pulumi_digicert.sandbox.schemas import Body, NoBody


class Note(Body):
    text: str


class RecordingBackend:
    """Stands in for ``state.Backend``: hands out a context and remembers the account."""

    def __init__(self) -> None:
        self.accounts: list[Any] = []

    @contextmanager
    def transaction(self, account: Any = None) -> Iterator[str]:
        self.accounts.append(account)
        yield "ctx"


def call(path_params: dict[str, str], body: bytes = b"", **query: str) -> Call:
    return Call(
        method="PUT",
        path="/x",
        params=path_params,
        query=query,
        body=body,
        headers={"x-trace": "t1"},
        account={"id": 7},
    )


# SQLite stores signed 64-bit integers (max 2**63 - 1); str.isdigit() admits other scripts' digits.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("-1", None),
        ("1.0", None),
        ("", None),
        ("\u0663", None),  # ARABIC-INDIC DIGIT THREE
        ("\u00b2", None),  # SUPERSCRIPT TWO
    ],
)
def test_a_path_id_is_an_ascii_integer_sqlite_can_hold(text: str, expected: int | None) -> None:
    assert as_row_id(text) == expected


def test_every_api_endpoint_is_one_row() -> None:
    rows = Counter((row.method, row.template) for row in [*SERVICES, *PARTNER])
    assert [key for key, count in rows.items() if count > 1] == []


def test_a_row_passes_path_ids_header_body_and_query_in_that_order() -> None:
    seen: list[Any] = []

    def operation(ctx: str, order_id: int, name: str, trace: str, body: Note, query: Any) -> Any:
        seen.extend([ctx, order_id, name, trace, body.text, query.text("limit")])
        return {"ok": True}

    row = Endpoint(
        "PUT",
        "/order/{order_id}/{name}",
        operation,
        body=Note,
        query=frozenset({"limit"}),
        status=201,
        header="x-trace",
    )
    backend = RecordingBackend()
    reply = row.handle(call({"order_id": "5", "name": "n"}, b'{"text": "hi"}', limit="3"), backend)  # type: ignore[arg-type]
    assert (reply.status, reply.payload) == (201, {"ok": True})
    assert seen == ["ctx", 5, "n", "t1", "hi", "3"]
    assert backend.accounts == [{"id": 7}]


def test_an_operation_that_returns_nothing_is_answered_204() -> None:
    row = Endpoint("DELETE", "/thing/{order_id}", lambda ctx, order_id: None, body=NoBody)
    reply = row.handle(call({"order_id": "1"}), RecordingBackend())  # type: ignore[arg-type]
    assert (reply.status, reply.payload) == (204, None)


@pytest.mark.parametrize(
    ("params", "body", "query", "status", "code"),
    [
        ({"order_id": "x"}, b"{}", {}, 404, "not_found|order"),
        ({"order_id": "1"}, b"[]", {}, 400, "bad_request_format"),
        ({"order_id": "1"}, b'{"other": 1}', {}, 400, None),
        ({"order_id": "1"}, b"{}", {"unknown": "1"}, 400, None),
    ],
)
def test_bad_input_is_refused_before_the_operation_runs(
    params: dict[str, str], body: bytes, query: dict[str, str], status: int, code: str | None
) -> None:
    ran: list[int] = []
    row = Endpoint("PUT", "/order/{order_id}", lambda ctx, order_id: ran.append(order_id))
    row.body = NoBody
    backend = RecordingBackend()
    with pytest.raises(ApiError) as refused:
        row.handle(call(params, body, **query), backend)  # type: ignore[arg-type]
    assert refused.value.status == status
    if code is not None:
        assert [error["code"] for error in refused.value.envelope()["errors"]] == [code]
    assert (ran, backend.accounts) == ([], [])


def test_the_sandbox_imports_nothing_of_the_provider() -> None:
    """The stand-in must not borrow the code it stands in front of."""
    package = Path(pulumi_digicert.sandbox.__file__).parent
    borrowed = []
    for module in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [f"{'.' * node.level}{node.module or ''}"]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("..") or (
                    name.startswith("pulumi_digicert")
                    and not name.startswith("pulumi_digicert.sandbox")
                ):
                    borrowed.append(f"{module.name}: {name}")
    assert borrowed == []
