"""Response models read what DigiCert sends: unknown fields, string booleans, money strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from pulumi_digicert.client import models


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("False", False),
        (1, True),
        (0, False),
        (None, None),
        ("maybe", None),
    ],
)
def test_booleans_are_read_leniently(raw: Any, expected: bool | None) -> None:
    assert models.Organization.model_validate({"is_active": raw}).is_active is expected


def test_money_strings_become_decimals() -> None:
    balance = models.Balance.model_validate(
        {
            "balance": "-1000.70",
            "currency": "USD",
            "unpaid_invoice_balance": "0.00",
            "negative_balance_limit": "2,000.00",
            "used_credit_from_other_containers": 0,
            "total_available_funds": "garbage",
        }
    )
    assert balance.balance == Decimal("-1000.70")
    assert balance.negative_balance_limit == Decimal("2000.00")
    assert balance.used_credit_from_other_containers == Decimal("0")
    assert balance.total_available_funds is None
    assert balance.unlimited_negative_balance is False


def test_unlimited_balance_flag_is_read() -> None:
    balance = models.Balance.model_validate({"balance": "1", "unlimited_negative_balance": True})
    assert balance.unlimited_negative_balance is True
    assert balance.negative_balance_limit is None


def test_unknown_fields_are_kept() -> None:
    order = models.Order.model_validate({"id": "9001", "brand_new_field": {"x": 1}})
    assert order.id == 9001
    assert order.model_extra == {"brand_new_field": {"x": 1}}
    assert order.brand_new_field == {"x": 1}


def test_nested_organization_of_a_domain_reads_string_is_active() -> None:
    domain = models.Domain.model_validate(
        {"id": 7, "organization": {"id": "1001", "is_active": "1"}, "validations": None}
    )
    assert domain.organization is not None
    assert domain.organization.id == 1001
    assert domain.organization.is_active is True
    assert domain.validations == []


def test_order_product_name_id_falls_back_to_the_product_object() -> None:
    order = models.Order.model_validate({"id": 1, "product": {"name_id": "document_signing_org_2"}})
    assert order.product_name_id == "document_signing_org_2"
    explicit = models.Order.model_validate(
        {"id": 1, "product_name_id": "a", "product": {"name_id": "b"}}
    )
    assert explicit.product_name_id == "a"


def test_order_created_needs_an_id_and_reads_requests() -> None:
    created = models.OrderCreated.model_validate(
        {"id": 5, "requests": [{"id": "6", "status": "approved"}], "certificate_id": "7"}
    )
    assert (created.id, created.requests[0].id, created.certificate_id) == (5, 6, 7)
    with pytest.raises(ValidationError):
        models.OrderCreated.model_validate({"requests": []})


def test_domain_created_keeps_token_and_emails() -> None:
    created = models.DomainCreated.model_validate(
        {
            "id": 3,
            "dcv_token": {"token": "abc", "status": "pending", "http_token_url": "http://x"},
            "validation_emails": {"name_scope": "example.com", "base_emails": ["admin@x"]},
        }
    )
    assert created.dcv_token is not None
    assert created.dcv_token.http_token_url == "http://x"
    assert created.validation_emails == {"name_scope": "example.com", "base_emails": ["admin@x"]}


@pytest.mark.parametrize(
    "model",
    [
        m
        for m in vars(models).values()
        if isinstance(m, type)
        and m.__module__ == models.__name__
        and issubclass(m, models.DigiCertModel)
        and m is not models.DigiCertModel
    ],
)
def test_every_model_field_is_documented(model: type[models.DigiCertModel]) -> None:
    assert model.__doc__
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no docstring"


@pytest.mark.parametrize(
    "model",
    [models.Organization, models.Domain, models.Order, models.Request, models.Balance],
)
def test_empty_objects_parse(model: type[models.DigiCertModel]) -> None:
    model.model_validate({})
