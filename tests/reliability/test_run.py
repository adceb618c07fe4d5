"""The run: every section it registers is run by a test of its own here."""

from __future__ import annotations

from pathlib import Path

from qa.reliability.run import SECTIONS


def test_every_registered_section_is_run_by_a_test_here() -> None:
    # A section added to the campaign without a test that runs it fails here.
    sources = "".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    untested = [
        name for name, run in SECTIONS.items() if f"{run.__name__}(campaign)" not in sources
    ]
    assert untested == []
