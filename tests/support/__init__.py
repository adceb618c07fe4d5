"""Shared test support: ports, provider hosts, sandbox servers and processes, secret scans,
the campaign's assertions.

The fixtures in ``tests/conftest.py`` are thin wrappers over these helpers, so a test module
that needs different scoping can build its own fixture from the same pieces. Inputs, programs
and stack config are not written here: they come from :mod:`qa.scenarios`, shared with the
benchmarks and the campaign. No test cases here.
"""
