"""No key in a repr, and the client refuses to be pickled."""

from __future__ import annotations

import copy
import pickle

import pytest

from pulumi_digicert.client import DigiCertClient

from .conftest import API_KEY, PARTNER_KEY, Recorder


def test_client_repr_shows_urls_and_no_key(client: DigiCertClient, recorder: Recorder) -> None:
    client.domains.activate(1)  # opens the connection pool
    texts = [
        repr(client),
        str(client),
        repr(client.settings),
        repr(client._core),
        repr(client._core.http),
        repr(client.organizations.__dict__),
    ]
    for text in texts:
        assert API_KEY not in text
        assert PARTNER_KEY not in text
    assert "certcentral.test" in repr(client)


def test_http_client_default_headers_hold_no_key(client: DigiCertClient) -> None:
    headers = client._core.http.headers
    assert "X-DC-DEVKEY" not in headers
    assert "X-PARTNER-APIKEY" not in headers
    assert API_KEY not in repr(headers)


def test_client_is_never_pickled(client: DigiCertClient) -> None:
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(client)
    with pytest.raises(TypeError, match="never pickled"):
        copy.deepcopy(client)


def test_auth_repr_hides_headers(client: DigiCertClient) -> None:
    auth = client._core.services_auth()
    assert API_KEY not in repr(auth)
    partner = client._core.partner_auth("billing-key-xyz")
    assert PARTNER_KEY not in repr(partner)
    assert "billing-key-xyz" not in repr(partner)
