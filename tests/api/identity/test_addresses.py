"""The address book over HTTP: per-country validation, the default address, the limit, and
that only the owner (or an administrator reading) ever sees an address."""
from __future__ import annotations

import asyncio
import base64

import pytest

from tests.api.identity.helpers import call, rows
from tests.fixtures.identity import account

FIELDS = "id fullName line1 line2 city region postalCode countryCode phone isDefault"
CREATE = f"""mutation($input: CreateAddressInput!) {{ createAddress(input: $input) {{
  address {{ {FIELDS} }} userErrors {{ code message field }} }} }}"""
UPDATE = f"""mutation($input: UpdateAddressInput!) {{ updateAddress(input: $input) {{
  address {{ {FIELDS} }} userErrors {{ code message field }} }} }}"""
DELETE = """mutation($id: ID!) { deleteAddress(input: {addressId: $id}) {
  deletedAddressId userErrors { code message field } } }"""
SET_DEFAULT = """mutation($id: ID!) { setDefaultAddress(input: {addressId: $id}) {
  address { id isDefault } userErrors { code message field } } }"""
BOOK = f"{{ viewer {{ customer {{ addresses {{ {FIELDS} }} defaultAddress {{ id }} }} }} }}"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Address { id fullName city } } }"

US = {"fullName": "Ada Reader", "line1": "1 Main Street", "city": "Springfield", "region": "IL",
      "postalCode": "62701", "countryCode": "US"}


def _address(**changes) -> dict:
    return {**US, **changes}


async def _create(http, caller, **changes) -> dict:
    body = await caller(http, CREATE, {"input": _address(**changes)})
    assert body["data"]["createAddress"]["userErrors"] == [], body
    return body["data"]["createAddress"]["address"]


async def _book(http, caller) -> list[dict]:
    return (await caller(http, BOOK))["data"]["viewer"]["customer"]["addresses"]


@pytest.fixture
def http(client):
    """Every test works in its own new accounts, so all share the read database."""
    return client


async def test_first_address_is_normalized_and_becomes_the_default(http, database):
    ada = await account(http, database)
    body = await ada(http, CREATE, {"input": {
        "fullName": "  Ada   Reader ", "line1": " 1600 Amphitheatre Pkwy ", "line2": "", "city": " Mountain View ",
        "region": "ca", "postalCode": " 94043-1351 ", "countryCode": "us", "phone": "+1 (650) 253-0000"}})
    result = body["data"]["createAddress"]
    assert result["userErrors"] == []
    address = result["address"]
    assert address == {"id": address["id"], "fullName": "Ada Reader", "line1": "1600 Amphitheatre Pkwy", "line2": "",
                       "city": "Mountain View", "region": "CA", "postalCode": "94043-1351", "countryCode": "US",
                       "phone": "+1 (650) 253-0000", "isDefault": True}
    book = (await ada(http, BOOK))["data"]["viewer"]["customer"]
    assert book == {"addresses": [address], "defaultAddress": {"id": address["id"]}}
    assert base64.urlsafe_b64decode(address["id"] + "==").decode().startswith("Address:")


