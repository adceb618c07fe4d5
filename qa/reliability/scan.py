"""What the campaign scans for secrets, and where: the run's distinctive keys and card numbers,
the scanner that counts every text by surface, a provider host whose every answer is scanned,
the host's DEBUG logging and this process's log records.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.testing import PROVIDER_KEY, HostError, ProviderHost, from_struct
from qa.mutations import host_sitecustomize

#: Input names whose values are secrets (from the resources' field tables). The engine marks
#: them secret in state; a Check response echoes them back to the engine as part of the inputs.
SECRET_INPUTS: frozenset[str] = frozenset(
    f.name for provider in PROVIDERS for f in provider.fields if f.secret
)


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the Luhn check digit (a card number the sandbox accepts)."""
    total = 0
    for index, char in enumerate(reversed(prefix + "0")):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return prefix + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class CampaignSecrets:
    """The distinctive credentials and card numbers one campaign run uses (derived from the seed,
    so a run is reproducible, yet unlike anything else in the code base)."""

    api_key: str
    partner_api_key: str
    billing_api_keys: tuple[str, ...]
    card_numbers: tuple[str, ...]

    @classmethod
    def for_seed(cls, seed: int) -> CampaignSecrets:
        def token(label: str, length: int = 24) -> str:
            return hashlib.sha256(f"{seed}:{label}".encode()).hexdigest()[:length]

        def card(label: str) -> str:
            digits = str(int(token(label, 15), 16))[:14].rjust(14, "7")
            return luhn_complete("4" + digits)

        return cls(
            api_key=f"relCCkey{token('api')}",
            partner_api_key=f"relPartnerKey{token('partner')}",
            billing_api_keys=(f"relBillingKey{token('billing-1')}", f"relBillingKey{token('b2')}"),
            card_numbers=(card("card-1"), card("card-2")),
        )

    def named(self) -> list[tuple[str, str]]:
        """``(label, value)`` for every secret; labels are what a leak report shows."""
        named = [("api key", self.api_key), ("partner api key", self.partner_api_key)]
        named += [(f"billing api key {i + 1}", k) for i, k in enumerate(self.billing_api_keys)]
        named += [(f"card number {i + 1}", n) for i, n in enumerate(self.card_numbers)]
        # A card number also counts as leaked in the grouped form people type it in.
        named += [
            (f"card number {i + 1} (grouped)", " ".join(n[j : j + 4] for j in range(0, len(n), 4)))
            for i, n in enumerate(self.card_numbers)
        ]
        return named


@dataclass
class Leak:
    where: str
    secret: str
    """The secret's label (never its value)."""
    surface: str = ""


#: The surfaces the secret scan covers, each a kind of text a secret could land in.
SURFACES: tuple[str, ...] = (
    "grpc responses",
    "state",
    "provider blobs",
    "host log lines",
    "process log lines",
    "error messages",
    "sandbox responses",
    "report",
)


class SecretScanner:
    """Counts every distinct text the campaign produced, by surface, and every secret found.

    A text already scanned on a surface is not counted again (a fuzzed Check echoes the same
    inputs many times; every program blob of one class is the same), so the figures are distinct
    texts. Texts are not kept, only their digests; a leak records where and which secret (by
    label), never the value.
    """

    def __init__(self, secrets: CampaignSecrets) -> None:
        self._secrets = [(label, value) for label, value in secrets.named() if value]
        self._lock = threading.Lock()
        self.scanned: Counter[str] = Counter()
        self.repeats: Counter[str] = Counter()
        self.scanned_bytes = 0
        self.leaks: list[Leak] = []
        self._seen: set[tuple[str, bytes]] = set()

    def add(self, label: str, value: str) -> None:
        """Also look for ``value`` (a secret a section made up, such as part of a bad key)."""
        if value:
            with self._lock:
                self._secrets.append((label, value))

    def scan(self, kind: str, where: str, text: str | bytes) -> int:
        """Scan one text on surface ``kind`` (one of :data:`SURFACES`)."""
        if kind not in SURFACES:
            raise ValueError(f"unknown surface {kind!r}")
        data = text.encode("utf-8", "replace") if isinstance(text, str) else text
        digest = (kind, hashlib.sha256(data).digest())
        with self._lock:
            if digest in self._seen:
                self.repeats[kind] += 1
                return 0
            self._seen.add(digest)
            secrets = list(self._secrets)
        found = [label for label, value in secrets if value.encode() in data]
        with self._lock:
            self.leaks += [Leak(where, label, kind) for label in found]
            self.scanned[kind] += 1
            self.scanned_bytes += len(data)
        return len(found)

    def scan_lines(self, kind: str, where: str, text: str) -> int:
        """Scan each line of a log on its own: one line, one text."""
        return sum(self.scan(kind, where, line) for line in text.splitlines() if line.strip())

    def scan_json(self, kind: str, where: str, value: Any) -> int:
        found = self.scan(kind, where, json.dumps(value, default=str, ensure_ascii=False))
        return found + self.scan_blobs(where, value)

    def scan_blobs(self, where: str, value: Any) -> int:
        """Decode and scan every ``__provider`` blob inside ``value`` (pickles, base64)."""
        found = 0
        for blob in _provider_blobs(value):
            found += self.scan_blob(f"{where}: __provider", blob)
        return found

    def scan_blob(self, where: str, blob: str) -> int:
        try:
            raw = base64.b64decode(blob, validate=False)
        except (binascii.Error, ValueError):
            raw = blob.encode()
        return self.scan("provider blobs", where, raw)

    def figures(self) -> dict[str, Any]:
        with self._lock:
            by_secret = Counter(leak.secret for leak in self.leaks)
            by_surface = Counter(leak.surface for leak in self.leaks)
            return {
                "distinct_texts_by_surface": {k: self.scanned.get(k, 0) for k in SURFACES},
                "distinct_texts_scanned": sum(self.scanned.values()),
                "repeats_not_counted": sum(self.repeats.values()),
                "surfaces_scanned": sum(1 for k in SURFACES if self.scanned.get(k)),
                "bytes_scanned": self.scanned_bytes,
                "leaks": len(self.leaks),
                "leaks_by_surface": dict(by_surface),
                "leaks_by_secret": dict(by_secret),
                "leak_locations": sorted({leak.where for leak in self.leaks})[:50],
            }


