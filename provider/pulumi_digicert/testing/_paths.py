"""Property paths, as the engine reads ``ignore_changes`` and ``replace_on_changes``.

A port of pulumi/pulumi ``sdk/go/common/resource/properties_path.go`` (``ParsePropertyPath``,
``PropertyPath.Contains``, ``PropertyPath.Reset``) and of ``processIgnoreChanges`` in
``pkg/resource/deploy/step_generator.go``, over the harness's plain values: objects are dicts,
arrays are lists, a secret is the rpc secret envelope.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_digicert.testing._values import is_secret, secret

__all__ = ["PathElement", "parse_property_path", "path_contains", "process_ignore_changes"]

PathElement = str | int


def parse_property_path(path: str) -> list[PathElement]:
    """``root.nested``, ``root["key"]``, ``root.array[0]``, ``root[*].field``; ``ValueError``
    when the path is malformed (``parsePropertyPath``, non-strict)."""
    elements: list[PathElement] = []
    if path.startswith("."):
        raise ValueError("expected property path to start with a name or index")
    rest = path
    while rest:
        head = rest[0]
        if head == ".":
            rest = rest[1:]
            if not rest:
                raise ValueError("expected property path to end with a name or index")
        elif head == "[":
            if len(rest) > 1 and rest[1] == '"':
                key, i = [], 2
                while True:
                    if i >= len(rest):
                        raise ValueError("missing closing quote in property name")
                    if rest[i] == '"':
                        i += 1
                        break
                    if rest[i] == "\\" and i + 1 < len(rest) and rest[i + 1] == '"':
                        key.append('"')
                        i += 2
                    else:
                        key.append(rest[i])
                        i += 1
                if i >= len(rest) or rest[i] != "]":
                    raise ValueError("missing closing bracket in property access")
                elements.append("".join(key))
                rest = rest[i + 1 :]
            else:
                close = rest.find("]")
                if close == -1:
                    raise ValueError("missing closing bracket in array index")
                segment = rest[1:close]
                elements.append("*" if segment == "*" else _index(segment))
                rest = rest[close + 1 :]
        else:
            end = len(rest)
            for stop in (".", "["):
                found = rest.find(stop)
                if found != -1:
                    end = min(end, found)
            elements.append(rest[:end])
            rest = rest[end:]
    return elements


def _index(segment: str) -> int:
    try:
        return int(segment, 10)
    except ValueError:
        raise ValueError(f"invalid array index: {segment!r}") from None


def path_contains(path: Sequence[PathElement], other: Sequence[PathElement]) -> bool:
    """True if ``path`` contains ``other`` (``PropertyPath.Contains``): ``foo`` contains
    ``foo.bar``, and ``*`` matches any key or index at its level."""
    if len(other) < len(path):
        return False
    for mine, theirs in zip(path, other, strict=False):
        if isinstance(mine, int):
            if not isinstance(theirs, int) or isinstance(theirs, bool) or theirs != mine:
                return False
        elif mine != "*" and (not isinstance(theirs, str) or theirs != mine):
            return False
    return True


def process_ignore_changes(
    inputs: Mapping[str, Any], old_inputs: Mapping[str, Any], ignore_changes: Iterable[str]
) -> tuple[dict[str, Any], list[str]]:
    """``inputs`` with each ignored path set back to its value in ``old_inputs`` (removed where
    ``old_inputs`` has none), and the paths that could not be reset because an element was
    added or removed on the way (``processIgnoreChanges``; unparsable paths are skipped)."""
    ignored = copy.deepcopy(dict(inputs))
    invalid: list[str] = []
    for text in ignore_changes:
        try:
            path = parse_property_path(text)
        except ValueError:
            continue
        if not _reset(path, dict(old_inputs), ignored, False, False):
            invalid.append(text)
    return ignored, invalid


class _Missing:
    """A value that is absent (Go's null ``PropertyValue``)."""


_MISSING = _Missing()


def _unwrap(value: Any) -> tuple[Any, bool]:
    wrapped = False
    while is_secret(value):
        value, wrapped = value["value"], True
    return value, wrapped


def _reset(
    path: Sequence[PathElement], old: Any, new: Any, old_secret: bool, new_secret: bool
) -> bool:
    """``PropertyPath.reset``: ``new`` is changed in place (its containers are shared)."""
    if not path:
        return False
    old, wrapped = _unwrap(old)
    old_secret = old_secret or wrapped
    new, wrapped = _unwrap(new)
    new_secret = new_secret or wrapped

    def carried(value: Any) -> Any:
        return secret(value) if old_secret and not new_secret else value

    key, rest = path[0], path[1:]
    if isinstance(key, int):
        if key < 0:
            return False
        old_list, new_list = isinstance(old, list), isinstance(new, list)
        if not rest:
            if not old_list and not new_list:
                return True
            if not old_list or not new_list:
                return False
            if key >= len(old) and key >= len(new):
                return True
            if key >= len(old) or key >= len(new):
                return False
            new[key] = carried(old[key])
            return True
        if not old_list or not new_list:
            return not old_list and not new_list
        if key >= len(old) or key >= len(new):
            return False
        return _reset(rest, old[key], new[key], old_secret, new_secret)

    if key == "*":
        return _reset_wildcard(rest, old, new, old_secret, new_secret, carried)

    old_dict, new_dict = isinstance(old, dict), isinstance(new, dict)
    if not rest:
        if old_dict and key in old:
            if not new_dict:
                return False
            new[key] = carried(old[key])
        elif new_dict:
            new.pop(key, None)
        return True
    if not old_dict or not new_dict:
        return not old_dict and not new_dict
    has_old, has_new = key in old, key in new
    if has_old and not has_new:
        return False
    if not has_old and not has_new:
        return True
    return _reset(rest, old.get(key, _MISSING), new[key], old_secret, new_secret)


def _reset_wildcard(
    rest: Sequence[PathElement],
    old: Any,
    new: Any,
    old_secret: bool,
    new_secret: bool,
    carried: Any,
) -> bool:
    if not rest:
        if isinstance(new, dict):
            if isinstance(old, dict):
                for key, value in old.items():
                    new[key] = carried(value)
                for key in [k for k in new if k not in old]:
                    del new[key]
            return True
        if isinstance(new, list):
            if isinstance(old, list):
                for index, value in enumerate(old[: len(new)]):
                    new[index] = carried(value)
                return len(old) == len(new)
            return True
        return False
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            if key not in new:
                return False
            if not _reset(rest, value, new[key], old_secret, new_secret):
                return False
        return True
    if isinstance(old, list) and isinstance(new, list):
        for index, value in enumerate(old[: len(new)]):
            if not _reset(rest, value, new[index], old_secret, new_secret):
                return False
        return len(old) == len(new)
    return False
