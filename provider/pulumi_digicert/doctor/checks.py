"""The checks: each one reads a little of the account and gives one assumption a verdict.

The assumptions are the facts the provider depends on that API.md marks INFERRED or leaves as
open questions, plus the shapes the resources read. Every check says which API.md section (and
open question, ``Qn``) its answer settles.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_digicert._numbers import whole_number
from pulumi_digicert.doctor import shapes
from pulumi_digicert.doctor._reading import Sample, items_of, page_total, product_of
from pulumi_digicert.doctor.catalogue import (
    ADMINISTRATOR,
    CHECKS,
    LEGACY_PRODUCTS,
    LIST_LIMIT,
    NEWER_PRODUCTS,
    ORDER_VALIDITY_YEARS,
    SEARCH_LIMIT,
    USER_ROLES,
    VOCABULARY_KEYS,
    finding_for,
)
from pulumi_digicert.doctor.http import Answer, BudgetSpentError, ReadOnlyHttp, segment
from pulumi_digicert.doctor.report import Finding, safe_code

# CHECKS and LEGACY_PRODUCTS keep their public path here (the README tests import them from it).
__all__ = ["CHECKS", "LEGACY_PRODUCTS", "Doctor"]


class Doctor:
    """Runs every check against one account through read-only HTTP layers."""

    def __init__(
        self,
        services: ReadOnlyHttp,
        partner: ReadOnlyHttp | None,
        *,
        sample: int = 3,
        identifying: Iterable[str] = (),
    ) -> None:
        self.services = services
        self.partner = partner
        self.sample_size = sample
        self.identifying: set[str] = {value for value in identifying if value}
        self._samples: dict[str, Sample] = {}
        self._user: Answer | None = None

    # -- reading -----------------------------------------------------------------------

    def _get(self, path: str, params: Mapping[str, str | int] | None = None) -> Answer:
        answer = self.services.get(path, params)
        self._remember(answer.data)
        return answer

    def _remember(self, data: Any, key: str | None = None) -> None:
        """Keep every string an answer holds (except vocabulary words), so no status or error
        code shown in the report can be one of them."""
        if isinstance(data, Mapping):
            for name, value in data.items():
                self._remember(value, str(name))
        elif isinstance(data, list):
            for value in data:
                self._remember(value, key)
        elif isinstance(data, str) and key not in VOCABULARY_KEYS:
            self.identifying.add(data)

    def _describe(self, answer: Answer) -> str:
        if answer.status == 0:
            return f"no answer ({answer.problem})"
        codes = ", ".join(safe_code(code, self.identifying) for code in answer.codes)
        return f"HTTP {answer.status}" + (f" ({codes})" if codes else "")

    def _sample(
        self,
        kind: str,
        path: str,
        key: str,
        params: Mapping[str, str | int],
        info_params: Mapping[str, str | int],
        prefer: Callable[[Mapping[str, Any]], bool],
        *,
        fallback: Mapping[str, str | int] | None = None,
    ) -> Sample:
        """List ``path``, pick up to ``sample`` entries (preferred ones first), read each.

        ``fallback`` is listed instead when ``params`` get a 400 (an optional parameter the
        account does not take)."""
        if kind in self._samples:
            return self._samples[kind]
        listing = self._get(path, params)
        if listing.status == 400 and fallback is not None:
            listing = self._get(path, fallback)
        sample = Sample(listing)
        self._samples[kind] = sample
        if not listing.ok:
            return sample
        sample.entries = items_of(listing, key)
        with_ids = [e for e in sample.entries if whole_number(e.get("id")) is not None]
        chosen = sorted(with_ids, key=lambda entry: not prefer(entry))[: self.sample_size]
        for entry in chosen:
            info = self._get(f"{path}/{whole_number(entry.get('id'))}", info_params)
            sample.infos.append((entry, info))
        return sample

    def _organizations(self) -> Sample:
        def interesting(entry: Mapping[str, Any]) -> bool:
            return isinstance(entry.get("technical_contact"), Mapping) or bool(
                entry.get("validations")
            )

        flags = {"include_validation": "true"}
        return self._sample(
            "organizations",
            "organization",
            "organizations",
            {**flags, "limit": LIST_LIMIT},
            flags,
            interesting,
        )

    def _domains(self) -> Sample:
        return self._sample(
            "domains",
            "domain",
            "domains",
            {"include_validation": "true", "limit": LIST_LIMIT},
            {"include_dcv": "true", "include_validation": "true"},
            lambda entry: bool(entry.get("validations")),
        )

    def _orders(self) -> Sample:
        # Newest first, so the sample reflects what the account does today.
        return self._sample(
            "orders",
            "order/certificate",
            "orders",
            {"limit": LIST_LIMIT, "sort": "-date_created"},
            {},
            lambda entry: product_of(entry).startswith("document_signing"),
            fallback={"limit": LIST_LIMIT},
        )

    # -- running -----------------------------------------------------------------------

    def run(self) -> list[Finding]:
        findings: list[Finding] = []
        api_key = self._guarded("credentials.api_key", self.check_api_key)
        findings.append(api_key)
        steps: list[tuple[str, Callable[[Finding], Finding]]] = [
            ("credentials.role", self.check_role),
            ("credentials.partner_key", self.check_partner_key),
            ("products.document_signing", self.check_products),
            ("products.validity", self.check_validity),
            ("shapes.organizations", self.check_organization_shapes),
            ("shapes.organization_technical_contact", self.check_technical_contact),
            ("shapes.organization_validations", self.check_organization_validations),
            ("shapes.domains", self.check_domain_shapes),
            ("shapes.orders", self.check_order_shapes),
            ("shapes.balance", self.check_balance),
            ("behaviour.organization_search_exact", self.check_organization_search_exact),
            ("behaviour.organization_search_contains", self.check_organization_search_contains),
            ("behaviour.domain_search_exact", self.check_domain_search),
            ("behaviour.alternative_id_unknown", self.check_alternative_id_unknown),
            ("behaviour.alternative_id_known", self.check_alternative_id_known),
            ("behaviour.pagination", self.check_pagination),
        ]
        if self.partner is None:
            steps = [step for step in steps if step[0] != "credentials.partner_key"]
        stop = self._stop_reason()
        for check, run in steps:
            if stop is not None and check != "credentials.partner_key":
                findings.append(finding_for(check).unknown(stop))
            else:
                findings.append(self._guarded(check, run))
        rate_limit = self.check_rate_limit()
        if rate_limit is not None:
            findings.append(rate_limit)
        return findings

    def _guarded(self, check: str, run: Callable[[Finding], Finding]) -> Finding:
        finding = finding_for(check)
        try:
            return run(finding)
        except BudgetSpentError:
            return finding.unknown(
                "not checked: the request budget ran out (raise it with --max-requests)"
            )

    def _stop_reason(self) -> str | None:
        """Why the account checks cannot run at all, or None."""
        user = self._user
        if user is None:
            return "not checked: the request budget ran out (raise it with --max-requests)"
        if user.status in (401, 403):
            return "not checked: the API key was refused"
        if user.status == 0:
            return "not checked: DigiCert did not answer"
        return None

    # -- credentials -------------------------------------------------------------------

    def check_api_key(self, finding: Finding) -> Finding:
        self._user = user = self._get("user/me")
        if user.ok:
            return finding.holds()
        if user.status in (401, 403):
            return finding.differs(f"GET /user/me answered {self._describe(user)}")
        return finding.unknown(f"GET /user/me answered {self._describe(user)}")

    def check_role(self, finding: Finding) -> Finding:
        user = self._user
        if user is None or not user.ok:
            return finding.unknown("the user info could not be read")
        roles = [
            role_id
            for role in items_of(user, "access_roles")
            if (role_id := whole_number(role.get("id"))) is not None
        ]
        if not roles:
            return finding.unknown("GET /user/me named no access role")
        named = ", ".join(f"{USER_ROLES.get(role, 'role')} ({role})" for role in sorted(roles))
        key_note = "API key restrictions (key roles 100-103) are not visible to the key itself"
        if ADMINISTRATOR in roles:
            return finding.holds(f"the user's roles: {named}", key_note)
        return finding.differs(f"the user's roles: {named}", key_note)

    def check_partner_key(self, finding: Finding) -> Finding:
        assert self.partner is not None
        answer = self.partner.get("account/settings")
        self._remember(answer.data)
        if answer.ok:
            return finding.holds()
        if answer.status in (401, 403):
            return finding.differs(f"GET /account/settings answered {self._describe(answer)}")
        return finding.unknown(f"GET /account/settings answered {self._describe(answer)}")

    # -- products ----------------------------------------------------------------------

    def _product_list(self) -> Answer:
        if "products" not in self._samples:
            self._samples["products"] = Sample(self._get("product"))
        return self._samples["products"].listing

    def check_products(self, finding: Finding) -> Finding:
        answer = self._product_list()
        if not answer.ok:
            return finding.unknown(f"GET /product answered {self._describe(answer)}")
        offered = {entry.get("name_id") for entry in items_of(answer, "products")}
        newer = [name for name in NEWER_PRODUCTS if name in offered]
        newer_note = (
            [f"newer document signing products offered: {', '.join(newer)}"] if newer else []
        )
        missing = [name for name in LEGACY_PRODUCTS if name not in offered]
        if missing:
            return finding.differs(f"not offered: {', '.join(missing)}", *newer_note)
        return finding.holds(f"offered: {', '.join(LEGACY_PRODUCTS)}", *newer_note)

    def check_validity(self, finding: Finding) -> Finding:
        answer = self._product_list()
        if not answer.ok:
            return finding.unknown(f"GET /product answered {self._describe(answer)}")
        listed = {entry.get("name_id"): entry for entry in items_of(answer, "products")}
        offered = [name for name in LEGACY_PRODUCTS if name in listed]
        if not offered:
            return finding.unknown("neither legacy document signing product is offered")
        short: list[str] = []
        seen: list[str] = []
        for name in offered:
            info = self._get(f"product/{segment(name)}")
            years = self._validity_years(info.data if info.ok else None) or self._validity_years(
                listed[name]
            )
            if years is None:
                return finding.unknown(f"{name}: no allowed validity years were returned")
            text = f"{name}: {', '.join(map(str, years)) or 'none'} year(s)"
            seen.append(text)
            if not set(ORDER_VALIDITY_YEARS) <= set(years):
                short.append(text)
        if short:
            return finding.differs(*short, "the provider accepts validity_years 1 to 3")
        return finding.holds(*seen)

    @staticmethod
    def _validity_years(product: Any) -> list[int] | None:
        if not isinstance(product, Mapping):
            return None
        for key in ("allowed_order_validity_years", "allowed_validity_years"):
            years = product.get(key)
            if isinstance(years, list):
                return sorted(
                    {
                        y
                        for y in years
                        if isinstance(y, int) and not isinstance(y, bool) and 0 < y < 100
                    }
                )
        return None

    # -- shapes ------------------------------------------------------------------------

    def _shape_finding(
        self,
        finding: Finding,
        sample: Sample,
        what: str,
        entry_shape: shapes.Shape,
        info_shape: shapes.Shape,
    ) -> Finding:
        if not sample.listing.ok:
            return finding.unknown(f"the {what} list answered {self._describe(sample.listing)}")
        if not sample.entries:
            return finding.unknown(f"the account has no {what}s to compare")
        tally = shapes.Tally()
        tally.add(shapes.PAGE, (sample.listing.data or {}).get("page"), self.identifying)
        tally.add_all(entry_shape, sample.entries, self.identifying)
        failed = [info for _, info in sample.infos if not info.ok]
        for _, data in sample.readable():
            tally.add(info_shape, data, self.identifying)
        finding.fields = tally.rows()
        observed = [f"{len(sample.readable())} {what} info answer(s) compared"]
        refused = [info for info in failed if info.answered]
        for info in refused:
            observed.append(f"{what} info for an id from the list answered {self._describe(info)}")
        if tally or refused:
            return finding.differs(*observed)
        if failed:
            return finding.unknown(
                *observed, f"{len(failed)} {what} info request(s) got no usable answer"
            )
        return finding.holds(*observed)

    def check_organization_shapes(self, finding: Finding) -> Finding:
        return self._shape_finding(
            finding, self._organizations(), "organization", shapes.ORGANIZATION, shapes.ORGANIZATION
        )

    def check_domain_shapes(self, finding: Finding) -> Finding:
        return self._shape_finding(
            finding, self._domains(), "domain", shapes.DOMAIN_LIST_ENTRY, shapes.DOMAIN_INFO
        )

    def check_order_shapes(self, finding: Finding) -> Finding:
        return self._shape_finding(
            finding, self._orders(), "order", shapes.ORDER_LIST_ENTRY, shapes.ORDER_INFO
        )

    def _listed_but_not_in_info(
        self, finding: Finding, member: str, present: Callable[[Any], bool], advice: str
    ) -> Finding:
        sample = self._organizations()
        if not sample.listing.ok:
            return finding.unknown(
                f"the organization list answered {self._describe(sample.listing)}"
            )
        readable = sample.readable()
        if not readable:
            return finding.unknown("no organization info could be read")
        in_info = [data for _, data in readable if present(data.get(member))]
        only_listed = [
            entry
            for entry, data in readable
            if present(entry.get(member)) and not present(data.get(member))
        ]
        if only_listed:
            return finding.differs(
                f"{len(only_listed)} of {len(readable)} organization(s) show {member} in the "
                "list but not in their info"
            )
        if in_info:
            return finding.holds(
                f"organization info returned {member} for {len(in_info)} of {len(readable)} "
                "organization(s)"
            )
        return finding.unknown(
            f"none of the {len(readable)} organization(s) inspected shows {member}, in the list "
            f"or in its info; {advice}"
        )

    def check_technical_contact(self, finding: Finding) -> Finding:
        return self._listed_but_not_in_info(
            finding,
            "technical_contact",
            lambda value: isinstance(value, Mapping),
            "give one a technical contact in CertCentral and run again to tell",
        )

    def check_organization_validations(self, finding: Finding) -> Finding:
        return self._listed_but_not_in_info(
            finding,
            "validations",
            lambda value: isinstance(value, list) and bool(value),
            "run again once one has been submitted for validation",
        )

    def check_balance(self, finding: Finding) -> Finding:
        answer = self._get("finance/balance")
        container = self._user_container()
        if answer.status == 400 and container is not None:
            # Accounts with several divisions must name one (API.md D1).
            answer = self._get("finance/balance", {"container_id": container})
        if not answer.ok:
            verdict = finding.differs if answer.status == 404 else finding.unknown
            return verdict(f"GET /finance/balance answered {self._describe(answer)}")
        tally = shapes.Tally()
        tally.add(shapes.BALANCE, answer.data, self.identifying)
        finding.fields = tally.rows()
        return finding.differs() if tally else finding.holds()

    def _user_container(self) -> int | None:
        data = self._user.data if self._user is not None and self._user.ok else None
        container = data.get("container") if isinstance(data, Mapping) else None
        return whole_number(container.get("id")) if isinstance(container, Mapping) else None

    # -- behaviours --------------------------------------------------------------------

    def _search(
        self, finding: Finding, path: str, key: str, term: str, target: int, what: str
    ) -> Finding:
        answer = self._get(path, {"filters[search]": term, "limit": SEARCH_LIMIT})
        if not answer.answered:
            return finding.unknown(f"the search answered {self._describe(answer)}")
        if not answer.ok:
            return finding.differs(f"the search answered {self._describe(answer)}")
        items = items_of(answer, key)
        if any(whole_number(item.get("id")) == target for item in items):
            return finding.holds(f"found the {what} among {len(items)} result(s)")
        total = page_total(answer)
        if total is not None and total > len(items):
            return finding.unknown(
                f"the {what} was not among the first {len(items)} of {total} results"
            )
        return finding.differs(f"the {len(items)} result(s) did not include the {what}")

    def _named(self, sample: Sample) -> tuple[str, int] | None:
        for entry, _ in sample.infos:
            name, object_id = entry.get("name"), whole_number(entry.get("id"))
            if isinstance(name, str) and name.strip() and object_id is not None:
                return name, object_id
        return None

    def check_organization_search_exact(self, finding: Finding) -> Finding:
        named = self._named(self._organizations())
        if named is None:
            return finding.unknown("the account has no organization to search for")
        return self._search(
            finding, "organization", "organizations", named[0], named[1], "organization"
        )

    def check_organization_search_contains(self, finding: Finding) -> Finding:
        named = self._named(self._organizations())
        if named is None:
            return finding.unknown("the account has no organization to search for")
        return self._search(
            finding, "organization", "organizations", "%" + named[0], named[1], "organization"
        )

    def check_domain_search(self, finding: Finding) -> Finding:
        named = self._named(self._domains())
        if named is None:
            return finding.unknown("the account has no domain to search for")
        return self._search(finding, "domain", "domains", named[0], named[1], "domain")

    def check_alternative_id_unknown(self, finding: Finding) -> Finding:
        # Alphanumeric like the provider's ids, and long enough that no order carries it.
        probe = "doctorprobe" + secrets.token_hex(16)
        answer = self._get(f"order/alternate/{probe}")
        if answer.status == 404:
            return finding.holds(f"answered {self._describe(answer)}")
        if not answer.answered:
            return finding.unknown(f"answered {self._describe(answer)}")
        if answer.ok:
            orders = items_of(answer, "orders")
            if not orders:
                return finding.differs(
                    "answered HTTP 200 with an empty list instead of 404 (the provider reads "
                    "both as 'no order')"
                )
            return finding.differs(f"listed {len(orders)} order(s) for an id no order carries")
        return finding.differs(
            f"answered {self._describe(answer)}: the provider cannot tell whether an order "
            "exists, so it would refuse to buy"
        )

    def check_alternative_id_known(self, finding: Finding) -> Finding:
        sample = self._orders()
        carried = [
            (order_id, data["alternative_order_id"])
            for _, data in sample.readable()
            if isinstance(data.get("alternative_order_id"), str)
            and data["alternative_order_id"]
            and (order_id := whole_number(data.get("id"))) is not None
        ]
        if not carried:
            return finding.unknown(
                "none of the orders inspected carries an alternative_order_id (every order the "
                "provider places does)"
            )
        order_id, alternative_id = carried[0]
        answer = self._get(f"order/alternate/{segment(alternative_id)}")
        if not answer.answered:
            return finding.unknown(f"answered {self._describe(answer)}")
        if not answer.ok:
            return finding.differs(
                f"answered {self._describe(answer)} for the alternative id of an existing order: "
                "the provider would not find its own order"
            )
        tally = shapes.Tally()
        tally.add(shapes.PAGE, (answer.data or {}).get("page"), self.identifying)
        entries = items_of(answer, "orders")
        tally.add_all(shapes.ALTERNATE_ORDER, entries, self.identifying)
        finding.fields = tally.rows()
        if not any(whole_number(entry.get("order_id")) == order_id for entry in entries):
            return finding.differs(
                f"the {len(entries)} order(s) listed did not include the order that carries the id"
            )
        if tally:
            return finding.differs("the order is listed, but the entries differ in shape")
        return finding.holds(f"listed the order ({len(entries)} order(s) carry the id)")

    def check_pagination(self, finding: Finding) -> Finding:
        for path, key, what in (
            ("organization", "organizations", "organization"),
            ("domain", "domains", "domain"),
        ):
            first = self._get(path, {"limit": 1, "offset": 0})
            if not first.ok:
                return finding.unknown(f"the {what} list answered {self._describe(first)}")
            total = page_total(first)
            if total is None:
                return finding.differs(f"the {what} list has no integer page.total")
            if total < 2:
                continue
            second = self._get(path, {"limit": 1, "offset": 1})
            if not second.ok:
                return finding.unknown(f"the second {what} page answered {self._describe(second)}")
            return self._pages(finding, what, first, second, key, total)
        return finding.unknown(
            "fewer than two organizations and two domains: paging cannot be seen"
        )

    def _pages(
        self, finding: Finding, what: str, first: Answer, second: Answer, key: str, total: int
    ) -> Finding:
        tally = shapes.Tally()
        for answer in (first, second):
            tally.add(shapes.PAGE, (answer.data or {}).get("page"), self.identifying)
        finding.fields = tally.rows()
        pages = [items_of(first, key), items_of(second, key)]
        problems = [f"limit=1 returned {len(items)} {what}s" for items in pages if len(items) != 1]
        ids = [whole_number(items[0].get("id")) for items in pages if items]
        if len(ids) == 2 and ids[0] == ids[1]:
            problems.append("offset=1 returned the same item as offset=0")
        if page_total(second) != total:
            problems.append("page.total changed between pages")
        if problems or tally:
            return finding.differs(*problems)
        return finding.holds(f"{what} pages of one item, {total} in all")

    def check_rate_limit(self) -> Finding | None:
        """Only when DigiCert answered 429 during the run: there is nothing to see otherwise."""
        traffic = self.services.traffic
        if not traffic.rate_limited:
            return None
        finding = finding_for("behaviour.rate_limit")
        codes = sorted({safe_code(code, self.identifying) for code in traffic.rate_limit_codes})
        observed = [
            f"{traffic.rate_limited} rate-limit answer(s), Retry-After sent with "
            f"{traffic.retry_after_seen}",
            f"codes: {', '.join(codes) or 'none'}",
        ]
        if codes == ["request_limit_exceeded"]:
            return finding.holds(*observed)
        return finding.differs(*observed)