async def test_an_empty_book_has_no_default(http, database):
    ada = await account(http, database)
    assert (await ada(http, BOOK))["data"]["viewer"]["customer"] == {"addresses": [], "defaultAddress": None}


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"countryCode": "ZZ"}, "COUNTRY_NOT_SUPPORTED", "countryCode"),
    ({"countryCode": "USA"}, "ADDRESS_INVALID", "countryCode"),
    ({"fullName": "   "}, "ADDRESS_INVALID", "fullName"),
    ({"fullName": "x" * 101}, "ADDRESS_INVALID", "fullName"),
    ({"line1": ""}, "ADDRESS_INVALID", "line1"),
    ({"line1": "x" * 201}, "ADDRESS_INVALID", "line1"),
    ({"line2": "x" * 201}, "ADDRESS_INVALID", "line2"),
    ({"city": ""}, "ADDRESS_INVALID", "city"),
    ({"city": "x" * 101}, "ADDRESS_INVALID", "city"),
    ({"region": ""}, "ADDRESS_INVALID", "region"),
    ({"region": "Illinois"}, "ADDRESS_INVALID", "region"),
    ({"postalCode": ""}, "ADDRESS_INVALID", "postalCode"),
    ({"postalCode": "6270"}, "ADDRESS_INVALID", "postalCode"),
    ({"postalCode": "62701-12"}, "ADDRESS_INVALID", "postalCode"),
    ({"phone": "+1 555 0100 ext. 4"}, "ADDRESS_INVALID", "phone"),
    ({"phone": "1" * 31}, "ADDRESS_INVALID", "phone"),
    ({"countryCode": "CA", "region": "ON", "postalCode": "K1A 0B"}, "ADDRESS_INVALID", "postalCode"),
    ({"countryCode": "CA", "region": "XX", "postalCode": "K1A 0B1"}, "ADDRESS_INVALID", "region"),
    ({"countryCode": "GB", "region": "", "postalCode": "SW1A1A"}, "ADDRESS_INVALID", "postalCode"),
    ({"countryCode": "DE", "region": "", "postalCode": "1011"}, "ADDRESS_INVALID", "postalCode"),
    ({"countryCode": "NL", "region": "", "postalCode": "0123 AB"}, "ADDRESS_INVALID", "postalCode"),
    ({"countryCode": "JP", "region": "", "postalCode": "100-0001"}, "ADDRESS_INVALID", "region"),
    ({"countryCode": "JP", "region": "Tokyo", "postalCode": "100-001"}, "ADDRESS_INVALID", "postalCode"),
    ({"countryCode": "AU", "region": "NSW", "postalCode": "20000"}, "ADDRESS_INVALID", "postalCode"),
])
async def test_an_invalid_address_names_the_field_at_fault_and_adds_nothing(http, database, changes, code,
                                                                           field):
    ada = await account(http, database)
    body = await ada(http, CREATE, {"input": _address(**changes)})
    result = body["data"]["createAddress"]
    assert result["address"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, ["input", field])]
    assert await _book(http, ada) == []


async def test_country_not_supported_says_which(http, database):
    ada = await account(http, database)
    body = await ada(http, CREATE, {"input": _address(countryCode="zz")})
    assert body["data"]["createAddress"]["userErrors"] == [
        {"code": "COUNTRY_NOT_SUPPORTED", "message": "We do not ship to the country ZZ.",
         "field": ["input", "countryCode"]}]


@pytest.mark.parametrize(("country", "region", "postal", "stored_region", "stored_postal"), [
    ("CA", "qc", "h2x1y4", "QC", "H2X 1Y4"),
    ("GB", "", "sw1a1aa", "", "SW1A 1AA"),
    ("IE", "", "", "", ""),
    ("DE", "Berlin", "10115", "Berlin", "10115"),
    ("FR", "", "75001", "", "75001"),
    ("ES", "", "28013", "", "28013"),
    ("IT", "MI", "20121", "MI", "20121"),
    ("NL", "", "1012ab", "", "1012 AB"),
    ("JP", "tokyo-to", "1000001", "Tokyo", "100-0001"),
    ("AU", "nsw", "2000", "NSW", "2000"),
    ("IN", "karnataka", "560 001", "Karnataka", "560001"),
    ("BR", "sp", "01310100", "SP", "01310-100"),
    ("MX", "", "06600", "", "06600"),
])
async def test_each_country_stores_its_canonical_form(http, database, country, region, postal,
                                                      stored_region, stored_postal):
    ada = await account(http, database)
    address = await _create(http, ada, countryCode=country, region=region, postalCode=postal)
    assert (address["countryCode"], address["region"], address["postalCode"]) == (country, stored_region,
                                                                                   stored_postal)


async def test_at_most_fifty_addresses(http, database):
    ada = await account(http, database)
    for n in range(50):
        await _create(http, ada, line1=f"{n + 1} Main Street")
    body = await ada(http, CREATE, {"input": _address(line1="51 Main Street")})
    assert body["data"]["createAddress"] == {"address": None, "userErrors": [{
        "code": "ADDRESS_LIMIT_REACHED", "message": "An address book holds at most 50 addresses; delete one first.",
        "field": None}]}
    assert len(await _book(http, ada)) == 50


