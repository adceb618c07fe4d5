"""Partner Subscriptions API: ``/finance/account-link``."""

from __future__ import annotations

from pulumi_digicert.client._core import RequestCore

__all__ = ["Partner"]


class Partner:
    """Partner Subscriptions calls (base URL ``digicert:partnerBaseUrl``)."""

    def __init__(self, core: RequestCore) -> None:
        self._core = core

    def link_billing_account(
        self, billing_account_api_key: str, *, partner_api_key: str | None = None
    ) -> None:
        """``PUT /finance/account-link``: bill the partner (sub)account to a CertCentral account.

        Sends ``X-PARTNER-APIKEY`` (``partner_api_key``, else ``digicert:partnerApiKey``) and
        ``X-DC-DEVKEY`` = ``billing_account_api_key``, no body; 204 on success. Idempotent.
        The rate limiter counts these requests against the partner key.
        """
        if not isinstance(billing_account_api_key, str) or not billing_account_api_key.strip():
            raise ValueError("billing_account_api_key must be a non-empty string")
        auth = self._core.partner_auth(billing_account_api_key, partner_api_key)
        self._core.request("PUT", "/finance/account-link", partner=True, auth=auth)
