"""The customer's address book: validated per country, one default, at most 50 addresses.

Every change to an account's addresses first takes the account row's lock (`FOR NO KEY
UPDATE`, which does not block sign-ins), so the limit and the single default hold under
concurrent requests; the unique partial index on (account_id) WHERE is_default is the last
line of defence."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.countries import COUNTRIES
from domain.identity.entities import Address
from domain.identity.errors import IdentityErrorCode
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput, NotFound
from domain.shared.principal import Principal

COLUMNS = "id, account_id, full_name, line1, line2, city, region, postal_code, country_code, phone, is_default"
MAX_ADDRESSES = 50
# Column widths of the addresses table.
MAX_FULL_NAME = 100
MAX_LINE = 200
MAX_CITY = 100
MAX_REGION = 100
MAX_POSTAL_CODE = 20
MAX_PHONE = 30
PHONE = re.compile(r"\+?[0-9 ()\-]+")
MIN_PHONE_DIGITS = 5
# Listing order: the default first, then the newest.
ORDER = "is_default DESC, created_at DESC, id DESC"


@dataclass(frozen=True, slots=True)
class AddressFields:
    """What a customer types for an address; `validated` gives the stored form."""

    full_name: str
    line1: str
    city: str
    country_code: str
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""


def _invalid(message: str, name: str) -> InvalidInput:
    return InvalidInput(message, code=IdentityErrorCode.ADDRESS_INVALID, field=["input", name])


def _text(value: str, name: str, label: str, limit: int, required: bool) -> str:
    value = " ".join(value.split())
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise _invalid(f"The {label} contains control characters.", name)
    if required and not value:
        raise _invalid(f"The {label} is required.", name)
    if len(value) > limit:
        raise _invalid(f"The {label} has at most {limit} characters.", name)
    return value


def validated(address: AddressFields) -> AddressFields:
    """Trims and checks every field, then applies the country's rules: which of region and
    postal code it requires, the postal code's format (stored upper-case in the post's
    canonical spelling) and, where the post has a fixed list, the region's name or code."""
    country_code = address.country_code.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country_code):
        raise _invalid("Give the country as its 2-letter ISO 3166 code, e.g. US.", "countryCode")
    country = COUNTRIES.get(country_code)
    if country is None:
        raise InvalidInput(f"We do not ship to the country {country_code}.", code=IdentityErrorCode.COUNTRY_NOT_SUPPORTED,
                           field=["input", "countryCode"])
    full_name = _text(address.full_name, "fullName", "full name", MAX_FULL_NAME, True)
    line1 = _text(address.line1, "line1", "first address line", MAX_LINE, True)
    line2 = _text(address.line2, "line2", "second address line", MAX_LINE, False)
    city = _text(address.city, "city", "city", MAX_CITY, True)

    label = country.region_label
    region = _text(address.region, "region", label, MAX_REGION, country.region_required)
    if region:
        canonical = country.canonical_region(region)
        if canonical is None:
            raise _invalid(f"{region!r} is not a {label} of {country.name}; give {country.region_hint}.", "region")
        region = canonical

    postal_code = _text(address.postal_code, "postalCode", "postal code", MAX_POSTAL_CODE,
                        country.postal_required).upper()
    if postal_code and country.postal is not None:
        canonical = country.postal.canonical(postal_code)
        if canonical is None:
            raise _invalid(f"{postal_code!r} is not a postal code of {country.name}; it looks like "
                           f"{country.postal.example}.", "postalCode")
        postal_code = canonical

    phone = " ".join(address.phone.split())
    if phone:
        digits = sum(c.isdigit() for c in phone)
        if len(phone) > MAX_PHONE or not PHONE.fullmatch(phone) or digits < MIN_PHONE_DIGITS:
            raise _invalid(f"A phone number has at most {MAX_PHONE} characters: at least {MIN_PHONE_DIGITS} digits,"
                           " spaces, dashes, parentheses and a leading +.", "phone")
    return AddressFields(full_name=full_name, line1=line1, city=city, country_code=country_code, line2=line2,
                         region=region, postal_code=postal_code, phone=phone)


def _values(address: AddressFields) -> dict:
    return {f.name: getattr(address, f.name) for f in fields(address)}


async def _lock_account(session: AsyncSession, account_id: int) -> None:
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR NO KEY UPDATE"), {"id": account_id})


