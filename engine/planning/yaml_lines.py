"""Safe YAML that remembers where each mapping starts, so validators can say `file:line: what is wrong`."""

from __future__ import annotations

from typing import Any

import yaml

from engine.core.errors import ValidationFailed

LINE = "__line__"  # the key under which each loaded mapping carries its 1-based line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no Python tags) recording each mapping's line under LINE."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str, name: str) -> Any:
    """Parse YAML text; ValidationFailed(`name:line: YAML không hợp lệ: …`) when it does not parse."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 — _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise ValidationFailed([f"{where}: YAML không hợp lệ: {getattr(exc, 'problem', exc)}"]) from None


def text(value: Any) -> str:
    """A scalar as one line of text (None -> ''), inner whitespace collapsed."""
    return "" if value is None else " ".join(str(value).split())
