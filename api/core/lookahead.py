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


# (id of the field's first node, paths) -> (that node, the answer): a document's nodes are the
# same objects on every request that sends its text (the parser cache), and the answer depends on
# them alone. The node is kept to tell a reused id from the same node.
_ANSWERS: dict[tuple[int, tuple[tuple[str, ...], ...]], tuple[FieldNode, bool]] = {}
_MAX_ANSWERS = 4096


def selects(info: Info, *paths: tuple[str, ...]) -> bool:
    """True when any of `paths` (field names below the current field) is selected."""
    raw = info._raw_info
    node = raw.field_nodes[0]
    key = (id(node), paths)
    known = _ANSWERS.get(key)
    if known is not None and known[0] is node and len(raw.field_nodes) == 1:
        return known[1]
    answer = _selects(raw, paths)
    if len(raw.field_nodes) == 1:
        if len(_ANSWERS) >= _MAX_ANSWERS:
            _ANSWERS.clear()
        _ANSWERS[key] = (node, answer)
    return answer


def _selects(raw, paths: tuple[tuple[str, ...], ...]) -> bool:
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
