"""The error boundary of every provider: what leaves create/read/update/delete/configure/diff is
one sentence, without a chained cause or the frames below the boundary, and never the text of an
unexpected exception (it may quote a secret input)."""

from __future__ import annotations

import traceback
from typing import Any, ClassVar

import pytest
from pulumi.dynamic import CreateResult

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.client import errors
from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.resources._args import Args
from pulumi_digicert.resources._provider import Provider

SECRET = "Sx4secretInAnException"


class _Args(Args):
    name: str


class _Failing(Provider):
    args_model = _Args
    raised: ClassVar[list[Exception]] = []

    def create(self, props: dict[str, Any]) -> CreateResult:
        try:
            raise ConnectionError("underlying")
        except ConnectionError as inner:
            raise self.raised[0] from inner


def _fail_with(exc: Exception) -> Exception:
    _Failing.raised[:] = [exc]
    with pytest.raises((ResourceError, errors.DigiCertError)) as caught:
        _Failing().create({})
    return caught.value


def test_every_resource_provider_has_the_boundary_on_every_operation() -> None:
    for provider in PROVIDERS:
        for name in ("configure", "create", "read", "update", "delete", "diff"):
            method = getattr(provider, name)
            assert getattr(method, "__digicert_boundary__", False), (provider.__name__, name)


def test_an_unexpected_exception_becomes_a_sentence_without_its_text() -> None:
    failure = _fail_with(KeyError(f"card {SECRET}"))
    assert type(failure) is ResourceError
    assert SECRET not in str(failure) + repr(failure)
    assert "KeyError" in str(failure)
    assert failure.__cause__ is None
    assert failure.__suppress_context__
    text = "".join(traceback.format_exception(failure))
    assert "During handling" not in text
    assert "direct cause" not in text
    assert SECRET not in text


def test_a_client_error_keeps_its_class_and_reads_as_one_sentence() -> None:
    error = errors.AuthenticationError(
        "DigiCert API GET /organization failed (401): unauthorized: bad key",
        method="GET",
        path="/organization",
        status=401,
        errors=[errors.ApiErrorDetail("unauthorized", "bad key")],
    )
    failure = _fail_with(error)
    assert type(failure) is errors.AuthenticationError
    assert failure.status == 401
    assert str(failure) == errors.user_message(error)
    assert "digicert:apiKey" in str(failure)
    assert failure.__cause__ is None


def test_a_resource_error_keeps_its_words_on_one_line() -> None:
    failure = _fail_with(ResourceError("Order 5 cannot be canceled:\n  run the delete again."))
    assert type(failure) is ResourceError
    assert str(failure) == "Order 5 cannot be canceled: run the delete again."


def test_only_the_boundary_frame_is_below_the_caller() -> None:
    failure = _fail_with(ValueError("deep"))
    frames = traceback.extract_tb(failure.__traceback__)
    # The test's own frame and the boundary: nothing from inside the provider method.
    assert [f.name for f in frames] == ["_fail_with", "guarded"]
