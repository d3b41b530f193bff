"""Look-ahead: does the client's selection reach a field further down?

Lists use it to load what every item will need in one go before the items resolve, so the
items' fields complete from the loader's cache without a task each.
"""
from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.types import Info


def _children(selection_set, fragments) -> list[FieldNode]:
    found: list[FieldNode] = []
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, FieldNode):
            found.append(sel)
        elif isinstance(sel, InlineFragmentNode):
            found += _children(sel.selection_set, fragments)
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
            found += _children(fragments[sel.name.value].selection_set, fragments)
    return found


def selects(info: Info, *paths: tuple[str, ...]) -> bool:
    """True when any of `paths` (field names below the current field) is selected."""
    raw = info._raw_info
    for path in paths:
        level = list(raw.field_nodes)
        for name in path:
            level = [child for node in level for child in _children(node.selection_set, raw.fragments)
                     if child.name.value == name]
            if not level:
                break
        else:
            return True
    return False
