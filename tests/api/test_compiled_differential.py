"""Generated documents give the same JSON from the compiled executor and the stock one.

hypothesis-graphql writes queries over the whole schema (its random IDs, slugs and numbers are
deliberate errors as often as not); each is then decorated with aliases (a field asked twice
under two names), inline and named fragments, and `@skip`/`@include` decided by variables or
literals. The `differential` marker sends every one to both executors and compares the bodies
byte for byte (tests/fixtures/differential_client.py)."""
import json

import pytest
from graphql import parse, print_ast
from graphql.language import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    NameNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from api.core import ids
from bench.pages import CATEGORY_BROWSE, LIBRARY_PAGE, PRODUCT_LISTING, PRODUCT_PAGE, SEARCH_PAGE
from tests.fixtures import differential_client
from tests.fixtures.sdl import sdl

pytestmark = pytest.mark.differential

# Read-only root fields a storefront asks for, most without required IDs (so more of the
# documents get past their arguments and execute), and `node`/`nodes`, whose generated IDs are
# mostly errors.
ROOTS = ["products", "search", "categories", "category", "product", "brand", "seller", "primePlans",
         "searchSuggestions", "viewer", "node", "nodes"]
GENERATED = st.deferred(lambda: queries(sdl(), fields=ROOTS, allow_x00=False))  # made when it runs, not at collection
CONDITIONS = ("skip", "include")
MAX_ALIASES = 8
PRODUCT_ID = ids.encode("Product", 1)


class Decorator:
    """Rewrites a generated document's selections with the draws it is given."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.variables: dict[str, bool] = {}
        self.aliases = 0

    def selection_set(self, node: SelectionSetNode) -> SelectionSetNode:
        selections = []
        for selection in node.selections:
            if isinstance(selection, InlineFragmentNode):  # the generator's own, on an abstract type
                selections.append(InlineFragmentNode(type_condition=selection.type_condition, directives=(),
                                                     selection_set=self.selection_set(selection.selection_set)))
                continue
            selection = self.field(selection)
            selections.append(selection)
            if self.aliases < MAX_ALIASES and self.draw(st.integers(0, 5)) == 0:  # again, under an alias
                self.aliases += 1
                selections.append(FieldNode(alias=NameNode(value=f"again{self.aliases}"), name=selection.name,
                                            arguments=selection.arguments, directives=(),
                                            selection_set=selection.selection_set))
        if self.draw(st.integers(0, 4)) == 0:
            return SelectionSetNode(selections=(InlineFragmentNode(type_condition=None, directives=(),
                                                                   selection_set=SelectionSetNode(
                                                                       selections=tuple(selections))),))
        return SelectionSetNode(selections=tuple(selections))

    def field(self, node: FieldNode) -> FieldNode:
        directives = ()
        if node.name.value != "__typename" and self.draw(st.integers(0, 4)) == 0:
            directives = (self.condition(),)
        selection_set = self.selection_set(node.selection_set) if node.selection_set else None
        return FieldNode(alias=node.alias, name=node.name, arguments=tuple(map(self.argument, node.arguments or ())),
                         directives=directives, selection_set=selection_set)

    def argument(self, node: ArgumentNode) -> ArgumentNode:
        # Page sizes in range, or nearly every document is refused before it runs.
        if node.name.value in ("first", "last") and isinstance(node.value, IntValueNode):
            return ArgumentNode(name=node.name, value=IntValueNode(value=str(self.draw(st.integers(1, 5)))))
        # A real product's ID as often as a generated one (which is mostly an error).
        if node.name.value == "id" and self.draw(st.booleans()):
            return ArgumentNode(name=node.name, value=StringValueNode(value=PRODUCT_ID))
        return node

    def condition(self) -> DirectiveNode:
        name = self.draw(st.sampled_from(CONDITIONS))
        if self.draw(st.booleans()):
            variable = f"{name}{len(self.variables)}"
            self.variables[variable] = self.draw(st.booleans())
            value = VariableNode(name=NameNode(value=variable))
        else:
            value = BooleanValueNode(value=self.draw(st.booleans()))
        return DirectiveNode(name=NameNode(value=name), arguments=(ArgumentNode(name=NameNode(value="if"),
                                                                                 value=value),))


@st.composite
def decorated(draw) -> dict:
    document = parse(draw(GENERATED))
    operation = document.definitions[0]
    decorator = Decorator(draw)
    selection_set = decorator.selection_set(operation.selection_set)
    definitions = []
    if draw(st.booleans()):  # the root's fields through a named fragment
        definitions.append(FragmentDefinitionNode(name=NameNode(value="Root"),
                                                  type_condition=NamedTypeNode(name=NameNode(value="Query")),
                                                  directives=(), selection_set=selection_set))
        selection_set = SelectionSetNode(selections=(FragmentSpreadNode(name=NameNode(value="Root"), directives=()),))
    header = ", ".join(f"${name}: Boolean!" for name in decorator.variables)
    body = print_ast(selection_set)
    text = (f"query Generated({header}) {body}" if header else f"query Generated {body}") + "".join(
        "\n" + print_ast(definition) for definition in definitions)
    return {"query": text, "variables": decorator.variables}


# Derandomized so the suite is repeatable; raise max_examples to explore further.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=decorated())
async def test_generated_documents_give_the_same_json_on_both_executors(client, body):
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200, (json.dumps(body), response.text)


@pytest.mark.parametrize(("document", "variables"), [
    (PRODUCT_PAGE, {"slug": "harry-potter-and-the-philosophers-stone", "offers": 5}),
    (SEARCH_PAGE, {"query": "harry potter", "first": 20}),
    (CATEGORY_BROWSE, {"slug": "books", "first": 100}),
    (PRODUCT_LISTING, {"first": 20}),
    (LIBRARY_PAGE, {"first": 50}),
    ("{ __typename }", {}),
])
async def test_the_benchmark_pages_give_the_same_json_on_both_executors(client, document, variables):
    before = differential_client.SERVED["compiled"]
    response = await client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200
    if "errors" not in response.json():
        assert differential_client.SERVED["compiled"] == before + 1, response.json()["extensions"]
