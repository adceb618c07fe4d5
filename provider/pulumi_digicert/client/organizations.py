"""Organizations: ``/organization``."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_digicert.client import models
from pulumi_digicert.client._core import RequestCore, int_id

__all__ = ["Organizations"]


class Organizations:
    """CertCentral organizations. There is no update of the legal identity, only contacts."""

    def __init__(self, core: RequestCore) -> None:
        self._core = core

    def create(self, body: Mapping[str, Any]) -> models.CreatedObject:
        """``POST /organization``: create an organization; returns ``{id}``.

        A creating request: never resent once it may have reached DigiCert (an unknown outcome
        raises ``OutcomeUnknownError``; look the organization up by name).
        """
        path = "/organization"
        response = self._core.request("POST", path, body=dict(body))
        return self._core.parse(models.CreatedObject, response.data, "POST", path, creating=True)

    def get(self, organization_id: int, *, include_validation: bool = True) -> models.Organization:
        """``GET /organization/{id}``, with its ``validations`` unless ``include_validation`` is
        false.

        Organization info carries validations only when asked (``include_validation=true``, as
        the list endpoint documents and public clients' fixtures show); an answer that still
        has none is completed from ``GET /organization/{id}/validation``, so an absent list is
        never read as "no validations".
        """
        path = f"/organization/{int_id(organization_id, 'organization_id')}"
        params = {"include_validation": True} if include_validation else None
        data = self._core.get(path, params=params).data
        if include_validation and isinstance(data, dict) and "validations" not in data:
            data = {**data, "validations": self._validations_data(organization_id)}
        return self._core.parse(models.Organization, data, "GET", path)

    def list(
        self,
        *,
        status: str | None = None,
        search: str | None = None,
        validation: str | None = None,
        container_id: int | None = None,
        include_validation: bool = False,
    ) -> builtins.list[models.Organization]:
        """``GET /organization``, every page.

        ``search`` matches an id exactly or a name (prefix the value with ``%`` for
        "contains"); ``container_id`` becomes ``filters[container_id_for_organization]``.
        """
        path = "/organization"
        params: dict[str, Any] = {
            "filters[status]": status,
            "filters[search]": search,
            "filters[validation]": validation,
            "filters[container_id_for_organization]": (
                None if container_id is None else int_id(container_id, "container_id")
            ),
            "include_validation": True if include_validation else None,
        }
        items = self._core.paginate(path, "organizations", params=params)
        return self._core.parse_list(models.Organization, items, path)

    def delete(self, organization_id: int) -> None:
        """``DELETE /organization/{id}`` (refused for an organization that orders reference)."""
        self._core.request("DELETE", f"/organization/{int_id(organization_id, 'organization_id')}")

    def update_contacts(self, organization_id: int, contacts: Sequence[Mapping[str, Any]]) -> None:
        """``PUT /organization/{id}/contact`` with ``{"contacts": [...]}`` (204).

        Each contact carries ``contact_type`` (``organization_contact``/``technical_contact``);
        omitted optional fields are cleared by DigiCert.
        """
        path = f"/organization/{int_id(organization_id, 'organization_id')}/contact"
        self._core.request("PUT", path, body={"contacts": [dict(c) for c in contacts]})

    def submit_validation(
        self, organization_id: int, validations: Sequence[Mapping[str, Any]]
    ) -> None:
        """``POST /organization/{id}/validation`` with ``{"validations": [...]}``.

        A creating request (not resent once it may have been received).
        """
        path = f"/organization/{int_id(organization_id, 'organization_id')}/validation"
        self._core.request("POST", path, body={"validations": [dict(v) for v in validations]})

    def list_validations(
        self, organization_id: int
    ) -> builtins.list[models.OrganizationValidation]:
        """``GET /organization/{id}/validation``."""
        path = f"/organization/{int_id(organization_id, 'organization_id')}/validation"
        return self._core.parse_list(
            models.OrganizationValidation, self._validations_data(organization_id), path
        )

    def _validations_data(self, organization_id: int) -> builtins.list[Any]:
        path = f"/organization/{int_id(organization_id, 'organization_id')}/validation"
        data = self._core.get(path).data
        items = data.get("validations") if isinstance(data, dict) else None
        return list(items) if isinstance(items, list) else []
