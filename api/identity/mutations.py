"""Identity mutations: accounts, sessions, devices and addresses. Each runs one use case in one transaction."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.identity.enums import IdentityErrorCode
from api.identity.inputs import (
    ChangePasswordInput,
    CreateAddressInput,
    DeleteAddressInput,
    DeregisterDeviceInput,
    RefreshSessionInput,
    RegisterCustomerInput,
    RegisterDeviceInput,
    RenameDeviceInput,
    RequestPasswordResetInput,
    ResetPasswordInput,
    RevokeSessionInput,
    SetDefaultAddressInput,
    SignInInput,
    UpdateAddressInput,
)
from api.identity.types import Address, Device, IdentityError, Session, SessionTokens
from domain.identity import service as identity


async def _run(info: Info, use_case, *, needs_viewer: bool = True):
    return await run(info, use_case, IdentityError, IdentityErrorCode, needs_viewer=needs_viewer)


@strawberry.type(description="Result of `registerCustomer`. The same whether or not the e-mail already had an account: either way an e-mail goes to the address, and the customer signs in with `signIn`.")
class RegisterCustomerPayload:
    accepted: bool = strawberry.field(description="True when the input was valid and the registration went ahead.")
    user_errors: list[IdentityError] = strawberry.field(description="Why the input was refused.")


@strawberry.type(description="Result of `signIn`, `refreshSession` and `changePassword`: the session's new tokens.")
class SessionTokensPayload:
    tokens: SessionTokens | None = strawberry.field(description="The new tokens; null on failure.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a mutation that only succeeds or fails.")
class IdentitySuccessPayload:
    success: bool = strawberry.field(description="True when it was done.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `revokeSession`.")
class RevokeSessionPayload:
    session: Session | None = strawberry.field(description="The session, now ended.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `signOutEverywhere`.")
class SignOutEverywherePayload:
    revoked_sessions: int = strawberry.field(description="How many sessions were ended (this one included).")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a device mutation.")
class DevicePayload:
    device: Device | None = strawberry.field(description="The device as it is now.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `createAddress`, `updateAddress` and `setDefaultAddress`.")
class AddressPayload:
    address: Address | None = strawberry.field(description="The address as it is now; null on failure.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `deleteAddress`.")
class DeleteAddressPayload:
    deleted_address_id: strawberry.ID | None = strawberry.field(description="Global ID of the deleted address; null on failure.")
    user_errors: list[IdentityError] = strawberry.field(description="Why it failed.")


def _device_id(global_id: str) -> int:
    return ids.decode_as(global_id, "Device", "input.deviceId")


def _address_id(global_id: str) -> int:
    return ids.decode_as(global_id, "Address", "input.addressId")


_ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "region", "postal_code", "country_code", "phone")


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Create a customer account. To prevent account discovery, the answer never says whether the e-mail was already registered; an e-mail tells the address's owner. Then sign in with `signIn`.")
    async def register_customer(self, info: Info, input: Annotated[RegisterCustomerInput, MutationInput]) -> RegisterCustomerPayload:
        settings = info.context.settings
        _, errors = await _run(info, lambda s, _: identity.register(s, settings, input.email, input.password,
                                                                    input.display_name), needs_viewer=False)
        return RegisterCustomerPayload(accepted=not errors, user_errors=errors)

    @strawberry.mutation(description="Sign in with e-mail and password; opens a session for this client. Failed attempts are throttled (THROTTLED, with retryAfterSeconds): per address and account (growing waits up to 15 minutes), per address (a few seconds per attempt, so people sharing an address still get in) and per account from anywhere but its owner's usual addresses (growing waits up to 15 minutes).")
    async def sign_in(self, info: Info, input: Annotated[SignInInput, MutationInput]) -> SessionTokensPayload:
        settings, client = info.context.settings, info.context.client
        tokens, errors = await _run(info, lambda s, _: identity.sign_in(
            s, settings, input.email, input.password, input.client_kind.value, input.device_name, client),
            needs_viewer=False)
        return SessionTokensPayload(tokens=tokens, user_errors=errors)

    @strawberry.mutation(description="Trade a refresh token for a new access and refresh token. Each refresh token works once; presenting a used one signs the whole session out (REFRESH_TOKEN_REUSED), since someone else may hold it.")
    async def refresh_session(self, info: Info, input: Annotated[RefreshSessionInput, MutationInput]) -> SessionTokensPayload:
        settings, client = info.context.settings, info.context.client
        tokens, errors = await _run(info, lambda s, _: identity.refresh(s, settings, input.refresh_token, client),
                                    needs_viewer=False)
        return SessionTokensPayload(tokens=tokens, user_errors=errors)

    @strawberry.mutation(description="End this session: its access and refresh tokens stop working at once. Requires sign-in.")
    async def sign_out(self, info: Info) -> IdentitySuccessPayload:
        _, errors = await _run(info, lambda s, viewer: identity.sign_out(s, viewer))
        return IdentitySuccessPayload(success=not errors, user_errors=errors)

    @strawberry.mutation(description="End every session of your account on every client, this one included. Requires sign-in.")
    async def sign_out_everywhere(self, info: Info) -> SignOutEverywherePayload:
        count, errors = await _run(info, lambda s, viewer: identity.sign_out_everywhere(s, viewer))
        return SignOutEverywherePayload(revoked_sessions=count or 0, user_errors=errors)

    @strawberry.mutation(description="End one of your sessions, e.g. on a lost phone. Requires sign-in.")
    async def revoke_session(self, info: Info, input: Annotated[RevokeSessionInput, MutationInput]) -> RevokeSessionPayload:
        session_id = ids.decode_uuid(input.session_id, "Session", "input.sessionId")
        session, errors = await _run(info, lambda s, viewer: identity.revoke_session(s, viewer, session_id))
        return RevokeSessionPayload(session=session, user_errors=errors)

    @strawberry.mutation(description="Change your password. Every session of the account ends (all old tokens fail at once); this client gets new tokens in the payload. Requires sign-in.")
    async def change_password(self, info: Info, input: Annotated[ChangePasswordInput, MutationInput]) -> SessionTokensPayload:
        settings, client = info.context.settings, info.context.client
        tokens, errors = await _run(info, lambda s, viewer: identity.change_password(
            s, settings, viewer, input.current_password, input.new_password, client))
        return SessionTokensPayload(tokens=tokens, user_errors=errors)

    @strawberry.mutation(description="E-mail a single-use password reset link (valid 30 minutes). The answer is the same whether or not an account uses the address.")
    async def request_password_reset(self, info: Info, input: Annotated[RequestPasswordResetInput, MutationInput]) -> IdentitySuccessPayload:
        settings = info.context.settings
        _, errors = await _run(info, lambda s, _: identity.request_password_reset(s, settings, input.email),
                               needs_viewer=False)
        return IdentitySuccessPayload(success=not errors, user_errors=errors)

    @strawberry.mutation(description="Set a new password with the token from a reset e-mail. The token works once; every session of the account ends.")
    async def reset_password(self, info: Info, input: Annotated[ResetPasswordInput, MutationInput]) -> IdentitySuccessPayload:
        settings = info.context.settings
        _, errors = await _run(info, lambda s, _: identity.reset_password(s, settings, input.token, input.new_password),
                               needs_viewer=False)
        return IdentitySuccessPayload(success=not errors, user_errors=errors)

    @strawberry.mutation(description="Register this e-reader or app to your account (at most 20 active devices); the current session is bound to it. Registering the same serial number again returns the same device. Requires sign-in.")
    async def register_device(self, info: Info, input: Annotated[RegisterDeviceInput, MutationInput]) -> DevicePayload:
        device, errors = await _run(info, lambda s, viewer: identity.register_device(
            s, viewer, input.kind.value, input.name, input.serial_number))
        return DevicePayload(device=device, user_errors=errors)

    @strawberry.mutation(description="Rename one of your devices. Requires sign-in.")
    async def rename_device(self, info: Info, input: Annotated[RenameDeviceInput, MutationInput]) -> DevicePayload:
        device_id = _device_id(input.device_id)
        device, errors = await _run(info, lambda s, viewer: identity.rename(s, viewer, device_id, input.name))
        return DevicePayload(device=device, user_errors=errors)

    @strawberry.mutation(description="Remove one of your devices: its sessions end and it frees its licence slots. Requires sign-in.")
    async def deregister_device(self, info: Info, input: Annotated[DeregisterDeviceInput, MutationInput]) -> DevicePayload:
        device_id = _device_id(input.device_id)
        device, errors = await _run(info, lambda s, viewer: identity.deregister(s, viewer, device_id))
        return DevicePayload(device=device, user_errors=errors)

    @strawberry.mutation(description="Add an address to your address book (at most 50: ADDRESS_LIMIT_REACHED). It is checked against its country's rules (ADDRESS_INVALID with the field at fault, COUNTRY_NOT_SUPPORTED). Your first address becomes the default. Requires sign-in.")
    async def create_address(self, info: Info, input: Annotated[CreateAddressInput, MutationInput]) -> AddressPayload:
        fields = identity.AddressFields(**{name: getattr(input, name) for name in _ADDRESS_FIELDS})
        address, errors = await _run(info, lambda s, viewer: identity.create_address(s, viewer, fields,
                                                                                     input.is_default))
        return AddressPayload(address=address, user_errors=errors)

    @strawberry.mutation(description="Change fields of one of your addresses; the result is checked as a whole against its country's rules. Another customer's address is NOT_FOUND. Requires sign-in.")
    async def update_address(self, info: Info, input: Annotated[UpdateAddressInput, MutationInput]) -> AddressPayload:
        address_id = _address_id(input.address_id)
        changes = {name: getattr(input, name) for name in _ADDRESS_FIELDS if getattr(input, name) is not None}
        address, errors = await _run(info, lambda s, viewer: identity.update_address(s, viewer, address_id, changes))
        return AddressPayload(address=address, user_errors=errors)

    @strawberry.mutation(description="Delete one of your addresses. When it was the default, your newest remaining address becomes the default. Requires sign-in.")
    async def delete_address(self, info: Info, input: Annotated[DeleteAddressInput, MutationInput]) -> DeleteAddressPayload:
        address_id = _address_id(input.address_id)
        deleted, errors = await _run(info, lambda s, viewer: identity.delete_address(s, viewer, address_id))
        return DeleteAddressPayload(deleted_address_id=None if deleted is None else ids.encode("Address", deleted),
                                    user_errors=errors)

    @strawberry.mutation(description="Make one of your addresses the default (the previous default stops being it). Requires sign-in.")
    async def set_default_address(self, info: Info, input: Annotated[SetDefaultAddressInput, MutationInput]) -> AddressPayload:
        address_id = _address_id(input.address_id)
        address, errors = await _run(info, lambda s, viewer: identity.set_default_address(s, viewer, address_id))
        return AddressPayload(address=address, user_errors=errors)
