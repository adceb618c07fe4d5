"""HTTP client for DigiCert CertCentral Services API v2 and the Partner Subscriptions API.

```python
from pulumi_digicert.client import DigiCertClient
from pulumi_digicert.config import ProviderSettings

client = DigiCertClient(ProviderSettings.resolve(config))
org = client.organizations.get(1001)
client.close()
```

One request core (``_core.py``: auth headers, rate limiting, retries, error mapping) under thin
modules per API area. Retry policy: ``retry.py``; rate limiter: ``ratelimit.py``; errors:
``errors.py``; lenient response models: ``models.py``.

What belongs here: talking HTTP to CertCentral and reading its answers into typed models,
including every retry decision (a lookup after an unknown outcome too). What does not: Pulumi
(the client never imports it), the settings (``pulumi_digicert.config``), the error classes
(defined in ``pulumi_digicert._exceptions``, re-exported by ``errors``) and any resource logic.

The package loads its HTTP stack (httpx, the request core, the response models) on first use of
``DigiCertClient`` or ``models``: the resource providers import ``errors`` at unpickling, and
``check`` and ``diff`` (every preview) never need the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_digicert.client import errors

if TYPE_CHECKING:
    from pulumi_digicert.client import models
    from pulumi_digicert.client._client import DigiCertClient

__all__ = ["DigiCertClient", "errors", "models"]


def __getattr__(name: str) -> Any:
    if name == "DigiCertClient":
        return importlib.import_module("pulumi_digicert.client._client").DigiCertClient
    if name == "models":
        return importlib.import_module("pulumi_digicert.client.models")
    raise AttributeError(f"module 'pulumi_digicert.client' has no attribute {name!r}")
