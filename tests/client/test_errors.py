"""Error mapping: status classes, both envelope shapes, non-JSON bodies, no key anywhere."""

from __future__ import annotations

import pickle

import httpx
import pytest

from pulumi_digicert.client import DigiCertClient, errors

from .conftest import (
    API_KEY,
    BILLING_KEY,
    PARTNER_KEY,
    ClientFactory,
    Recorder,
    error_response,
    json_response,
)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (422, errors.APIStatusError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
        (501, errors.ServerError),
        (503, errors.ServerError),
    ],
)
def test_status_maps_to_its_error_class(
    status: int,
    error_class: type[errors.APIStatusError],
    make_client: ClientFactory,
    recorder: Recorder,
) -> None:
    client = make_client(settings={"max_retries": 0})
    recorder.handler = lambda request: error_response(status, "some_code|detail", "It failed")
    with pytest.raises(error_class) as caught:
        client.organizations.get(1001)
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, errors.DigiCertError)
    assert (error.method, error.path, error.status) == ("GET", "/organization/1001", status)
    assert error.errors == [errors.ApiErrorDetail("some_code|detail", "It failed")]
    assert error.codes == ["some_code"]
    assert error.has_code("some_code")
    assert error.has_code("some_code|detail")
    assert not error.has_code("some_code|other")
    assert str(error) == (
        f"DigiCert API GET /organization/1001 failed ({status}): some_code|detail: It failed"
    )