async def test_a_new_default_replaces_the_old_one_and_leads_the_list(http, database):
    ada = await account(http, database)
    first = await _create(http, ada, line1="1 First Street")
    second = await _create(http, ada, line1="2 Second Street")
    assert second["isDefault"] is False
    third = await _create(http, ada, line1="3 Third Street", isDefault=True)
    assert third["isDefault"] is True
    book = await _book(http, ada)
    assert [(a["id"], a["isDefault"]) for a in book] == [(third["id"], True), (second["id"], False),
                                                         (first["id"], False)]


async def test_set_default_address(http, database):
    ada = await account(http, database)
    first = await _create(http, ada, line1="1 First Street")
    second = await _create(http, ada, line1="2 Second Street")
    body = await ada(http, SET_DEFAULT, {"id": second["id"]})
    assert body["data"]["setDefaultAddress"] == {"address": {"id": second["id"], "isDefault": True}, "userErrors": []}
    customer = (await ada(http, BOOK))["data"]["viewer"]["customer"]
    assert [(a["id"], a["isDefault"]) for a in customer["addresses"]] == [(second["id"], True), (first["id"], False)]
    assert customer["defaultAddress"] == {"id": second["id"]}
    again = await ada(http, SET_DEFAULT, {"id": second["id"]})
    assert again["data"]["setDefaultAddress"]["userErrors"] == []


async def test_deleting_the_default_promotes_the_newest_remaining_address(http, database):
    ada = await account(http, database)
    first = await _create(http, ada, line1="1 First Street")
    second = await _create(http, ada, line1="2 Second Street")
    third = await _create(http, ada, line1="3 Third Street")
    body = await ada(http, DELETE, {"id": first["id"]})
    assert body["data"]["deleteAddress"] == {"deletedAddressId": first["id"], "userErrors": []}
    customer = (await ada(http, BOOK))["data"]["viewer"]["customer"]
    assert [(a["id"], a["isDefault"]) for a in customer["addresses"]] == [(third["id"], True), (second["id"], False)]
    await ada(http, DELETE, {"id": second["id"]})
    assert [(a["id"], a["isDefault"]) for a in await _book(http, ada)] == [(third["id"], True)]
    await ada(http, DELETE, {"id": third["id"]})
    assert (await ada(http, BOOK))["data"]["viewer"]["customer"] == {"addresses": [], "defaultAddress": None}


async def test_deleting_twice_is_not_found(http, database):
    ada = await account(http, database)
    address = await _create(http, ada)
    await ada(http, DELETE, {"id": address["id"]})
    body = await ada(http, DELETE, {"id": address["id"]})
    assert body["data"]["deleteAddress"] == {"deletedAddressId": None, "userErrors": [{
        "code": "NOT_FOUND", "message": "No such address in your address book.", "field": ["input", "addressId"]}]}


async def test_update_changes_only_the_given_fields(http, database):
    ada = await account(http, database)
    address = await _create(http, ada, phone="555 0100", line2="Apt 4")
    body = await ada(http, UPDATE, {"input": {"addressId": address["id"], "city": " Chicago ", "postalCode": "60601",
                                              "line2": ""}})
    result = body["data"]["updateAddress"]
    assert result["userErrors"] == []
    assert result["address"] == {**address, "city": "Chicago", "postalCode": "60601", "line2": ""}
    assert await _book(http, ada) == [result["address"]]


async def test_update_revalidates_the_whole_address_and_changes_nothing_when_invalid(http, database):
    ada = await account(http, database)
    address = await _create(http, ada)
    body = await ada(http, UPDATE, {"input": {"addressId": address["id"], "countryCode": "CA"}})
    result = body["data"]["updateAddress"]
    assert result["address"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("ADDRESS_INVALID", ["input", "region"])]
    assert await _book(http, ada) == [address]
    moved = await ada(http, UPDATE, {"input": {"addressId": address["id"], "countryCode": "CA", "region": "ON",
                                               "postalCode": "k1a0b1"}})
    assert moved["data"]["updateAddress"]["address"] == {**address, "countryCode": "CA", "region": "ON",
                                                         "postalCode": "K1A 0B1"}


