"""Licence mutations: putting a licence on a device and taking it off. Each runs one use case
in one transaction."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.licences.enums import LicenceErrorCode
from api.licences.inputs import ActivateLicenceInput, DeactivateLicenceInput
from api.licences.types import Licence, LicenceActivation, LicenceError
from domain.licences import service as licences


@strawberry.type(description="Result of `activateLicence`.")
class ActivateLicencePayload:
    licence: Licence | None = strawberry.field(description="The licence with its devices now; null on failure.")
    activation: LicenceActivation | None = strawberry.field(description="The device's slot (the one it had already when it was using the licence); null on failure.")
    user_errors: list[LicenceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `deactivateLicence`.")
class DeactivateLicencePayload:
    licence: Licence | None = strawberry.field(description="The licence with its devices now; null on failure.")
    user_errors: list[LicenceError] = strawberry.field(description="Why it failed; nothing was changed.")


def _ids(input) -> tuple[int, int]:
    return (ids.decode_as(input.licence_id, "Licence", "input.licenceId"),
            ids.decode_as(input.device_id, "Device", "input.deviceId"))


@strawberry.type
class LicenceMutation:
    @strawberry.mutation(description="Use one of your licences on one of your registered devices. A device already using it keeps its slot at no cost; a new one needs a free slot: DEVICE_LIMIT_REACHED (with `deviceLimit`) when the licence is on `deviceLimit` devices already (deregistered devices do not count). LICENCE_REVOKED or LICENCE_EXPIRED for a licence no longer usable, DEVICE_NOT_REGISTERED for a deregistered device; another customer's licence or device is NOT_FOUND. Requires sign-in.")
    async def activate_licence(self, info: Info,
                               input: Annotated[ActivateLicenceInput, MutationInput]) -> ActivateLicencePayload:
        licence_id, device_id = _ids(input)
        result, errors = await run(info, lambda s, viewer: licences.activate_licence(s, viewer, licence_id,
                                                                                     device_id),
                                   LicenceError, LicenceErrorCode)
        licence, activation = result or (None, None)
        return ActivateLicencePayload(licence=licence, activation=activation, user_errors=errors)

    @strawberry.mutation(description="Take one of your licences off one of your devices, freeing its slot; the title stays in your library (a device not using it changes nothing). Another customer's licence or device is NOT_FOUND. Requires sign-in.")
    async def deactivate_licence(self, info: Info,
                                 input: Annotated[DeactivateLicenceInput, MutationInput]) -> DeactivateLicencePayload:
        licence_id, device_id = _ids(input)
        licence, errors = await run(info, lambda s, viewer: licences.deactivate_licence(s, viewer, licence_id,
                                                                                        device_id),
                                    LicenceError, LicenceErrorCode)
        return DeactivateLicencePayload(licence=licence, user_errors=errors)
