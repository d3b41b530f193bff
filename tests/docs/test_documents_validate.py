"""Every GraphQL document in the README and the guides is what a client toolchain accepts:
valid against the committed schema.graphql (as GraphQL Code Generator or Apollo's tooling would
check it), and made of named operations and fragments only, since code generators skip
anonymous operations and persisted-query manifests key documents by operation name. A
document that selects an object with an `id` selects the `id` too, which normalised caches
(Apollo Client, urql Graphcache) need to store the object and update it after a mutation."""
from __future__ import annotations

import graphql
import pytest
from graphql import FieldNode, GraphQLObjectType, TypeInfo, TypeInfoVisitor, Visitor, visit

from tests.docs.guides import ROOT, fences, pages

SCHEMA = graphql.build_schema((ROOT / "schema.graphql").read_text())
DOCUMENTS = {f"{page.name}-{n}": document for page in pages()
             for n, (_, document) in enumerate(fences(page), 1)}


def test_the_pages_have_documents():
    assert len(DOCUMENTS) > 40


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_each_document_is_valid_against_the_schema(document):
    errors = graphql.validate(SCHEMA, graphql.parse(document))
    assert [error.message for error in errors] == []


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_each_operation_is_named(document):
    definitions = graphql.parse(document).definitions
    assert [d for d in definitions if isinstance(d, graphql.OperationDefinitionNode) and d.name is None] == []


class _SelectionsWithoutId(Visitor):
    """The paths of selections of an object type that has an `id` field but was not asked for it."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.missing: list[str] = []

    def enter_field(self, node: FieldNode, *_):
        named = graphql.get_named_type(self.type_info.get_type())
        if (node.selection_set and isinstance(named, GraphQLObjectType) and "id" in named.fields
                and not _selects_id(node.selection_set)):
            self.missing.append(f"{node.name.value}: {named.name}")

    def enter_fragment_definition(self, node: graphql.FragmentDefinitionNode, *_):
        named = SCHEMA.get_type(node.type_condition.name.value)
        if isinstance(named, GraphQLObjectType) and "id" in named.fields and not _selects_id(node.selection_set):
            self.missing.append(f"fragment {node.name.value}: {named.name}")


def _selects_id(selection_set: graphql.SelectionSetNode) -> bool:
    """`id` asked for directly, or in an inline fragment or a fragment spread (trusted to have it)."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value == "id" and selection.alias is None:
            return True
        if isinstance(selection, graphql.FragmentSpreadNode):
            return True
        if isinstance(selection, graphql.InlineFragmentNode) and _selects_id(selection.selection_set):
            return True
    return False


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_each_object_with_an_id_is_selected_with_it(document):
    type_info = TypeInfo(SCHEMA)
    finder = _SelectionsWithoutId(type_info)
    visit(graphql.parse(document), TypeInfoVisitor(type_info, finder))
    assert finder.missing == []
