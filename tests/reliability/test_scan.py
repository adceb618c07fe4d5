"""The secret scanner: it finds a secret in every form, counts texts once per surface, and
refuses a surface it does not claim."""

from __future__ import annotations

import base64
import pickle

import pytest

from qa.reliability.scan import CampaignSecrets, SecretScanner


def test_the_scanner_finds_a_secret_wherever_it_is() -> None:
    secrets = CampaignSecrets.for_seed(1)
    scanner = SecretScanner(secrets)
    card = secrets.card_numbers[0]
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    scanner.scan("host log lines", "a log line", f"charging {grouped}")
    scanner.scan("grpc responses", "bytes", secrets.api_key.encode())
    blob = base64.b64encode(pickle.dumps({"key": secrets.partner_api_key})).decode()
    scanner.scan_json("state", "outputs", {"__provider": blob})
    scanner.scan("host log lines", "clean", "nothing to see")
    figures = scanner.figures()
    assert figures["leaks"] == 3
    assert set(figures["leaks_by_secret"]) == {
        "card number 1 (grouped)",
        "api key",
        "partner api key",
    }
    assert figures["leaks_by_surface"] == {
        "host log lines": 1,
        "grpc responses": 1,
        "provider blobs": 1,
    }
    assert card not in repr(figures)


def test_the_scanner_counts_a_repeated_text_once_per_surface() -> None:
    scanner = SecretScanner(CampaignSecrets.for_seed(1))
    for _ in range(3):
        scanner.scan("grpc responses", "check", "same answer")
    scanner.scan("state", "outputs", "same answer")
    scanner.scan_lines("host log lines", "stderr", "line one\nline two\n\nline one\n")
    figures = scanner.figures()
    assert figures["distinct_texts_by_surface"]["grpc responses"] == 1
    assert figures["distinct_texts_by_surface"]["state"] == 1
    assert figures["distinct_texts_by_surface"]["host log lines"] == 2
    assert figures["repeats_not_counted"] == 3


def test_the_scanner_refuses_a_surface_it_does_not_claim() -> None:
    with pytest.raises(ValueError, match="unknown surface"):
        SecretScanner(CampaignSecrets.for_seed(1)).scan("elsewhere", "x", "text")
