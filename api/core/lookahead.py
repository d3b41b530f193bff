"""Look-ahead: does the client's selection reach a field further down?

Lists use it to load what every item will need in one go before the items resolve, so the
items' fields complete from the loader's cache without a task each.
"""
from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode, get_named_type
from graphql.execution.values import VariableValues
from strawberry.types import Info

from api.core.compiled.arguments import VariableArguments


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
    return _kept(_ANSWERS, info, paths, _selects, paths)


def _kept(cache: dict, info: Info, part: Any, work_out: Any, argument: Any) -> Any:
    """`work_out(info, argument)`, kept in `cache` by the current field's first node and
    `part` when the field has that node alone (a field merged from several is worked out again)."""
    raw = info._raw_info
    node = raw.field_nodes[0]
    key = (id(node), part)
    known = cache.get(key)
    if known is not None and known[0] is node and len(raw.field_nodes) == 1:
        return known[1]
    answer = work_out(info, argument)
    if len(raw.field_nodes) == 1:
        if len(cache) >= _MAX_ANSWERS:
            cache.clear()
        cache[key] = (node, answer)
    return answer


def _selects(info: Info, paths: tuple[tuple[str, ...], ...]) -> bool:
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


# (id of the field's first node, name) -> (that node, the one child field's arguments or None)
_ONLY_CHILD: dict[tuple[int, str], tuple[FieldNode, VariableArguments | None]] = {}


def child_arguments(info: Info, name: str) -> VariableArguments | None:
    """What reads the arguments of the field `name` selected right below the current field, for a
    field loaded by level with the others (`arguments_of`); None unless what it will ask for is
    certain: selected once (no alias asking for another page), and neither it nor a fragment
    around it under a directive (`@skip`, `@include`). It depends on the document alone: kept by
    the current field's node."""
    return _kept(_ONLY_CHILD, info, name, _child_arguments, name)


def arguments_of(info: Info, arguments: VariableArguments | None) -> dict[str, Any] | None:
    """A child field's arguments (`child_arguments`) for the request's variables, coerced as its
    resolver gets them (by their GraphQL names), once per distinct value of the variables they
    read (api/core/compiled/arguments.py): the same dict for every caller, not to be changed.
    None when there are none to read or they do not coerce (the field's own resolution then
    reports it)."""
    if arguments is None:
        return None
    try:
        return arguments.for_variables(VariableValues({}, info._raw_info.variable_values))
    except GraphQLError:
        return None


# (id of the field's first node, the function) -> (that node, what the function worked out)
_WORKED_OUT: dict[tuple[int, Any], tuple[FieldNode, Any]] = {}


def per_document(info: Info, work_out: Any) -> Any:
    """`work_out(info)`, once per field of a document: for what a resolver reads of the field's
    selection (`selects`, `child_arguments`), which depends on the document alone, kept by the
    field's node as those are."""
    return _kept(_WORKED_OUT, info, work_out, _call, work_out)


def _call(info: Info, work_out: Any) -> Any:
    return work_out(info)


def _child_arguments(info: Info, name: str) -> VariableArguments | None:
    raw = info._raw_info
    found: list[FieldNode] = []
    plain = all(_plain_children(n.selection_set, raw.fragments, name, found) for n in raw.field_nodes)
    if not plain or len(found) != 1:
        return None
    field_def = getattr(get_named_type(raw.return_type), "fields", {}).get(name)
    return None if field_def is None else VariableArguments(field_def, found[0], False, 0)


def _plain_children(selection_set, fragments, name: str, found: list[FieldNode]) -> bool:
    """Collects the fields called `name` in the selection set into `found`; False when one of
    them, or a fragment that could hold one, has a directive."""
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, FieldNode):
            if sel.name.value == name:
                if sel.directives:
                    return False
                found.append(sel)
        elif sel.directives:
            return False
        elif isinstance(sel, InlineFragmentNode):
            if not _plain_children(sel.selection_set, fragments, name, found):
                return False
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
            if not _plain_children(fragments[sel.name.value].selection_set, fragments, name, found):
                return False
    return True
