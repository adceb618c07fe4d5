"""DocumentSigningOrder.adopt_order_id: an order placed outside the stack is held, never bought
again, never retired by delete, and never held by the replacement of the resource holding it."""

from __future__ import annotations

from typing import Any

import pytest
from tests.resources.inputs import ORDER, order_inputs

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.resources import DocumentSigningOrderProvider


@pytest.fixture
def outside_order(orders: DocumentSigningOrderProvider, organization_id: float) -> int:
    """An order placed by someone else (another tool, the console)."""
    placed = orders.create(order_inputs(organization_id, "console1"))
    return int(placed.id)


def order_posts(sandbox: Any) -> int:
    return sum(
        row["count"]
        for row in sandbox.control.stats()["requests"]
        if row["method"] == "POST" and row["path_template"].startswith("/order/certificate")
    )


def test_create_holds_the_named_order_without_buying(
    orders: DocumentSigningOrderProvider, organization_id: float, outside_order: int, sandbox: Any
) -> None:
    sandbox.control.reset_stats()
    inputs = {**ORDER, "organization_id": organization_id, "adopt_order_id": str(outside_order)}
    result = orders.create(orders.check({}, inputs).inputs)
    assert result.id == str(outside_order)
    assert result.outs is not None
    assert result.outs["adopted"] is True
    assert result.outs["adopt_order_id"] == outside_order
    assert order_posts(sandbox) == 0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"product": "document_signing_org_2"}, "product"),
        ({"organization_id": 987654.0}, "organization"),
    ],
    ids=["product", "organization"],
)
def test_an_order_of_another_product_or_organization_is_refused(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    outside_order: int,
    sandbox: Any,
    change: dict[str, Any],
    named: str,
) -> None:
    sandbox.control.reset_stats()
    inputs = {
        **ORDER,
        "organization_id": organization_id,
        "adopt_order_id": outside_order,
        **change,
    }
    with pytest.raises(
        ResourceError,
        match="nothing was adopted or placed: check adopt_order_id, product and organization_id",
    ) as raised:
        orders.create(inputs)
    assert named in str(raised.value)
    assert order_posts(sandbox) == 0


def test_a_missing_or_dead_order_is_refused_without_buying(
    orders: DocumentSigningOrderProvider, organization_id: float, outside_order: int, sandbox: Any
) -> None:
    with pytest.raises(ResourceError, match="does not exist"):
        orders.create({**ORDER, "organization_id": organization_id, "adopt_order_id": 99999999})
    held = order_inputs(organization_id, "console1")
    orders.delete(str(outside_order), orders.create(held).outs or {})  # the owner cancels it
    sandbox.control.reset_stats()
    with pytest.raises(ResourceError, match="cannot be held"):
        orders.create(
            {**ORDER, "organization_id": organization_id, "adopt_order_id": outside_order}
        )
    assert order_posts(sandbox) == 0


def test_delete_leaves_an_adopted_order_as_it_is_and_says_so(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    outside_order: int,
    sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inputs = {**ORDER, "organization_id": organization_id, "adopt_order_id": outside_order}
    held = orders.create(inputs)
    assert held.outs is not None
    orders.delete(held.id, held.outs)
    (order,) = [o for o in sandbox.control.orders() if o["id"] == outside_order]
    assert order["status"] == "needs_approval"
    assert f"order {outside_order} was placed outside this stack" in capsys.readouterr().err


def test_naming_the_held_order_is_no_change_and_another_order_replaces() -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**ORDER, "order_id": 3000001, "adopt_order_id": None}
    same = provider.check(ORDER, {**ORDER, "adopt_order_id": "3000001"}).inputs
    assert provider.diff("3000001", olds, same).changes is False
    other = provider.check(ORDER, {**ORDER, "adopt_order_id": 3000002}).inputs
    assert provider.diff("3000001", olds, other).replaces == ["adopt_order_id"]


def test_a_new_purchase_while_adopt_order_id_names_the_held_order_is_refused_in_preview() -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**ORDER, "adopt_order_id": 3000001.0}
    result = provider.check(olds, {**olds, "validity_years": 2.0})
    failures = {f.property: f.reason for f in result.failures}
    assert list(failures) == ["adopt_order_id"]
    assert "validity_years" in failures["adopt_order_id"]
    assert "remove adopt_order_id" in failures["adopt_order_id"]
    # Naming another order is fine: that one is held, not the replaced one.
    moved = provider.check(olds, {**olds, "validity_years": 2.0, "adopt_order_id": 3000002.0})
    assert moved.failures == []
