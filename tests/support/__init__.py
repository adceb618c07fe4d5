"""Shared test support: ports, provider hosts, sandbox servers, secret scans.

The fixtures in ``tests/conftest.py`` are thin wrappers over these helpers, so a test module
that needs different scoping can build its own fixture from the same pieces.
"""
