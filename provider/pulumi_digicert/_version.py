"""The package's version, at the root so the client, the doctor and the package itself can all
read it without importing one another (``pulumi_digicert.__version__`` re-exports it)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
