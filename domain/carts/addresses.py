"""Where a cart ships and is billed, and how each of its shipment groups travels."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import delivery, repository, view
from domain.carts.access import CartRef, open_cart, settle
from domain.carts.entities import ShippingAddress
from domain.identity import service as identity
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal


def _nested(error: DomainError, under: str) -> DomainError:
    """An address error as the inline address of the input has it (input.address.<field>)."""
    if error.field and error.field[0] == "input":
        error.field = ["input", under, *error.field[1:]]
    return error


async def _address_copy(db, principal: Principal, address_id: int | None,
                        address: identity.AddressFields | None) -> ShippingAddress:
    """A copy of one of the caller's addresses (`address_id`; another account's is NOT_FOUND) or
    of an address given inline, checked by the identity context's rules for its country
    (ADDRESS_INVALID, COUNTRY_NOT_SUPPORTED). The caller checked that exactly one is given."""
    if address_id is not None:
        found = (await identity.addresses_by_ids(db, principal, [address_id])).get(address_id)
        if found is None or found.account_id != principal.account_id:
            raise NotFound("No such address in your address book.", field=["input", "addressId"])
        checked = found
    else:
        try:
            checked = identity.validate_address(address)
        except DomainError as error:
            raise _nested(error, "address") from None
    return ShippingAddress(checked.full_name, checked.line1, checked.line2, checked.city, checked.region,
                           checked.postal_code, checked.country_code, checked.phone, address_id)


async def set_cart_shipping_address(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                               address_id: int | None = None,
                               address: identity.AddressFields | None = None) -> CartRef:
    """Ships the cart to a copy of one of the caller's addresses or of an address given inline
    (see `_address_copy`); give exactly one (INVALID otherwise)."""
    if (address_id is None) == (address is None):
        raise InvalidInput("Give exactly one of addressId and address.", field=["input"])
    cart = await open_cart(session, principal, cart_id, token)
    db = SessionReader(session)
    copy = await _address_copy(db, principal, address_id, address)
    await repository.set_shipping_address(session, cart.id, copy)
    await settle(session, db, cart.id)
    return CartRef(cart.id)


async def set_cart_billing_address(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                              address_id: int | None = None,
                              address: identity.AddressFields | None = None) -> CartRef:
    """Bills the cart to a copy of one of the caller's addresses or of an address given inline
    (see `_address_copy`); give exactly one (INVALID otherwise). A cart of digital items only
    is taxed there (see `tax`)."""
    if (address_id is None) == (address is None):
        raise InvalidInput("Give exactly one of addressId and address.", field=["input"])
    cart = await open_cart(session, principal, cart_id, token)
    copy = await _address_copy(SessionReader(session), principal, address_id, address)
    await repository.set_billing_address(session, cart.id, copy)
    return CartRef(cart.id)


async def select_cart_delivery_option(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                                 seller_id: int, fulfilment: str, option: str,
                                 pickup_location_id: int | None = None) -> CartRef:
    """Chooses how one shipment group (a seller and a fulfilment) of the cart travels; the
    option must be available for it now (see `delivery`)."""
    cart = await open_cart(session, principal, cart_id, token)
    db = SessionReader(session)
    (current,) = await view.build(db, [cart])
    group = next((g for g in current.shipment_groups if g.key == (seller_id, fulfilment)), None)
    if group is None:
        raise NotFound("The cart has nothing to deliver from this seller with this fulfilment.",
                       field=["input", "sellerId"])
    selection = delivery.check_choice(group.options, option, pickup_location_id)
    await repository.select_delivery(session, cart.id, seller_id, fulfilment, selection)
    await repository.touch(session, cart.id)
    return CartRef(cart.id)
