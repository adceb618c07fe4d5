"""Property paths: the port of pulumi/pulumi sdk/go/common/resource/properties_path.go
(``ParsePropertyPath``, ``Contains``, ``Reset``), with cases from its properties_path_test.go
and from how ignore_changes behaves (step_generator.go, ``processIgnoreChanges``)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_digicert.testing import is_secret, secret
from pulumi_digicert.testing._paths import (
    parse_property_path,
    path_contains,
    process_ignore_changes,
)


@pytest.mark.parametrize(
    ("text", "elements"),
    [
        ("root", ["root"]),
        ("root.nested", ["root", "nested"]),
        ('root["nested"]', ["root", "nested"]),
        ("root.double.nest", ["root", "double", "nest"]),
        ('root["double"].nest', ["root", "double", "nest"]),
        ("root.array[0]", ["root", "array", 0]),
        ("root.array[100]", ["root", "array", 100]),
        ("root.array[0][1].nested", ["root", "array", 0, 1, "nested"]),
        ('root["key with \\"escaped\\" quotes"]', ["root", 'key with "escaped" quotes']),
        ('root["key with a ."]', ["root", "key with a ."]),
        ('["root key with a ."][100]', ["root key with a .", 100]),
        ("root.array[*].field", ["root", "array", "*", "field"]),
        ('root.array["*"].field', ["root", "array", "*", "field"]),
        ("foo-bar", ["foo-bar"]),
        ("*", ["*"]),
    ],
)
def test_parse_property_path(text: str, elements: list[Any]) -> None:
    assert parse_property_path(text) == elements


@pytest.mark.parametrize(
    "text", [".root", "root.", 'root["nested', "root[0", "root[x]", 'root["a"x']
)
def test_malformed_property_paths_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected|missing|invalid"):
        parse_property_path(text)


@pytest.mark.parametrize(
    ("path", "other", "contains"),
    [
        ("foo", "foo", True),
        ("foo", "foo.bar", True),
        ('foo["bar"][1]', "foo.bar[1].baz", True),
        ("foo.*.baz", "foo.bar.baz.bam", True),
        ("*", "anything", True),
        ("foo.bar", "foo", False),
        ("foo[1]", "foo[2]", False),
        ("foo[1]", "foo.bar", False),
        ("foo.bar", "foo.baz", False),
    ],
)
def test_path_contains(path: str, other: str, contains: bool) -> None:
    assert path_contains(parse_property_path(path), parse_property_path(other)) is contains


OLD = {"a": 1, "tags": {"x": "1", "y": "1"}, "list": [1, 2], "objs": [{"n": 1}, {"n": 2}]}


@pytest.mark.parametrize(
    ("news", "paths", "expected", "invalid"),
    [
        ({"a": 2}, ["a"], {"a": 1}, []),
        ({}, ["a"], {"a": 1}, []),
        ({"b": 2}, ["b"], {}, []),
        ({"tags": {"x": "2", "y": "2"}}, ["tags.x"], {"tags": {"x": "1", "y": "2"}}, []),
        ({"tags": {"x": "2", "z": "2"}}, ["tags.*"], {"tags": {"x": "1", "y": "1"}}, []),
        ({"list": [5, 6]}, ["list[1]"], {"list": [5, 2]}, []),
        ({"list": [5]}, ["list[1]"], {"list": [5]}, ["list[1]"]),
        ({"objs": [{"n": 7}, {"n": 8}]}, ["objs[*].n"], {"objs": [{"n": 1}, {"n": 2}]}, []),
        ({"objs": [{"n": 7}]}, ["objs[*].n"], {"objs": [{"n": 1}]}, ["objs[*].n"]),
        ({"a": 2}, ["not[valid"], {"a": 2}, []),
    ],
)
def test_ignore_changes_resets_paths_to_the_old_values(
    news: dict[str, Any], paths: list[str], expected: dict[str, Any], invalid: list[str]
) -> None:
    result, refused = process_ignore_changes(news, OLD, paths)
    assert result == expected
    assert refused == invalid


def test_ignore_changes_leaves_the_given_inputs_alone() -> None:
    news = {"tags": {"x": "2"}}
    process_ignore_changes(news, OLD, ["tags.x"])
    assert news == {"tags": {"x": "2"}}


def test_a_value_carried_from_a_secret_old_input_stays_secret() -> None:
    result, _ = process_ignore_changes({"key": "new"}, {"key": secret("old")}, ["key"])
    assert is_secret(result["key"])
    assert result["key"]["value"] == "old"
