"""The README's policy table lists exactly the pack's rules, with their default levels, whether
they are stack rules, and their settings with the defaults the config schemas declare."""

from __future__ import annotations

import json
import re

from policy_support import REPO

from digicert_policies import rules

README = (REPO / "README.md").read_text()


def policy_table() -> dict[str, list[str]]:
    start = README.index("## Policy pack\n")
    stop = README.index("\n## ", start + 1)
    rows: dict[str, list[str]] = {}
    for line in README[start:stop].splitlines():
        match = re.match(r"^\| `(digicert-[a-z-]+)`( \(stack\))? \|", line)
        if match:
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            rows[match.group(1)] = [*cells, "stack" if match.group(2) else "resource"]
    return rows


def test_readme_lists_every_rule_once_with_its_level_and_kind() -> None:
    table = policy_table()
    assert list(table) == [rule.name for rule in rules.RULES]
    for rule in rules.RULES:
        cells = table[rule.name]
        assert cells[2] == rule.enforcement_level.value, rule.name
        assert cells[-1] == ("stack" if rule.stack else "resource"), rule.name


def test_readme_lists_each_setting_with_its_default() -> None:
    table = policy_table()
    for rule in rules.RULES:
        settings_cell = table[rule.name][3]
        schema = rules.CONFIG_SCHEMAS.get(rule.name, {})
        if not schema:
            assert settings_cell == "—", rule.name
            continue
        documented = dict(re.findall(r"`(\w+)` \(`([^`]*)`\)", settings_cell))
        assert set(documented) == set(schema), rule.name
        for key, value in documented.items():
            assert json.loads(value) == schema[key]["default"], (rule.name, key)