async def test_another_customers_address_is_not_found_and_unchanged(http, database):
    ada = await account(http, database)
    bob = await account(http, database)
    address = await _create(http, ada)
    expected = {"code": "NOT_FOUND", "message": "No such address in your address book.",
                "field": ["input", "addressId"]}
    update = await bob(http, UPDATE, {"input": {"addressId": address["id"], "city": "Elsewhere"}})
    assert update["data"]["updateAddress"] == {"address": None, "userErrors": [expected]}
    delete = await bob(http, DELETE, {"id": address["id"]})
    assert delete["data"]["deleteAddress"] == {"deletedAddressId": None, "userErrors": [expected]}
    default = await bob(http, SET_DEFAULT, {"id": address["id"]})
    assert default["data"]["setDefaultAddress"] == {"address": None, "userErrors": [expected]}
    assert await _book(http, ada) == [address]
    assert await _book(http, bob) == []


async def test_node_shows_an_address_to_its_owner_and_an_administrator_only(http, database):
    ada = await account(http, database)
    bob = await account(http, database)
    admin = await account(http, database, admin=True)
    staff = await account(http, database, seller_id=1)
    address = await _create(http, ada)
    seen = {"__typename": "Address", "id": address["id"], "fullName": "Ada Reader", "city": "Springfield"}
    assert (await ada(http, NODE, {"id": address["id"]}))["data"]["node"] == seen
    assert (await admin(http, NODE, {"id": address["id"]}))["data"]["node"] == seen
    assert (await bob(http, NODE, {"id": address["id"]}))["data"]["node"] is None
    assert (await staff(http, NODE, {"id": address["id"]}))["data"]["node"] is None
    assert (await call(http, NODE, {"id": address["id"]}))["data"]["node"] is None


async def test_an_administrator_reads_a_customers_address_book_through_the_customer_node(http, database):
    ada = await account(http, database)
    admin = await account(http, database, admin=True)
    address = await _create(http, ada)
    customer_id = (await ada(http, "{ viewer { customer { id } } }"))["data"]["viewer"]["customer"]["id"]
    body = await admin(http, "query($id: ID!) { node(id: $id) { ... on Customer { addresses { id } "
                             "defaultAddress { id } } } }", {"id": customer_id})
    assert body["data"]["node"] == {"addresses": [{"id": address["id"]}], "defaultAddress": {"id": address["id"]}}


async def test_anonymous_callers_cannot_create_addresses(http, database):
    before = await rows(database, "SELECT count(*) FROM addresses")
    body = await call(http, CREATE, {"input": _address()})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await rows(database, "SELECT count(*) FROM addresses") == before


async def test_an_address_id_of_another_type_is_a_clear_error(http, database):
    ada = await account(http, database)
    customer_id = (await ada(http, "{ viewer { customer { id } } }"))["data"]["viewer"]["customer"]["id"]
    body = await ada(http, SET_DEFAULT, {"id": customer_id})
    assert body["data"]["setDefaultAddress"]["address"] is None
    [error] = body["data"]["setDefaultAddress"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_ID", ["input", "addressId"])
    assert "not of an Address" in error["message"]


async def test_concurrent_first_addresses_make_exactly_one_default(http, database):
    ada = await account(http, database)
    results = await asyncio.gather(*(ada(http, CREATE, {"input": _address(line1=f"{n} Main Street")})
                                     for n in range(1, 7)))
    assert [r["data"]["createAddress"]["userErrors"] for r in results] == [[]] * 6
    defaults = await rows(database, "SELECT count(*) FROM addresses WHERE account_id = $1 AND is_default",
                          ada.account_id)
    assert defaults[0][0] == 1


async def test_concurrent_set_default_calls_leave_exactly_one_default(http, database):
    ada = await account(http, database)
    addresses = [await _create(http, ada, line1=f"{n} Main Street") for n in range(1, 7)]
    results = await asyncio.gather(*(ada(http, SET_DEFAULT, {"id": a["id"]}) for a in addresses))
    assert [r["data"]["setDefaultAddress"]["userErrors"] for r in results] == [[]] * 6
    book = await _book(http, ada)
    assert len(book) == 6
    assert sum(a["isDefault"] for a in book) == 1
    assert book[0]["isDefault"] is True