def test_every_error_of_the_array_envelope_is_kept(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(
        json_response(
            400,
            {
                "errors": [
                    {"code": "invalid_field", "message": "name is required"},
                    {"code": "invalid_field", "message": "country is invalid"},
                ]
            },
        )
    )
    with pytest.raises(errors.BadRequestError) as caught:
        client.organizations.create({})
    assert [d.message for d in caught.value.errors] == ["name is required", "country is invalid"]
    assert str(caught.value) == (
        "DigiCert API POST /organization failed (400): invalid_field: name is required; "
        "invalid_field: country is invalid"
    )


def test_object_envelope_is_accepted(client: DigiCertClient, recorder: Recorder) -> None:
    recorder.responses.append(
        json_response(
            404, {"errors": {"code": "not_found|route", "message": "The route was not found."}}
        )
    )
    with pytest.raises(errors.NotFoundError) as caught:
        client.orders.get(5)
    assert caught.value.codes == ["not_found"]
    assert "not_found|route: The route was not found." in str(caught.value)


def test_non_json_error_body_is_quoted_truncated(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(settings={"max_retries": 0})
    page = "<html><body>" + "Scheduled maintenance. " * 50 + "</body></html>"
    recorder.responses.append(httpx.Response(503, text=page))
    with pytest.raises(errors.ServerError) as caught:
        client.orders.get(5)
    message = str(caught.value)
    assert message.startswith("DigiCert API GET /order/certificate/5 failed (503): <html><body>")
    assert message.endswith("... (truncated)")
    assert len(message) < 300
    assert caught.value.errors == []


def test_empty_error_body_says_so(client: DigiCertClient, recorder: Recorder) -> None:
    recorder.responses.append(httpx.Response(403))
    with pytest.raises(errors.PermissionDeniedError, match=r"\(403\): empty response body"):
        client.finance.balance()


def test_json_error_without_envelope_quotes_the_body(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(json_response(400, {"detail": "nope"}))
    with pytest.raises(errors.BadRequestError, match=r"\(400\): \{\"detail\":\"nope\"\}"):
        client.domains.activate(1)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("duplicate_alternative_order_id", "Duplicate."),
        ("invalid_field", "The alternative order ID is already in use."),
        ("invalid_request", "alternative_order_id must be unique"),
    ],
)
def test_order_refused_for_a_taken_alternative_order_id(
    code: str, message: str, client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(error_response(400, code, message))
    with pytest.raises(errors.AlternativeOrderIdTakenError) as caught:
        client.orders.order_document_signing("document_signing_org_1", {})
    assert isinstance(caught.value, errors.BadRequestError)
    assert caught.value.status == 400


def test_other_bad_order_is_a_plain_bad_request(client: DigiCertClient, recorder: Recorder) -> None:
    recorder.responses.append(error_response(400, "invalid_field", "order_validity is required"))
    with pytest.raises(errors.BadRequestError) as caught:
        client.orders.order_document_signing("document_signing_org_1", {})
    assert type(caught.value) is errors.BadRequestError


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        # A recorded CertCentral exchange: an unknown or revoked key.
        ("access_denied|access_denied_invalid_key", errors.AuthenticationError),
        # Documented: the key is fine, its role may not do this.
        ("access_denied|missing_permission", errors.PermissionDeniedError),
        ("access_denied", errors.PermissionDeniedError),
    ],
)
def test_a_403_is_an_invalid_key_only_when_certcentral_says_so(
    code: str, error_class: type[errors.APIStatusError], client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(error_response(403, code, "Access denied."))
    with pytest.raises(errors.APIStatusError) as caught:
        client.organizations.delete(1001)
    assert type(caught.value) is error_class
    says_key_refused = "does not accept the API key" in str(caught.value)
    assert says_key_refused is (error_class is errors.AuthenticationError)


def test_non_json_success_body_is_an_invalid_response(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(httpx.Response(200, text="<html>login</html>"))
    with pytest.raises(errors.InvalidResponseError, match="not JSON"):
        client.orders.get(5)


def test_created_response_without_id_is_an_unknown_outcome(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(json_response(201, {"requests": []}))
    with pytest.raises(errors.OutcomeUnknownError) as caught:
        client.orders.order_document_signing("document_signing_org_1", {})
    assert isinstance(caught.value.cause, errors.InvalidResponseError)


def test_server_echoing_the_key_is_redacted_from_messages(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(error_response(401, "invalid_key", f"The key {API_KEY} is not valid"))
    with pytest.raises(errors.AuthenticationError) as caught:
        client.orders.get(5)
    error = caught.value
    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert API_KEY not in repr(error.errors)
    assert "The key **** is not valid" in str(error)


def test_partner_error_echoing_any_key_is_redacted(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(
        httpx.Response(400, text=f"bad headers: {PARTNER_KEY} / {BILLING_KEY} / {API_KEY}")
    )
    with pytest.raises(errors.BadRequestError) as caught:
        client.partner.link_billing_account(BILLING_KEY)
    text = str(caught.value) + repr(caught.value)
    for key in (PARTNER_KEY, BILLING_KEY, API_KEY):
        assert key not in text


def _all_text(error: BaseException) -> str:
    parts = []
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.extend([str(current), repr(current), repr(vars(current))])
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


@pytest.mark.parametrize(
    "failure",
    [
        error_response(400, "invalid_field", "nope"),
        error_response(429, "request_limit_exceeded", "slow down"),
        httpx.Response(502, text="bad gateway"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["400", "429", "502", "connect", "read-timeout", "dropped"],
)
def test_no_key_in_any_error_text_or_repr(
    failure: httpx.Response | Exception, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(settings={"max_retries": 1})
    recorder.responses.extend([failure, failure])
    for call in (
        lambda: client.orders.get(5),
        lambda: client.orders.order_document_signing("document_signing_org_1", {}),
        lambda: client.partner.link_billing_account(BILLING_KEY),
    ):
        recorder.responses[:] = [failure, failure]
        with pytest.raises(errors.DigiCertError) as caught:
            call()
        text = _all_text(caught.value)
        for key in (API_KEY, PARTNER_KEY, BILLING_KEY):
            assert key not in text


def test_errors_carry_no_http_request() -> None:
    error = errors.OutcomeUnknownError(
        errors.APITimeoutError("timed out", method="POST", path="/domain")
    )
    assert not any(isinstance(v, httpx.Request | httpx.Response) for v in vars(error).values())
    assert pickle.loads(pickle.dumps(error.cause)).message == "timed out"
    copied = pickle.loads(pickle.dumps(error))
    assert (copied.cause.message, copied.path, str(copied)) == ("timed out", "/domain", str(error))


# -- what a person reads ------------------------------------------------------------------------


def _sentence(text: str) -> bool:
    import re

    return text.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", text[:-1]) and "\n" not in text


def _status(cls: type[errors.APIStatusError], status: int, code: str) -> errors.APIStatusError:
    return cls(
        f"DigiCert API GET /x failed ({status})",
        method="GET",
        path="/x",
        status=status,
        errors=[errors.ApiErrorDetail(code, "what DigiCert said")],
    )


@pytest.mark.parametrize(
    ("error", "names"),
    [
        (_status(errors.AuthenticationError, 401, "unauthorized"), "digicert:apiKey"),
        (_status(errors.PermissionDeniedError, 403, "access_denied"), "digicert:apiKey"),
        (_status(errors.NotFoundError, 404, "not_found|route"), "digicert:baseUrl"),
        (_status(errors.NotFoundError, 404, "not_found|product"), "product"),
        (_status(errors.NotFoundError, 404, "not_found|organization"), "organization_id"),
        (_status(errors.RateLimitError, 429, "request_limit_exceeded"), "digicert:rateLimitBurst"),
        (_status(errors.ServerError, 503, "maintenance"), "digicert:maxRetries"),
        (_status(errors.BadRequestError, 400, "insufficient_funds"), "payment_method"),
        (_status(errors.BadRequestError, 400, "invalid_dcv_method"), "dcv_method"),
        (_status(errors.BadRequestError, 400, "card_declined"), "credit_card"),
        (_status(errors.BadRequestError, 400, "invalid_field|name"), "the input it names"),
        (
            errors.APIConnectionError("x", method="GET", path="/x", request_sent=False),
            "digicert:baseUrl",
        ),
        (errors.APITimeoutError("x", method="GET", path="/x"), "digicert:requestTimeout"),
        (
            errors.InvalidResponseError("x", method="GET", path="/x", reason="not JSON"),
            "digicert:baseUrl",
        ),
        (
            errors.OutcomeUnknownError(_status(errors.ServerError, 503, "x")),
            "run `pulumi up` again",
        ),
        (
            errors.OutcomeUnknownError(
                errors.InvalidResponseError("x", method="POST", path="/x", status=201),
                accepted=True,
            ),
            "was not sent again",
        ),
        (errors.ConfigError("digicert:maxRetries must be a whole number"), "digicert:maxRetries"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_every_error_reads_as_one_sentence_naming_what_to_change(
    error: errors.DigiCertError, names: str
) -> None:
    message = errors.user_message(error)
    assert _sentence(message), message
    assert names in message
    assert len(message) <= errors.MESSAGE_CHARS


def test_a_partner_request_names_the_partner_settings() -> None:
    error = _status(errors.NotFoundError, 404, "not_found|route")
    error.base_url_setting = "digicert:partnerBaseUrl"
    assert "digicert:partnerBaseUrl" in errors.user_message(error)
    assert "/partner-subscription/api/v1" in errors.user_message(error)


def test_a_billing_key_that_names_no_account_says_to_set_billing_account_api_key() -> None:
    from pulumi_digicert.client.errors import ApiErrorDetail, BadRequestError, user_message

    refused = BadRequestError(
        "refused",
        method="PUT",
        path="/finance/account-link",
        status=400,
        errors=[
            ApiErrorDetail(
                code="invalid_api_key|X-DC-DEVKEY",
                message="The X-DC-DEVKEY API key does not resolve to a CertCentral account.",
            )
        ],
    )
    assert user_message(refused).endswith(
        "set billing_account_api_key to an active API key of the CertCentral account that pays."
    )