async def _own(session: AsyncSession, account_id: int, address_id: int) -> Address:
    row = (await session.execute(text(
        f"SELECT {COLUMNS} FROM addresses WHERE id = :id AND account_id = :account FOR UPDATE"),
        {"id": address_id, "account": account_id})).one_or_none()
    if row is None:
        raise NotFound("No such address in your address book.", field=["input", "addressId"])
    return Address(*row)


async def _clear_default(session: AsyncSession, account_id: int) -> None:
    await session.execute(text("UPDATE addresses SET is_default = false WHERE account_id = :account AND is_default"),
                          {"account": account_id})


async def create(session: AsyncSession, principal: Principal, address: AddressFields,
                 make_default: bool = False) -> Address:
    """Adds a validated address to the caller's book (at most 50). The first address is the
    default; `make_default` makes a later one the default instead of the current one."""
    account_id = principal.require_signed_in()
    address = validated(address)
    await _lock_account(session, account_id)
    count = (await session.execute(text("SELECT count(*) FROM addresses WHERE account_id = :account"),
                                   {"account": account_id})).scalar()
    if count >= MAX_ADDRESSES:
        raise InvalidInput(f"An address book holds at most {MAX_ADDRESSES} addresses; delete one first.",
                           code=IdentityErrorCode.ADDRESS_LIMIT_REACHED)
    is_default = make_default or count == 0
    if is_default:
        await _clear_default(session, account_id)
    row = (await session.execute(text(
        "INSERT INTO addresses (account_id, full_name, line1, line2, city, region, postal_code, country_code,"
        " phone, is_default) VALUES (:account, :full_name, :line1, :line2, :city, :region, :postal_code,"
        f" :country_code, :phone, :is_default) RETURNING {COLUMNS}"),
        {"account": account_id, "is_default": is_default, **_values(address)})).one()
    return Address(*row)


async def update(session: AsyncSession, principal: Principal, address_id: int, changes: dict[str, str]) -> Address:
    """Changes some fields of one of the caller's addresses; the result is validated as a
    whole (a new country re-checks the region and postal code)."""
    account_id = principal.require_signed_in()
    current = await _own(session, account_id, address_id)
    merged = replace(AddressFields(**{f.name: getattr(current, f.name) for f in fields(AddressFields)}), **changes)
    address = validated(merged)
    row = (await session.execute(text(
        "UPDATE addresses SET full_name = :full_name, line1 = :line1, line2 = :line2, city = :city,"
        " region = :region, postal_code = :postal_code, country_code = :country_code, phone = :phone"
        f" WHERE id = :id RETURNING {COLUMNS}"), {"id": current.id, **_values(address)})).one()
    return Address(*row)


async def delete(session: AsyncSession, principal: Principal, address_id: int) -> int:
    """Deletes one of the caller's addresses; when it was the default, the newest remaining
    address becomes the default."""
    account_id = principal.require_signed_in()
    await _lock_account(session, account_id)
    address = await _own(session, account_id, address_id)
    await session.execute(text("DELETE FROM addresses WHERE id = :id"), {"id": address.id})
    if address.is_default:
        await session.execute(text(
            "UPDATE addresses SET is_default = true WHERE id = (SELECT id FROM addresses WHERE account_id = :account"
            " ORDER BY created_at DESC, id DESC LIMIT 1)"), {"account": account_id})
    return address.id


async def set_default(session: AsyncSession, principal: Principal, address_id: int) -> Address:
    """Makes one of the caller's addresses the default (the previous default stops being it)."""
    account_id = principal.require_signed_in()
    await _lock_account(session, account_id)
    address = await _own(session, account_id, address_id)
    if not address.is_default:
        await _clear_default(session, account_id)
        await session.execute(text("UPDATE addresses SET is_default = true WHERE id = :id"), {"id": address.id})
        address.is_default = True
    return address


async def addresses_by_accounts(reader: Reader, principal: Principal,
                                account_ids: list[int]) -> dict[int, list[Address]]:
    """Address books of accounts the caller may see (their own, or any for an administrator),
    the default first, then the newest."""
    visible = [i for i in account_ids if principal.may_see_account(i)]
    if not visible:
        return {}
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM addresses WHERE account_id = ANY($1::bigint[])"
                              f" ORDER BY account_id, {ORDER}", visible)
    books: dict[int, list[Address]] = {i: [] for i in visible}
    for row in rows:
        books[row[1]].append(Address(*row))
    return books


async def addresses_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, Address]:
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM addresses WHERE id = ANY($1::bigint[])", list(ids))
    return {r[0]: Address(*r) for r in rows if principal.may_see_account(r[1])}
