"""Read `{value, help}` settings files, lay user overrides over them, build typed objects.

A declared file is a tree of sections whose leaves are entries: mappings with exactly a
`value`, a non-empty `help` and, for settings read from the environment, an `env`. User
files give plain values in the same tree (`scoring: {family_discount: 0.3}`); a key that is
not declared is refused with the file and the dotted key, never ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ENTRY_KEYS = {"value", "help", "env"}


class SettingsError(ValueError):
    """A settings file is unreadable, holds unknown keys or values of the wrong type."""


@dataclass(frozen=True)
class Entry:
    """One declared setting: its dotted name, default value, help and environment variable."""

    name: str
    value: Any
    help: str
    env: str = ""


def _is_entry(node: Any) -> bool:
    return isinstance(node, dict) and "value" in node and set(node) <= ENTRY_KEYS


def read_declared(path: Path) -> dict[str, Any]:
    """The declared tree in `path`; every leaf must be an entry with a help text."""
    with path.open(encoding="utf-8") as fh:
        tree = yaml.safe_load(fh) or {}
    _check_tree(tree, path.name, "")
    return tree


def _check_tree(node: Any, file: str, prefix: str) -> None:
    if not isinstance(node, dict) or not node:
        raise SettingsError(f"{file}: {prefix or 'the file'} must be a mapping of settings")
    for key, child in node.items():
        name = f"{prefix}{key}"
        if _is_entry(child):
            if not str(child.get("help") or "").strip():
                raise SettingsError(f"{file}: setting {name} has no help")
        elif isinstance(child, dict) and not {"value", "help"} & set(child):
            _check_tree(child, file, name + ".")
        else:
            raise SettingsError(f"{file}: {name} must be {{value, help}} or a section of them")


def entries(tree: Mapping[str, Any], prefix: str = "") -> list[Entry]:
    """Every entry of a declared tree, depth first, with dotted names."""
    found: list[Entry] = []
    for key, child in tree.items():
        if _is_entry(child):
            found.append(Entry(prefix + key, child["value"], " ".join(str(child["help"]).split()),
                               str(child.get("env") or "")))
        else:
            found += entries(child, f"{prefix}{key}.")
    return found


def declared_values(tree: Mapping[str, Any]) -> dict[str, Any]:
    """The declared tree with each entry replaced by its value."""
    return {key: child["value"] if _is_entry(child) else declared_values(child)
            for key, child in tree.items()}


def read_overrides(path: str | Path) -> dict[str, Any]:
    """A user settings file: a mapping of plain values (possibly empty)."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            user = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    if not isinstance(user, dict):
        raise SettingsError(f"settings file {path} must hold a mapping")
    return user


def overlay(tree: Mapping[str, Any], given: Mapping[str, Any], where: str,
            prefix: str = "", moved: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The values of the declared `tree` with `given` laid over them (entries replaced
    whole, sections merged); an undeclared key raises SettingsError naming `where` and the
    key, or where it went when `moved` (old dotted name -> new) knows it."""
    values = declared_values(tree)
    for key, value in given.items():
        name = f"{prefix}{key}"
        if key not in tree:
            if moved and name in moved:
                raise SettingsError(f"{where}: setting {name} is now {moved[name]}")
            known = ", ".join(f"{prefix}{k}" for k in tree)
            raise SettingsError(f"{where}: unknown setting {name}; known: {known}")
        if _is_entry(tree[key]):
            values[key] = value
        elif isinstance(value, Mapping):
            values[key] = overlay(tree[key], value, where, name + ".", moved)
        else:
            raise SettingsError(f"{where}: {name} is a section; give a mapping of its "
                                f"settings, not {value!r}")
    return values


def build(cls: type[Any], values: Mapping[str, Any], where: str, prefix: str = "") -> Any:
    """An instance of dataclass `cls` from `values`, whose keys must be its fields exactly;
    each value is checked against (and converted to) the field's annotated type."""
    hints = typing.get_type_hints(cls)
    fields = [f.name for f in dataclasses.fields(cls) if f.init]
    missing = [f for f in fields if f not in values]
    extra = [k for k in values if k not in fields]
    if extra:
        raise SettingsError(f"{where}: unknown setting(s) {[prefix + k for k in extra]}; "
                            f"known: {', '.join(prefix + f for f in fields)}")
    if missing:
        raise SettingsError(f"{where}: missing setting(s) {[prefix + f for f in missing]}")
    return cls(**{f: _coerce(hints[f], values[f], where, prefix + f) for f in fields})


def _coerce(hint: Any, value: Any, where: str, name: str) -> Any:
    """`value` as type `hint` (bool, int, float, str, date, Path, tuples, dicts, Optional,
    nested dataclasses), or SettingsError."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        if isinstance(value, hint):  # type: ignore[arg-type]
            return value
        if not isinstance(value, Mapping):
            raise SettingsError(f"{where}: {name} must be a mapping, got {value!r}")
        return build(hint, value, where, name + ".")  # type: ignore[arg-type]
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(inner[0], value, where, name)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise SettingsError(f"{where}: {name} must be a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(args[0], v, where, f"{name}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise SettingsError(f"{where}: {name} must hold {len(args)} values, got {value!r}")
        return tuple(_coerce(a, v, where, f"{name}[{i}]") for i, (a, v) in
                     enumerate(zip(args, value, strict=True)))
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise SettingsError(f"{where}: {name} must be a mapping, got {value!r}")
        key_type, value_type = args or (str, Any)
        return {_coerce(key_type, k, where, name): _coerce(value_type, v, where, f"{name}.{k}")
                for k, v in value.items()}
    return _scalar(hint, value, where, name)


def _scalar(hint: Any, value: Any, where: str, name: str) -> Any:
    if hint is Any:
        return value
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    elif hint is dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            pass
    elif hint is Path:
        if isinstance(value, (str, Path)) and str(value):
            return Path(value)
    else:
        raise TypeError(f"settings field {name}: unsupported type {hint!r}")
    kind = {bool: "true or false", int: "an integer", float: "a number", str: "text",
            dt.date: "a YYYY-MM-DD date", Path: "a path"}[hint]
    raise SettingsError(f"{where}: {name} must be {kind}, got {value!r}")
