"""A brand's registered owner and a seller's staff, sending generated queries and mutations over
the whole schema, never learn who follows a brand: canary customers with unique e-mails and names
follow the brand (one opted out with its message's link, all sent a campaign), and every response
is searched for their e-mails, names, global IDs and opt-out tokens."""
import functools

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis_graphql import mutations, queries

from api.core import ids
from domain.identity import tokens
from domain.marketplace.campaigns import links
from domain.shared.config import Settings
from tests.api.test_seller_privacy_fuzz import SCALARS, SESSION_ENDING, _leaks
from tests.conftest import make_client
from tests.fixtures.brand_campaigns import CREATE, FOLLOW, OWNER_VIEW, WITH_LINK, owned_brand, send_all
from tests.fixtures.db import execute
from tests.fixtures.identity import account
from tests.fixtures.sdl import built


@functools.cache
def _strategies() -> dict:
    """One strategy per root field, built once, when the test runs: building them reads the
    whole schema for seconds, which every worker would pay while collecting the suite."""
    schema = built()
    return {**{name: queries(schema, fields=[name], custom_scalars=SCALARS)
               for name in sorted(schema.query_type.fields)},
            **{name: mutations(schema, fields=[name], custom_scalars=SCALARS)
               for name in sorted(set(schema.mutation_type.fields) - SESSION_ENDING)}}


_state: dict = {}


async def _plant(http, database) -> dict:
    brand = await owned_brand(http, database)
    canaries = []
    for n in range(3):
        customer = await account(http, database, f"zebulon-canary{n}")
        name = f"Zebulon Quillfeather {n}"
        await execute(database, "UPDATE accounts SET display_name = $1 WHERE id = $2", name, customer.account_id)
        assert (await customer(http, FOLLOW, {"id": brand.gid}))["data"]["followBrand"]["userErrors"] == []
        token = links.token(tokens.signing_key(Settings(env="development")), customer.account_id, brand.id)
        canaries += [customer.email, name, ids.encode("Customer", customer.account_id), token]
    created = await brand.owner(http, CREATE, {"input": {"brandId": brand.gid, "kind": "ANNOUNCEMENT",
                                                         "subject": "News", "text": "We moved."}})
    assert created["data"]["createBrandCampaign"]["campaign"]["status"] == "SCHEDULED"
    await send_all(database)
    opted = await http.post("/graphql", json={"query": WITH_LINK, "variables": {"token": canaries[3]}})
    assert opted.json()["data"]["optOutOfBrandMessagesWithLink"]["userErrors"] == []
    seen = (await brand.owner(http, OWNER_VIEW, {"id": brand.gid}))["data"]["node"]
    assert seen["followerCount"] == 3
    assert seen["campaigns"]["nodes"][0]["results"] == {"recipients": 3, "delivered": 3, "optedOutSince": 1}
    # The search would see a leak: the canaries' own view shows them.
    own = await http.post("/graphql", json={"query": "{ viewer { customer { id email displayName } } }"},
                          headers={"Authorization": f"Bearer {customer.token}"})
    assert len(_leaks(own.text, canaries)) == 3
    staff = await account(http, database, "fuzzstaff", seller_id=2)
    return {"canaries": canaries, "callers": [brand.owner, staff]}


def _documents() -> list[str]:
    """Two generated documents for every root field (queries and mutations), so every operation a
    brand owner or a seller can reach is tried, not a random few. Each field is drawn in a run of
    its own: one draw over the whole schema overruns Hypothesis's buffer and is thrown away and
    redrawn, sending everything again each time."""
    documents: list[str] = []
    for strategy in _strategies().values():
        @settings(max_examples=2, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(document=strategy)
        def collect(document: str) -> None:
            documents.append(document)

        collect()
    return documents


async def test_brand_owners_and_sellers_never_learn_who_follows_a_brand(writable_database):
    http = make_client(writable_database)
    _state.update({"http": http, **await _plant(http, writable_database)})
    documents = _documents()
    assert len(documents) >= len(_strategies())
    for document in documents:
        await _try(document)


async def _try(document: str) -> None:
    http = _state["http"]
    for caller in _state["callers"]:
        response = await http.post("/graphql", json={"query": document},
                                   headers={"Authorization": f"Bearer {caller.token}"})
        assert response.status_code == 200, response.text
        assert _leaks(response.text, _state["canaries"]) == [], (document, response.text[:500])
        for error in response.json().get("errors", []):
            assert error.get("extensions", {}).get("code") not in ("INTERNAL_SERVER_ERROR", "UNAUTHENTICATED"), (
                document, error)
