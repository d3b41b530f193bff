"""The role matrix: every mutation and every Node type, tried as anonymous, another customer,
seller staff, an administrator and the owner, gives each role exactly its expected outcome."""
import uuid

import graphql
import pytest

from tests.api.authorization.cases import MUTATIONS, NODES, VARIANTS
from tests.api.authorization.world import ROLES, make_world, outcome
from tests.conftest import create_database, drop_database, make_client
from tests.fixtures.db import suite_database
from tests.fixtures.sdl import built

SCHEMA = built()
NODE_TYPES = sorted(t.name for t in SCHEMA.type_map.values()
                    if isinstance(t, graphql.GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces))


def test_the_matrix_covers_every_mutation_and_node_type():
    # Former names (deprecated aliases) are tried against their new names' cases in test_mutation_names.
    assert sorted(MUTATIONS) == sorted(name for name, field in SCHEMA.mutation_type.fields.items()
                                       if field.deprecation_reason is None)
    assert sorted(NODES) == NODE_TYPES
    assert {case.mutation for case in VARIANTS.values()} <= set(MUTATIONS)


@pytest.fixture(scope="module")
async def shared_database(seeded_template):
    name = f"{seeded_template}_matrix{uuid.uuid4().hex[:6]}"
    database = suite_database(await create_database(name, template=seeded_template))
    yield database
    await database.close()
    await drop_database(name)


CASES = {**MUTATIONS, **VARIANTS}


@pytest.mark.parametrize("mutation", sorted(CASES))
async def test_each_role_gets_its_outcome_of_the_mutation(shared_database, mutation):
    case = CASES[mutation]
    async with make_client(shared_database) as http:
        world = await make_world(http, shared_database)
        got = {}
        for role in ROLES:
            variables = await case.prepare(world, role) if case.prepare else {}
            got[role] = outcome(await world.as_role(role, case.document, variables), case.mutation or mutation)
    assert got == case.expect


@pytest.mark.parametrize("type_name", sorted(NODES))
async def test_each_role_sees_only_the_nodes_it_may(shared_database, type_name):
    make_id, expect = NODES[type_name]
    async with make_client(shared_database) as http:
        world = await make_world(http, shared_database)
        global_id = await make_id(world)
        got = {}
        for role in ROLES:
            body = await world.as_role(role, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id})
            assert "errors" not in body, body
            got[role] = "visible" if body["data"]["node"] else "hidden"
    assert got == expect
