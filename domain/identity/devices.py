"""E-readers and apps registered to an account (licences count device slots against them)."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.entities import Device
from domain.identity.errors import IdentityErrorCode
from domain.identity.sessions import revoke_sessions
from domain.identity.statuses import ClientKind
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput, NotFound
from domain.shared.principal import Principal

COLUMNS = "id, account_id, kind::text, name, serial_number, registered_at, deregistered_at"
MAX_ACTIVE_DEVICES = 20
MAX_NAME = 60
MAX_SERIAL = 100


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidInput(f"A device name has 1 to {MAX_NAME} characters.", code=IdentityErrorCode.DEVICE_NAME_INVALID,
                           field=["input", "name"])
    return name


async def register(session: AsyncSession, principal: Principal, kind: str, name: str,
                   serial_number: str | None) -> Device:
    """Registers a device to the caller's account and binds the caller's session to it.
    The same serial number registered again returns the device already registered (an
    e-reader retrying after a lost answer gets one device, not two). At most 20 active devices."""
    account_id = principal.require_signed_in()
    if kind not in set(ClientKind):
        raise InvalidInput("Unknown device kind.", field=["input", "kind"])
    name = _name(name)
    if serial_number is not None:
        serial_number = serial_number.strip()
        if not 1 <= len(serial_number) <= MAX_SERIAL:
            raise InvalidInput(f"A serial number has 1 to {MAX_SERIAL} characters.", code=IdentityErrorCode.SERIAL_NUMBER_INVALID,
                               field=["input", "serialNumber"])
    # One account's device registrations are serialized, so the limit holds under races.
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR UPDATE"), {"id": account_id})
    row = None
    if serial_number is not None:
        row = (await session.execute(text(
            f"SELECT {COLUMNS} FROM devices WHERE account_id = :account AND serial_number = :serial"
            " AND deregistered_at IS NULL"), {"account": account_id, "serial": serial_number})).one_or_none()
    if row is None:
        active = (await session.execute(text(
            "SELECT count(*) FROM devices WHERE account_id = :account AND deregistered_at IS NULL"),
            {"account": account_id})).scalar()
        if active >= MAX_ACTIVE_DEVICES:
            raise InvalidInput(f"An account has at most {MAX_ACTIVE_DEVICES} registered devices; deregister one first.",
                               code=IdentityErrorCode.DEVICE_LIMIT_REACHED)
        row = (await session.execute(text(
            "INSERT INTO devices (account_id, kind, name, serial_number)"
            f" VALUES (:account, CAST(:kind AS client_kind), :name, :serial) RETURNING {COLUMNS}"),
            {"account": account_id, "kind": kind, "name": name, "serial": serial_number})).one()
    device = Device(*row)
    await session.execute(text("UPDATE auth_sessions SET device_id = :device, device_name = :name WHERE id = :sid"),
                          {"device": device.id, "name": device.name, "sid": principal.session_id})
    return device


async def _own_active(session: AsyncSession, principal: Principal, device_id: int) -> Device:
    account_id = principal.require_signed_in()
    row = (await session.execute(text(
        f"SELECT {COLUMNS} FROM devices WHERE id = :id AND account_id = :account AND deregistered_at IS NULL"
        " FOR UPDATE"), {"id": device_id, "account": account_id})).one_or_none()
    if row is None:
        raise NotFound("No such device on your account.", field=["input", "deviceId"])
    return Device(*row)


async def rename(session: AsyncSession, principal: Principal, device_id: int, name: str) -> Device:
    device = await _own_active(session, principal, device_id)
    device.name = _name(name)
    await session.execute(text("UPDATE devices SET name = :name WHERE id = :id"),
                          {"name": device.name, "id": device.id})
    await session.execute(text("UPDATE auth_sessions SET device_name = :name WHERE device_id = :id"),
                          {"name": device.name, "id": device.id})
    return device


async def deregister(session: AsyncSession, principal: Principal, device_id: int) -> Device:
    """Removes a device from the account: its sessions end, and it no longer holds licence slots."""
    device = await _own_active(session, principal, device_id)
    device.deregistered_at = (await session.execute(text(
        "UPDATE devices SET deregistered_at = now() WHERE id = :id RETURNING deregistered_at"),
        {"id": device.id})).scalar()
    await revoke_sessions(session, "s.device_id = :device", {"device": device.id}, "DEVICE_DEREGISTERED")
    return device


async def active_devices(reader: Reader, principal: Principal, account_id: int) -> list[Device]:
    """Active devices of one account the caller may see, oldest first."""
    return (await active_devices_by_accounts(reader, principal, [account_id])).get(account_id, [])


async def active_devices_by_accounts(reader: Reader, principal: Principal,
                                     account_ids: list[int]) -> dict[int, list[Device]]:
    """Active devices of the accounts the caller may see (their own, or any for an
    administrator), oldest first."""
    visible = [i for i in account_ids if principal.may_see_account(i)]
    if not visible:
        return {}
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM devices WHERE account_id = ANY($1::bigint[])"
                              " AND deregistered_at IS NULL ORDER BY registered_at, id", visible)
    found: dict[int, list[Device]] = {i: [] for i in visible}
    for row in rows:
        found[row[1]].append(Device(*row))
    return found


async def devices_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, Device]:
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM devices WHERE id = ANY($1::bigint[])", list(ids))
    return {r[0]: Device(*r) for r in rows if principal.may_see_account(r[1])}
