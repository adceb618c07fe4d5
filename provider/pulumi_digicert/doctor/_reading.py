"""Reading the doctor's answers: list entries, page totals, the product of an order, and the
sample of a list the shape checks read (ids are read by :mod:`pulumi_digicert._numbers`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_digicert._numbers import whole_number
from pulumi_digicert.doctor.http import Answer

__all__ = ["Sample", "items_of", "page_total", "product_of"]


def items_of(answer: Answer, key: str) -> list[Mapping[str, Any]]:
    data = answer.data
    items = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping)]


def page_total(answer: Answer) -> int | None:
    page = answer.data.get("page") if isinstance(answer.data, Mapping) else None
    return whole_number(page.get("total")) if isinstance(page, Mapping) else None


def product_of(entry: Mapping[str, Any]) -> str:
    product = entry.get("product")
    name = entry.get("product_name_id") or (
        product.get("name_id") if isinstance(product, Mapping) else None
    )
    return name if isinstance(name, str) else ""


@dataclass
class Sample:
    """A list answer, the entries picked from it, and each picked entry's info answer."""

    listing: Answer
    entries: list[Mapping[str, Any]] = field(default_factory=list)
    infos: list[tuple[Mapping[str, Any], Answer]] = field(default_factory=list)

    def readable(self) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        return [
            (entry, info.data)
            for entry, info in self.infos
            if info.ok and isinstance(info.data, Mapping)
        ]
