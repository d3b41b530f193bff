"""Per-country address rules: what each country requires, and the canonical form stored."""
from __future__ import annotations

import pytest

from domain.identity.addresses import AddressFields, validated
from domain.identity.countries import COUNTRIES
from domain.shared.errors import InvalidInput

REQUIRED_COUNTRIES = {"US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "JP", "AU", "IN", "BR", "MX"}


def _fields(country: str, region: str = "", postal: str = "", **changes) -> AddressFields:
    values = {"full_name": "Ada Reader", "line1": "1 Main Street", "city": "Springfield", "country_code": country,
              "region": region, "postal_code": postal, **changes}
    return AddressFields(**values)


def _error(fields: AddressFields) -> tuple[str, list[str] | None]:
    with pytest.raises(InvalidInput) as raised:
        validated(fields)
    return raised.value.code, raised.value.field


def test_the_table_covers_the_countries_we_ship_to():
    assert REQUIRED_COUNTRIES <= set(COUNTRIES)


@pytest.mark.parametrize(("country", "region", "postal", "stored"), [
    ("US", "ny", "10001", ("NY", "10001")),
    ("US", "DC", "20500-0003", ("DC", "20500-0003")),
    ("CA", "on", "K1A0B1", ("ON", "K1A 0B1")),
    ("CA", "BC", "v6b 4y8", ("BC", "V6B 4Y8")),
    ("GB", "", "sw1a 1aa", ("", "SW1A 1AA")),
    ("GB", "Greater London", "EC1A1BB", ("Greater London", "EC1A 1BB")),
    ("GB", "", "W1A 0AX", ("", "W1A 0AX")),
    ("GB", "", "M1 1AE", ("", "M1 1AE")),
    ("GB", "", "B33 8TH", ("", "B33 8TH")),
    ("GB", "", "CR2 6XH", ("", "CR2 6XH")),
    ("GB", "", "DN55 1PT", ("", "DN55 1PT")),
    ("IE", "Dublin", "d02x285", ("Dublin", "D02 X285")),
    ("IE", "", "", ("", "")),
    ("DE", "", "01067", ("", "01067")),
    ("FR", "", "75008", ("", "75008")),
    ("ES", "", "08001", ("", "08001")),
    ("IT", "", "00184", ("", "00184")),
    ("NL", "", "1012 ab", ("", "1012 AB")),
    ("JP", "東京都", "100-0001", ("東京都", "100-0001")),
    ("JP", "Hokkaidō", "0600001", ("Hokkaido", "060-0001")),
    ("JP", "osaka prefecture", "530-0001", ("Osaka", "530-0001")),
    ("AU", "vic", "3000", ("VIC", "3000")),
    ("IN", "tamil  nadu", "600001", ("Tamil Nadu", "600001")),
    ("BR", "RJ", "20040-020", ("RJ", "20040-020")),
    ("MX", "Jalisco", "44100", ("Jalisco", "44100")),
])
def test_valid_addresses_are_stored_in_their_canonical_form(country, region, postal, stored):
    address = validated(_fields(country, region, postal))
    assert (address.region, address.postal_code) == stored


@pytest.mark.parametrize(("country", "region", "postal", "field"), [
    ("US", "NY", "1000", "postalCode"),
    ("US", "NY", "10001 1234", "postalCode"),
    ("US", "", "10001", "region"),
    ("US", "New York", "10001", "region"),
    ("CA", "ON", "", "postalCode"),
    ("CA", "ON", "D1A 0B1", "postalCode"),
    ("CA", "", "K1A 0B1", "region"),
    ("GB", "", "", "postalCode"),
    ("GB", "", "QA1 1AA", "postalCode"),
    ("GB", "", "SW1A 1AAA", "postalCode"),
    ("IE", "", "B02 X285", "postalCode"),
    ("DE", "", "101150", "postalCode"),
    ("FR", "", "7500A", "postalCode"),
    ("ES", "", "", "postalCode"),
    ("IT", "", "0018", "postalCode"),
    ("NL", "", "1012", "postalCode"),
    ("JP", "Tokyo", "1000-001", "postalCode"),
    ("JP", "Gotham", "100-0001", "region"),
    ("AU", "", "3000", "region"),
    ("AU", "Victoria", "3000", "region"),
    ("IN", "Karnataka", "060001", "postalCode"),
    ("IN", "", "560001", "region"),
    ("BR", "XX", "20040-020", "region"),
    ("BR", "RJ", "2004-020", "postalCode"),
    ("MX", "", "4410", "postalCode"),
])
def test_invalid_addresses_name_the_field_at_fault(country, region, postal, field):
    assert _error(_fields(country, region, postal)) == ("ADDRESS_INVALID", ["input", field])


def test_an_unknown_country_is_not_supported():
    assert _error(_fields("ZZ")) == ("COUNTRY_NOT_SUPPORTED", ["input", "countryCode"])


@pytest.mark.parametrize("code", ["", "U", "USA", "1A", "Ü1"])
def test_a_country_code_is_two_letters(code):
    assert _error(_fields(code)) == ("ADDRESS_INVALID", ["input", "countryCode"])


@pytest.mark.parametrize(("phone", "ok"), [
    ("+44 20 7946 0958", True), ("(555) 010-0100", True), ("", True), ("1234", False), ("555-CALL-NOW", False),
    ("44+20 7946 0958", False), ("+" + "1" * 29, True), ("+" + "1" * 30, False),
])
def test_phone_numbers(phone, ok):
    fields = _fields("GB", postal="SW1A 1AA", phone=phone)
    if ok:
        assert validated(fields).phone == phone
    else:
        assert _error(fields) == ("ADDRESS_INVALID", ["input", "phone"])


def test_text_is_trimmed_and_control_characters_are_refused():
    address = validated(_fields("GB", postal="SW1A 1AA", full_name="  Ada\t Reader ", line2=" Flat\n2 "))
    assert (address.full_name, address.line2) == ("Ada Reader", "Flat 2")
    assert _error(_fields("GB", postal="SW1A 1AA", city="Lon\x07don")) == ("ADDRESS_INVALID", ["input", "city"])


@pytest.mark.parametrize(("name", "limit"), [("full_name", 100), ("line1", 200), ("line2", 200), ("city", 100)])
def test_lengths_match_the_table(name, limit):
    assert validated(_fields("GB", postal="SW1A 1AA", **{name: "x" * limit}))
    field = {"full_name": "fullName"}.get(name, name)
    assert _error(_fields("GB", postal="SW1A 1AA", **{name: "x" * (limit + 1)})) == ("ADDRESS_INVALID",
                                                                                     ["input", field])
