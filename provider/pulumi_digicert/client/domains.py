"""Domains and domain control validation: ``/domain``."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_digicert.client import models
from pulumi_digicert.client._core import RequestCore, int_id

__all__ = ["Domains"]


class Domains:
    """CertCentral domains and their DCV."""

    def __init__(self, core: RequestCore) -> None:
        self._core = core

    @staticmethod
    def _path(domain_id: int, suffix: str = "") -> str:
        return f"/domain/{int_id(domain_id, 'domain_id')}{suffix}"

    def add(self, body: Mapping[str, Any]) -> models.DomainCreated:
        """``POST /domain``: add a domain; returns ``{id, dcv_token?, validation_emails?}``.

        A creating request (not resent once it may have been received).
        """
        path = "/domain"
        response = self._core.request("POST", path, body=dict(body))
        return self._core.parse(models.DomainCreated, response.data, "POST", path, creating=True)

    def get(
        self, domain_id: int, *, include_dcv: bool = False, include_validation: bool = False
    ) -> models.Domain:
        """``GET /domain/{id}``."""
        path = self._path(domain_id)
        params = {
            "include_dcv": True if include_dcv else None,
            "include_validation": True if include_validation else None,
        }
        response = self._core.get(path, params=params)
        return self._core.parse(models.Domain, response.data, "GET", path)

    def list(
        self,
        *,
        search: str | None = None,
        status: str | None = None,
        include_validation: bool = False,
    ) -> builtins.list[models.Domain]:
        """``GET /domain``, every page. ``search`` is an exact name (``%`` prefix: contains)."""
        path = "/domain"
        params = {
            "filters[search]": search,
            "filters[status]": status,
            "include_validation": True if include_validation else None,
        }
        items = self._core.paginate(path, "domains", params=params)
        return self._core.parse_list(models.Domain, items, path)

    def change_dcv_method(
        self, domain_id: int, dcv_method: str, *, send_dcv_email_flag: bool | None = None
    ) -> models.DcvTokenResponse:
        """``PUT /domain/{id}/dcv/method``; returns the new token for token methods and, for
        ``email``, the recipients (newer pages) or nothing (older ones)."""
        path = self._path(domain_id, "/dcv/method")
        body: dict[str, Any] = {"dcv_method": dcv_method}
        if send_dcv_email_flag is not None:
            body["send_dcv_email_flag"] = send_dcv_email_flag
        response = self._core.request("PUT", path, body=body)
        return self._core.parse(models.DcvTokenResponse, response.data, "PUT", path)

    def check_dcv(self, domain_id: int) -> models.DcvCheck:
        """``PUT /domain/{id}/dcv/validate-token``: ask DigiCert to check the token now.

        A check that did not find the token is a 400 naming what was missing (e.g.
        ``invalid_dns_txt``): it raises :class:`~errors.BadRequestError`.
        """
        path = self._path(domain_id, "/dcv/validate-token")
        response = self._core.request("PUT", path)
        return self._core.parse(models.DcvCheck, response.data, "PUT", path)

    def new_dcv_token(self, domain_id: int) -> models.DcvToken:
        """``POST /domain/{id}/dcv/token``: generate a new random value (creating request)."""
        path = self._path(domain_id, "/dcv/token")
        response = self._core.request("POST", path)
        return self._core.parse(models.DcvToken, response.data, "POST", path, creating=True)

    def submit_validation(
        self,
        domain_id: int,
        validations: Sequence[str],
        *,
        dcv_method: str | None = None,
        email_array: Sequence[str] | None = None,
    ) -> models.DomainCreated | None:
        """``POST /domain/{id}/validation``: submit for (re)validation.

        ``validations`` are type names (``["ov"]``), sent as ``[{"type": "ov"}]``. Returns
        ``None`` for a 204, else the body (new DCV token or emails). A creating request.
        """
        path = self._path(domain_id, "/validation")
        body: dict[str, Any] = {"validations": [{"type": v} for v in validations]}
        if dcv_method is not None:
            body["dcv_method"] = dcv_method
        if email_array is not None:
            body["email_array"] = list(email_array)
        response = self._core.request("POST", path, body=body)
        if response.data is None:
            return None
        data = response.data
        if isinstance(data, dict) and data.get("id") is None:
            data = {**data, "id": int(int_id(domain_id, "domain_id"))}
        return self._core.parse(models.DomainCreated, data, "POST", path, creating=True)

    def activate(self, domain_id: int) -> None:
        """``PUT /domain/{id}/activate``."""
        self._core.request("PUT", self._path(domain_id, "/activate"))

    def deactivate(self, domain_id: int) -> None:
        """``PUT /domain/{id}/deactivate`` (the documented way to retire a domain)."""
        self._core.request("PUT", self._path(domain_id, "/deactivate"))
