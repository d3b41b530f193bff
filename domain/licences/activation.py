"""Putting a licence on a device, and taking it off.

A licence may be used on at most `device_limit` of its owner's registered devices at once.
Activations of one licence take turns on the licence's row (locked until commit) and count
the devices in use only once they hold it, so racing devices never pass the limit."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import repository
from domain.licences.entities import Activation, Licence
from domain.licences.errors import LicenceErrorCode
from domain.shared import clock
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal


async def _own_licence_locked(session: AsyncSession, principal: Principal, licence_id: int) -> Licence:
    account_id = principal.require_signed_in()
    locked = (await session.execute(text(
        "SELECT id FROM licences WHERE id = :id AND account_id = :account FOR UPDATE"),
        {"id": licence_id, "account": account_id})).scalar()
    if locked is None:
        raise NotFound("No such licence in your library.", field=["input", "licenceId"])
    # Read after the lock, in a statement of its own: its snapshot includes every activation
    # committed by whoever held the lock before.
    return (await repository.licences_by_ids(SessionReader(session), [licence_id]))[licence_id]


async def _own_device(session: AsyncSession, principal: Principal, device_id: int) -> None:
    row = (await session.execute(text("SELECT account_id, deregistered_at FROM devices WHERE id = :id"),
                                 {"id": device_id})).one_or_none()
    if row is None or row.account_id != principal.account_id:
        raise NotFound("No such device on your account.", field=["input", "deviceId"])
    if row.deregistered_at is not None:
        raise DomainError("This device was deregistered; register it again to use your library on it.",
                          code=LicenceErrorCode.DEVICE_NOT_REGISTERED, field=["input", "deviceId"])


async def activate_licence(session: AsyncSession, principal: Principal, licence_id: int,
                           device_id: int) -> tuple[Licence, Activation]:
    """Uses one of the caller's licences on one of the caller's registered devices. Another
    customer's licence or device is NOT_FOUND; a revoked or expired licence is refused
    (LICENCE_REVOKED, LICENCE_EXPIRED), so is a deregistered device (DEVICE_NOT_REGISTERED).
    A device already using the licence keeps it at no cost; a new one needs a free slot
    (DEVICE_LIMIT_REACHED at `device_limit` devices, deregistered ones not counted)."""
    licence = await _own_licence_locked(session, principal, licence_id)
    await _own_device(session, principal, device_id)
    licence.check_usable(clock.now())
    current = (await session.execute(text(
        "SELECT activated_at FROM licence_activations WHERE licence_id = :licence AND device_id = :device"
        " AND deactivated_at IS NULL"), {"licence": licence_id, "device": device_id})).scalar()
    if current is not None:
        return licence, Activation(licence_id, device_id, current)
    licence.check_slot_free(licence.active_device_count)
    activated_at = (await session.execute(text(
        "INSERT INTO licence_activations (licence_id, device_id) VALUES (:licence, :device)"
        " ON CONFLICT (licence_id, device_id) DO UPDATE SET activated_at = now(), deactivated_at = NULL"
        " RETURNING activated_at"), {"licence": licence_id, "device": device_id})).scalar_one()
    licence.active_device_count += 1
    return licence, Activation(licence_id, device_id, activated_at)


async def deactivate_licence(session: AsyncSession, principal: Principal, licence_id: int,
                             device_id: int) -> Licence:
    """Takes one of the caller's licences off one of the caller's devices, freeing its slot
    (the licence stays in the library). Another customer's licence or device is NOT_FOUND; a
    device not using the licence changes nothing."""
    licence = await _own_licence_locked(session, principal, licence_id)
    device = (await session.execute(text("SELECT account_id FROM devices WHERE id = :id"),
                                    {"id": device_id})).scalar()
    if device != principal.account_id:
        raise NotFound("No such device on your account.", field=["input", "deviceId"])
    freed = (await session.execute(text(
        "UPDATE licence_activations a SET deactivated_at = now() FROM devices v"
        " WHERE a.licence_id = :licence AND a.device_id = :device AND a.deactivated_at IS NULL"
        " AND v.id = a.device_id RETURNING v.deregistered_at IS NULL AS counted"),
        {"licence": licence_id, "device": device_id})).scalar()
    if freed:
        licence.active_device_count -= 1
    return licence
