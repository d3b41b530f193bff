"""The mutation payload convention: a domain error becomes a typed `userErrors` entry whose code
is a `UserErrorCode` from the mutation family's codes, and the result field stays null."""
from enum import StrEnum

import strawberry

from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError, user_errors
from domain.shared.errors import DomainError, InvalidInput


class ExampleErrorCode(StrEnum):
    INVALID = "INVALID"
    QUANTITY_LIMIT = "QUANTITY_LIMIT"


EXAMPLE_CODES = error_codes(ExampleErrorCode, description="INVALID, QUANTITY_LIMIT (at most 10).")


@strawberry.type(description="An example user error.")
class ExampleUserError(UserError):
    code: UserErrorCode = EXAMPLE_CODES.field()


@strawberry.type(description="Payload.")
class SetQuantityPayload:
    quantity: int | None = strawberry.field(description="The quantity set.")
    user_errors: list[ExampleUserError] = strawberry.field(description="Expected failures.")


def _set_quantity(quantity: int) -> int:
    if quantity > 10:
        raise InvalidInput("At most 10 per order.", code=ExampleErrorCode.QUANTITY_LIMIT, field=["input", "quantity"])
    if quantity < 1:
        raise DomainError("Quantity must be positive.", code="NOT_FOUND")
    return quantity


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Example.")
    def set_quantity(self, quantity: int) -> SetQuantityPayload:
        try:
            return SetQuantityPayload(quantity=_set_quantity(quantity), user_errors=[])
        except DomainError as error:
            return SetQuantityPayload(quantity=None, user_errors=user_errors(error, ExampleUserError, EXAMPLE_CODES))


@strawberry.type
class Query:
    ok: bool = strawberry.field(default=True, description="Example.")


schema = strawberry.Schema(query=Query, mutation=Mutation)
MUTATION = "mutation($q: Int!) { setQuantity(quantity: $q) { quantity userErrors { code message field } } }"


def test_domain_error_becomes_a_typed_user_error():
    result = schema.execute_sync(MUTATION, variable_values={"q": 11})
    assert result.errors is None
    assert result.data == {"setQuantity": {"quantity": None, "userErrors": [
        {"code": "QUANTITY_LIMIT", "message": "At most 10 per order.", "field": ["input", "quantity"]}]}}


def test_a_code_the_context_does_not_declare_is_a_bug_not_invalid():
    result = schema.execute_sync(MUTATION, variable_values={"q": 0})
    assert result.data is None
    assert [e.message for e in result.errors] == ["ExampleErrorCode has no code 'NOT_FOUND'"]
    assert isinstance(result.errors[0].original_error, LookupError)


def test_success_has_no_user_errors():
    result = schema.execute_sync(MUTATION, variable_values={"q": 3})
    assert result.data == {"setQuantity": {"quantity": 3, "userErrors": []}}


def test_the_interface_reads_the_code_of_any_error_type():
    query = "mutation($q: Int!) { setQuantity(quantity: $q) { userErrors { __typename ... on UserError { code field } } } }"
    result = schema.execute_sync(query, variable_values={"q": 11})
    assert result.data == {"setQuantity": {"userErrors": [
        {"__typename": "ExampleUserError", "code": "QUANTITY_LIMIT", "field": ["input", "quantity"]}]}}


def test_an_invalid_id_is_a_code_of_every_family():
    assert "INVALID_ID" in EXAMPLE_CODES
    assert "INVALID_ID" not in ExampleErrorCode.__members__
