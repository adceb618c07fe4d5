"""Deliberate bugs, planted in a provider host so a test can watch a figure or a guard fail.

A figure that cannot fail is a claim, not a measurement. Each mutation here is one bug class a
published figure guards against; a test plants it and asserts the figure turns red. A mutation
is Python source that a ``sitecustomize`` module runs when the host process starts (the host
imports ``sitecustomize`` from ``PYTHONPATH`` before it unpickles any provider), so the bug
lives in the very process the engine talks to. :func:`host_sitecustomize` writes that module.

Nothing here is used by the provider itself; the campaign, the benchmarks and the tests are
the only callers.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["MUTATIONS", "host_sitecustomize", "mutation_source"]

# Each source runs at host start. They patch classes, never instances, so every provider the
# host unpickles later carries the bug.
MUTATIONS: dict[str, str] = {
    # A misclassified field: a product change would silently keep the old order.
    "product_moved_to_state": """
        from pulumi_digicert.resources._provider import Field, Mode
        from pulumi_digicert.resources.document_signing_order import (
            DocumentSigningOrderProvider as _P,
        )
        _P.fields = tuple(
            Field(f.name, Mode.STATE, f.secret, f.note) if f.name == "product" else f
            for f in _P.fields
        )
    """,
    # The client's rate limiter disabled: requests go out as fast as the threads send them.
    "limiter_disabled": """
        from pulumi_digicert.client._core import RequestCore as _Core
        _Core._limiter = lambda self, auth: None
    """,
    # An order POST whose outcome is unknown is sent again without looking the order up.
    "blind_resend": """
        from pulumi_digicert.client import errors as _errors
        from pulumi_digicert.client.orders import Orders as _Orders
        _original = _Orders.order_document_signing
        def _blind(self, product, body):
            for _ in range(3):
                try:
                    return _original(self, product, body)
                except _errors.OutcomeUnknownError:
                    continue
            return _original(self, product, body)
        _Orders.order_document_signing = _blind
    """,
    # Create trusts the state: it orders without looking alternative_order_id up first, so an
    # order placed by an interrupted `up` is bought again.
    "no_lookup_before_ordering": """
        from pulumi_digicert.resources.document_signing_order import (
            DocumentSigningOrderProvider as _P,
        )
        _P._find_before_ordering = lambda self, args: (None, None)
    """,
    # Refresh trusts the state: every read returns the saved outputs, so drift is never seen.
    "read_returns_saved_state": """
        from pulumi.dynamic import ReadResult
        from pulumi_digicert.resources import PROVIDERS as _PROVIDERS
        def _saved(self, id_, props):
            return ReadResult(id_, {k: v for k, v in props.items() if k != "__provider"})
        for _cls in _PROVIDERS:
            _cls.read = _saved
    """,
    # Diff asks the API (a preview that depends on credentials and on the clock).
    "diff_calls_the_api": """
        from pulumi_digicert.resources.organization import OrganizationProvider as _P
        _diff = _P.diff
        def _diff_online(self, id_, olds, news):
            self.api.finance.balance()
            return _diff(self, id_, olds, news)
        _P.diff = _diff_online
    """,
    # Refresh of an organization reads it twice: one API call more than its minimum.
    "extra_read_call": """
        from pulumi_digicert.resources.organization import OrganizationProvider as _P
        _read = _P.read
        def _read_twice(self, id_, props):
            _read(self, id_, props)
            return _read(self, id_, props)
        _P.read = _read_twice
    """,
    # Read trusts saved state: a damaged order_id crashes it (behind the error boundary).
    "crash_on_damaged_state": """
        from pulumi_digicert.resources import _provider
        from pulumi_digicert.resources.document_signing_order import (
            DocumentSigningOrderProvider as _P,
        )
        _read = _P.read
        def _trusting_read(self, id_, props):
            if int(props["order_id"]) != int(id_):
                raise KeyError("order_id")
            return _read(self, id_, props)
        _P.read = _provider._boundary("read", _trusting_read)
    """,
    # Leaks, one per surface the secret scan claims to cover. The key is read from the
    # configured settings, as a real leak would be.
    "leak_in_host_log": """
        import sys
        from pulumi_digicert.resources._provider import Provider as _P
        _configure = _P.configure
        def _configure_and_print(self, req):
            _configure(self, req)
            key = self._settings.api_key
            if key is not None:
                sys.stderr.write(f"DEBUG configured with {key.get()}\\n")
        _P.configure = _configure_and_print
    """,
    "leak_in_state": """
        from pulumi.dynamic import CreateResult
        from pulumi_digicert.resources.organization import OrganizationProvider as _P
        _create = _P.create
        def _create_with_key(self, props):
            result = _create(self, props)
            return CreateResult(result.id, {**result.outs, "api_key": self.settings.api_key.get()})
        _P.create = _create_with_key
    """,
    "leak_in_error": """
        from pulumi_digicert.resources.organization import OrganizationProvider as _P
        def _create_failing(self, props):
            raise RuntimeError(f"could not create with key {self.settings.api_key.get()}")
        _P.create = _create_failing
    """,
    "leak_in_diff_response": """
        from pulumi.dynamic import DiffResult
        from pulumi_digicert.resources.organization import OrganizationProvider as _P
        def _diff_naming_the_key(self, id_, olds, news):
            return DiffResult(changes=True, replaces=[self.settings.api_key.get()])
        _P.diff = _diff_naming_the_key
    """,
}


def mutation_source(name: str) -> str:
    """The source of one mutation, dedented; ``KeyError`` names the known ones."""
    try:
        return textwrap.dedent(MUTATIONS[name]).strip() + "\n"
    except KeyError:
        raise KeyError(f"unknown mutation {name!r}; known: {sorted(MUTATIONS)}") from None


def host_sitecustomize(directory: str | Path, *, prelude: str = "", mutation: str | None) -> Path:
    """Write ``sitecustomize.py`` into ``directory``: ``prelude`` (e.g. logging set-up) and then
    the mutation's source, if any. Put ``directory`` first on the host's ``PYTHONPATH``."""
    parts = [prelude.rstrip() + "\n"] if prelude else []
    if mutation is not None:
        parts.append(f"# mutation: {mutation}\n{mutation_source(mutation)}")
    path = Path(directory, "sitecustomize.py")
    path.write_text("\n".join(parts) or '"""No mutation."""\n')
    return path
