"""Mutations are named one way, verb-first (`createCart`, `placeOrder`), and each former name is
kept for a release as a deprecated alias: the same resolver, input and payload under the old
name, giving every role what the new name gives it."""
from __future__ import annotations

import re
import uuid

import pytest
from strawberry.utils.str_converters import to_camel_case

from api.schema import build_schema as build_api_schema
from domain.shared.config import Settings
from tests.api.authorization.cases import MUTATIONS
from tests.api.authorization.world import ROLES, make_world, outcome
from tests.conftest import create_database, drop_database, make_client
from tests.fixtures.db import suite_database
from tests.fixtures.sdl import built

SCHEMA = built()
FIELDS = SCHEMA.mutation_type.fields
CURRENT = sorted(name for name, field in FIELDS.items() if field.deprecation_reason is None)
ALIASES = {name: field.deprecation_reason for name, field in FIELDS.items() if field.deprecation_reason}

# The verbs mutation names start with. A new mutation whose verb is missing here is either named
# noun-first (rename it) or brings a new verb (add it).
VERBS = {"accept", "activate", "add", "answer", "append", "apply", "approve", "archive", "ask", "block", "borrow",
         "cancel", "change", "check", "clear", "create", "deactivate", "decline", "delete", "deregister",
         "dismiss", "follow", "hide", "invite", "issue", "join", "lend", "mark", "match", "merge", "move", "opt",
         "pause", "pay", "ping", "place", "redeliver", "record", "refresh", "refund", "register", "reject", "release", "remove",
         "rename", "report", "request", "reset", "resolve", "restore", "resume", "return", "revoke", "select",
         "set", "share", "sign", "skip", "start", "sync", "unblock", "unfollow", "update", "vote"}

RENAMED = {"cartCreate": "createCart", "cartLinesAdd": "addCartLines", "cartLinesUpdate": "updateCartLines",
           "cartLinesRemove": "removeCartLines", "cartSetShippingAddress": "setCartShippingAddress",
           "cartSetBillingAddress": "setCartBillingAddress", "cartSelectDeliveryOption": "selectCartDeliveryOption",
           "cartMerge": "mergeGuestCart", "productsImportCreate": "createProductImport",
           "productsImportAppend": "appendProductImportChunk", "productsImportStart": "startProductImport",
           "payoutSeller": "paySeller"}


def test_every_mutation_is_named_verb_first():
    assert len(CURRENT) > 60
    assert [name for name in CURRENT if re.match(r"[a-z]+", name).group() not in VERBS] == []


def test_each_former_name_is_a_deprecated_alias_of_its_new_name():
    assert ALIASES == {old: f"Use {new}." for old, new in RENAMED.items()}
    mutation_type = build_api_schema(Settings(env="development")).get_type_by_name("Mutation")
    resolvers = {to_camel_case(field.python_name): field.base_resolver.wrapped_func for field in mutation_type.fields}
    for old, new in RENAMED.items():
        alias, renamed = FIELDS[old], FIELDS[new]
        assert renamed.deprecation_reason is None
        assert str(alias.type) == str(renamed.type)
        assert {name: str(arg.type) for name, arg in alias.args.items()} == \
               {name: str(arg.type) for name, arg in renamed.args.items()}
        assert alias.description.startswith(f"Former name of `{new}`") and renamed.description in alias.description
        # One resolver: nothing to keep in step between the two names.
        assert resolvers[old] is resolvers[new]


@pytest.fixture(scope="module")
async def shared_database(seeded_template):
    name = f"{seeded_template}_aliases{uuid.uuid4().hex[:6]}"
    database = suite_database(await create_database(name, template=seeded_template))
    yield database
    await database.close()
    await drop_database(name)


@pytest.mark.parametrize("old", sorted(RENAMED))
async def test_each_alias_gives_every_role_what_its_new_name_gives(shared_database, old):
    new = RENAMED[old]
    case = MUTATIONS[new]
    document = re.sub(rf"\b{new}\(", f"{old}(", case.document)
    assert document != case.document
    async with make_client(shared_database) as http:
        world = await make_world(http, shared_database)
        got = {}
        for role in ROLES:
            variables = await case.prepare(world, role) if case.prepare else {}
            got[role] = outcome(await world.as_role(role, document, variables), old)
    assert got == case.expect
