"""What an order's certificate is, read from CertCentral's order info, when it is due for
renewal, and its PEM where CertCentral hands it out.

Order info (``GET /order/certificate/{id}``, API.md C2) carries the certificate's validity
(``valid_from``, ``valid_till`` as ``YYYY-MM-DD``, ``days_remaining``), ``serial_number``,
``thumbprint`` and ``common_name``, the product's ``name``, and for a certificate installed on a
hardware token the ``hardware_init_code`` the DigiCert Hardware Certificate Installer asks for
(the code signing order page, "Use existing token"). The certificate itself is downloaded only
where CertCentral can hand it out: a certificate issued to the customer's own HSM (``email``
provisioning, with a CSR), not one written to a hardware token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from pulumi_digicert._notice import notice
from pulumi_digicert.client import errors

if TYPE_CHECKING:
    from pulumi_digicert.client import DigiCertClient, models

DAY = 86_400.0

CERTIFICATE_OUTPUTS: tuple[str, ...] = (
    "valid_from",
    "valid_till",
    "days_remaining",
    "serial_number",
    "thumbprint",
    "common_name",
    "product_name",
    "hardware_init_code",
)
PEM_OUTPUTS: tuple[str, ...] = ("certificate_pem", "certificate_chain_pem")
SECRET_OUTPUTS: tuple[str, ...] = ("hardware_init_code",)
"""Outputs that unlock something: the resource class marks them secret in state."""

# Methods whose certificate is written to a hardware token and cannot be downloaded.
TOKEN_METHODS = frozenset({"ship_token", "client_app"})

_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.DOTALL)


def certificate_facts(order: models.Order) -> dict[str, Any]:
    """The certificate outputs from order info; every key present, ``None`` where unknown."""
    certificate, product = order.certificate, order.product
    return {
        "valid_from": _text(certificate.valid_from if certificate else None),
        "valid_till": _text(certificate.valid_till if certificate else None),
        "days_remaining": certificate.days_remaining if certificate else None,
        "serial_number": _text(certificate.serial_number if certificate else None),
        "thumbprint": _text(certificate.thumbprint if certificate else None),
        "common_name": _text(certificate.common_name if certificate else None),
        "product_name": _text(product.name if product else None),
        "hardware_init_code": _text(order.hardware_init_code),
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def days_left(facts: Mapping[str, Any], now: float) -> int | None:
    """Days of validity left: CertCentral's ``days_remaining``, else counted from
    ``valid_till`` (a date: the certificate is valid through that day, UTC)."""
    days = facts.get("days_remaining")
    if isinstance(days, int):
        return days
    till = facts.get("valid_till")
    if not isinstance(till, str):
        return None
    try:
        end = date.fromisoformat(till[:10])
    except ValueError:
        return None
    today = datetime.fromtimestamp(now, tz=timezone.utc).date()
    return (end - today).days


def renewal_due(status: Any, days_remaining: Any, within_days: Any) -> bool:
    """Whether an order is due for renewal: issued with at most ``within_days`` days of validity
    left, or expired. Never without ``within_days`` (renewal is opt-in)."""
    if within_days is None or isinstance(within_days, bool):
        return False
    state = str(status or "").strip().lower()
    if state == "expired":
        return True
    if state != "issued" or isinstance(days_remaining, bool):
        return False
    if not isinstance(days_remaining, int | float) or not isinstance(within_days, int | float):
        return False
    return days_remaining <= within_days


def downloadable(method: Any, csr: Any) -> bool:
    """Whether CertCentral can hand the certificate out: issued to the customer's HSM
    (``email``), or the account's default method with a CSR given. A token's certificate is
    installed on the token by DigiCert's installer, never downloaded."""
    if method in TOKEN_METHODS:
        return False
    return method == "email" or (method is None and bool(csr))


def split_pem(bundle: str) -> tuple[str, str | None] | None:
    """``pem_all``'s bundle as (end-entity certificate, the rest of the chain); the end-entity
    certificate comes first. ``None`` when the text holds no certificate."""
    blocks = [match.group(0) + "\n" for match in _PEM_BLOCK.finditer(bundle)]
    if not blocks:
        return None
    return blocks[0], ("".join(blocks[1:]) or None)


def certificate_pem(
    api: DigiCertClient,
    order: Mapping[str, Any],
    inputs: Mapping[str, Any],
    olds: Mapping[str, Any],
) -> dict[str, Any]:
    """The PEM outputs of an order (its summary): downloaded once per certificate, where
    CertCentral can hand it out (a certificate issued to the customer's HSM); kept from
    ``olds`` while the thumbprint is the same."""
    empty = dict.fromkeys(PEM_OUTPUTS)
    status = str(order.get("status") or "").lower()
    if status != "issued" or not downloadable(
        inputs.get("cs_provisioning_method"), inputs.get("csr")
    ):
        return empty
    if olds.get("certificate_pem") and olds.get("thumbprint") == order.get("thumbprint"):
        return {k: olds.get(k) for k in PEM_OUTPUTS}
    try:
        bundle = api.orders.download_certificate(int(order["order_id"]))
    except errors.DigiCertError as exc:
        notice(
            f"order {order['order_id']}: its certificate could not be downloaded "
            f"({errors.short_reason(exc)}); certificate_pem stays empty until a later refresh"
        )
        return empty
    split = split_pem(bundle)
    if split is None:
        notice(
            f"order {order['order_id']}: CertCentral's download held no PEM certificate; "
            "certificate_pem stays empty until a later refresh"
        )
        return empty
    return {"certificate_pem": split[0], "certificate_chain_pem": split[1]}
