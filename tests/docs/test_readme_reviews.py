"""The README's "Reviews and questions" section works as written: its GraphQL blocks run in order,
as a reader copies them, against a database with the demo customers. A block's variables are
what a reader would paste from the results before it: a variable `<type>Id` takes the first id of
that type in the latest result holding one, and the access token of a sign-in goes with every
request after it. So examples added to the section run too, without changing this test."""
from __future__ import annotations

import graphql

from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.docs.guides import README, ok, section_fences

SECTION = "Reviews and questions"
BLOCKS = section_fences(README, SECTION)


def _operation(document: str) -> graphql.OperationDefinitionNode:
    return next(d for d in graphql.parse(document).definitions if isinstance(d, graphql.OperationDefinitionNode))


def _first_ids(value, found: dict[str, str]) -> None:
    """The first global id of each type in a result, in the order the result lists them."""
    if isinstance(value, dict):
        parsed = ids.parse(value.get("id"))
        if parsed is not None:
            found.setdefault(parsed[0], value["id"])
        for item in value.values():
            _first_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            _first_ids(item, found)


def _token(value) -> str | None:
    if isinstance(value, dict):
        if isinstance(value.get("accessToken"), str):
            return value["accessToken"]
        value = list(value.values())
    if isinstance(value, list):
        return next((t for t in map(_token, value) if t is not None), None)
    return None


def test_the_section_is_runnable_steps():
    names = [_operation(document).name.value for _, document in BLOCKS]
    assert names == ["SignInDemoCustomer", "ReadProductReviews", "VoteReviewHelpful", "WriteProductReview",
                     "AskProductQuestion", "AnswerProductQuestion", "ReadProductQuestions"]
    # Tagged, so the stand-alone examples' test leaves them to this one.
    assert {tag for tag, _ in BLOCKS} == {"readme"}


async def test_the_reviews_and_questions_section_runs_as_written(writable_demo_database):
    token: str | None = None
    latest: dict[str, str] = {}
    results: dict[str, dict] = {}
    async with make_client(writable_demo_database) as http:
        for _, document in BLOCKS:
            operation = _operation(document)
            variables = {}
            for definition in operation.variable_definitions or ():
                name = definition.variable.name.value
                if definition.default_value is not None:
                    continue
                assert name.endswith("Id"), f"{operation.name.value}: no way to fill ${name}"
                type_name = name[0].upper() + name[1:-2]
                assert type_name in latest, f"{operation.name.value}: no {type_name} id in an earlier result"
                variables[name] = latest[type_name]
            body = await call(http, document, variables, token=token)
            field = operation.selection_set.selections[0]
            result = ok(body, (field.alias or field.name).value)
            results[operation.name.value] = result
            found: dict[str, str] = {}
            _first_ids(result, found)
            latest.update(found)
            token = _token(result) or token

    assert results["SignInDemoCustomer"]["tokens"]["accessToken"]
    product = results["ReadProductReviews"]
    top = product["reviews"]["nodes"][0]
    assert results["VoteReviewHelpful"]["review"] == {"id": top["id"], "helpfulVotes": top["helpfulVotes"] + 1}
    written = results["WriteProductReview"]["review"]
    assert written["product"]["id"] == product["id"]
    assert (written["stars"], written["title"]) == (5, "Still magic")
    assert written["product"]["ratingSummary"]["count"] == product["ratingSummary"]["count"] + 1
    asked = results["AskProductQuestion"]["question"]
    assert asked["product"]["id"] == product["id"] and asked["answerCount"] == 0
    answered = results["AnswerProductQuestion"]["answer"]
    # reader-3 never bought this edition's book: a customer's answer.
    assert answered["answeredBy"] == "CUSTOMER"
    page = results["ReadProductQuestions"]["questions"]
    assert page["totalCount"] == 1
    assert page["nodes"] == [{"id": asked["id"], "text": asked["text"], "answerCount": 1,
                              "topAnswer": {**answered, "id": answered["id"]}}]