def _provider_blobs(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == PROVIDER_KEY and isinstance(item, str):
                yield item
            else:
                yield from _provider_blobs(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _provider_blobs(item)


class RecordingHost(ProviderHost):
    """A :class:`ProviderHost` whose every gRPC response and error goes through the scanner.

    A ``CheckResponse`` echoes the inputs it was given, secret inputs included (the engine
    marks those secret in its state): the echo is scanned without the inputs named in
    :data:`SECRET_INPUTS`; everything else in every response is scanned as is. ``stderr`` and
    ``stdout`` of the host process are scanned when it stops.
    """

    def __init__(self, scanner: SecretScanner, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scanner = scanner
        self.label = label
        self.host_errors: list[str] = []
        self._errors_lock = threading.Lock()

    def _call(self, method: str, request: Any) -> Any:
        try:
            response = super()._call(method, request)
        except HostError as exc:
            with self._errors_lock:
                self.host_errors.append(exc.details)
            self.scanner.scan("error messages", f"{self.label}: {method} error", str(exc))
            raise
        self._scan_response(method, response)
        return response

    def _scan_response(self, method: str, response: Any) -> None:
        where = f"{self.label}: {method} response"
        if method == "Check":
            inputs = from_struct(response.inputs)
            echoed = {k: v for k, v in inputs.items() if k not in SECRET_INPUTS}
            self.scanner.scan_json("grpc responses", where, echoed)
            failures = [(f.property, f.reason) for f in response.failures]
            self.scanner.scan_json("error messages", f"{where} failures", failures)
            return
        self.scanner.scan("grpc responses", where, response.SerializeToString())
        properties = getattr(response, "properties", None)
        if properties is not None and method in ("Create", "Read", "Update"):
            self.scanner.scan_json(
                "state", f"{self.label}: {method} outputs", from_struct(properties)
            )

    def stop(self) -> None:
        running = self._process is not None
        super().stop()
        if running:
            self.scanner.scan_lines("host log lines", f"{self.label}: host stderr", self.stderr)
            self.scanner.scan_lines("host log lines", f"{self.label}: host stdout", self.stdout)

    def log_lines(self) -> int:
        return len(self.stderr.splitlines())


HOST_LOGGING = '''\
"""Provider host logging for the reliability campaign: every pulumi_digicert record, DEBUG up."""
import logging
import sys

_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
for _name in ("pulumi_digicert", "httpx", "httpcore"):
    _logger = logging.getLogger(_name)
    _logger.setLevel(logging.DEBUG)
    _logger.addHandler(_handler)
'''


class HostLogging:
    """A directory holding a ``sitecustomize`` that turns on DEBUG logging of the provider in
    the host process, so the campaign scans the most log lines the provider can write.

    ``mutation`` names a deliberate bug (:mod:`qa.mutations`) planted in
    every host of the run, for tests that show a figure can fail."""

    def __init__(self, mutation: str | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="digicert-reliability-")
        host_sitecustomize(self._dir.name, prelude=HOST_LOGGING, mutation=mutation)
        self.mutation = mutation

    @property
    def path(self) -> str:
        return self._dir.name

    def close(self) -> None:
        self._dir.cleanup()


class LogScanner(logging.Handler):
    """Scans every record logged in this process by the given loggers (the in-process sandbox,
    uvicorn, the client) with its traceback, then lets it go on."""

    def __init__(self, scanner: SecretScanner, names: Sequence[str]) -> None:
        super().__init__(logging.DEBUG)
        self.scanner = scanner
        self.names = tuple(names)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.records = 0
        self.errors = 0
        self._saved: list[tuple[logging.Logger, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a record that cannot be formatted is still scanned raw
            text = f"{record.msg!r} {record.args!r}"
        self.records += 1
        if record.levelno >= logging.ERROR:
            self.errors += 1
        self.scanner.scan_lines("process log lines", f"process log: {record.name}", text)

    def __enter__(self) -> LogScanner:
        for name in self.names:
            logger = logging.getLogger(name)
            self._saved.append((logger, logger.level))
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger, level in self._saved:
            logger.removeHandler(self)
            logger.setLevel(level)
        self._saved.clear()
