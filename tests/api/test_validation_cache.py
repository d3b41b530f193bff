"""Validation results are kept per parsed document, found by its identity: the same text is
validated once and the document is never hashed (graphql-core hashes a document by walking every
node), while another text, or the same text against other rules, is validated on its own."""
import pytest
import strawberry
from graphql import GraphQLError, ValidationRule
from graphql.language import ast
from strawberry.extensions import AddValidationRules, ParserCache

from api.core import validation_cache
from api.core.validation_cache import DocumentValidationCache


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="A name.")
    def name(self) -> str:
        return "a"


class NoNames(ValidationRule):
    def enter_field(self, node, *_args):
        if node.name.value == "name":
            self.report_error(GraphQLError("names refused"))


def schema(*extra) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8), *extra,
                                                       lambda: DocumentValidationCache(maxsize=8)])


@pytest.fixture
def validated(monkeypatch) -> list:
    seen: list = []
    validate = validation_cache.validate_document
    monkeypatch.setattr(validation_cache, "validate_document",
                        lambda s, document, rules: seen.append(document) or validate(s, document, rules))
    # Hashing a document would be the cost this cache exists to avoid.
    monkeypatch.setattr(ast.DocumentNode, "__hash__", lambda self: pytest.fail("a document was hashed"))
    return seen


async def test_the_same_text_is_validated_once_and_other_texts_apart(validated):
    plain = schema()
    for text in ("{ name }", "{ name }", "{ __typename }", "{ name }"):
        result = await plain.execute(text)
        assert not result.errors
    assert len(validated) == 2 and validated[0] is not validated[1]
    result = await plain.execute("{ nope }")
    assert result.errors[0].message.startswith("Cannot query field 'nope'")
    assert (await plain.execute("{ nope }")).errors[0].message == result.errors[0].message
    assert len(validated) == 3


async def test_other_rules_validate_the_same_document_again(validated):
    refusing = schema(lambda: AddValidationRules([NoNames]))
    assert not (await schema().execute("{ name }")).errors
    assert [e.message for e in (await refusing.execute("{ name }")).errors] == ["names refused"]
    assert [e.message for e in (await refusing.execute("{ name }")).errors] == ["names refused"]
    assert len(validated) == 2


async def test_the_least_recently_used_document_leaves_first(validated):
    small = strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8),
                                                       lambda: DocumentValidationCache(maxsize=2)])
    for text in ("{ name }", "{ __typename }", "{ name }", "{ a: name }", "{ name }", "{ __typename }"):
        assert not (await small.execute(text)).errors
    # "{ name }" was used again before "{ a: name }" came in, so "{ __typename }" left first
    assert [d.definitions[0].selection_set.selections[0].name.value for d in validated] == \
        ["name", "__typename", "name", "__typename"]
    assert len(validation_cache._results) == 2
