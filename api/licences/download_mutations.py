"""`requestDownload`: a signed, short-lived URL for one licence on one device."""
import datetime
from datetime import timedelta
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.licences.types import ByteCount
from domain.identity import tokens
from domain.licences import errors as licences_errors
from domain.licences import service as licences
from domain.shared.config import Settings

DownloadErrorCode = error_codes(licences_errors.DownloadErrorCode, shared=tuple(licences_errors.LicenceStateErrorCode), description="""Stable codes of download `userErrors`: INVALID (malformed input), NOT_FOUND (no such
licence in your library), LICENCE_REVOKED (the licence was revoked, e.g. the e-book was returned), LICENCE_EXPIRED (a
rental's time is over), LICENCE_SUSPENDED (the e-book is lent to someone else until the loan ends), DEVICE_NOT_REGISTERED (the device is not registered to your account, or was deregistered),
LICENCE_NOT_ACTIVATED (activate the licence on the device first), NOT_DOWNLOADABLE (the title has no file, e.g. a
stream).""")


@strawberry.type(description="An expected failure of `requestDownload`.")
class DownloadError(UserError):
    code: UserErrorCode = DownloadErrorCode.field()


@strawberry.input(description="Which licence to download, on which device.")
class RequestDownloadInput:
    licence_id: strawberry.ID = strawberry.field(description="Global ID of a licence in your library.")
    device_id: strawberry.ID = strawberry.field(description="Global ID of your registered device the licence is activated on.")


def public_url(settings: Settings, path: str) -> str:
    """`path` (with its query) on the address clients reach the service at, which an app cannot
    know by itself (a proxy or a CDN may stand in front)."""
    return settings.public_url.rstrip("/") + path


@strawberry.type(description="A download link for one licence on one device.")
class DownloadLink:
    path: strawberry.Private[str]

    @strawberry.field(description="The signed URL, absolute: the service's public address (`TRIBUTARY_PUBLIC_URL`) followed by /downloads/12/3?expires=...&signature=.... GET it to receive the file. It works only for this licence on this device, until `expiresAt`, and only while the licence is active; otherwise the answer is 403.")
    def url(self, info: Info) -> str:
        return public_url(info.context.settings, self.path)

    expires_at: datetime.datetime = strawberry.field(description="When the URL stops working (UTC).")
    file_size: ByteCount = strawberry.field(description="Size of the file in bytes (as `Licence.fileSize`).")
    media_type: str = strawberry.field(description="The file's media type, e.g. text/plain; charset=utf-8.")


@strawberry.type(description="Result of `requestDownload`.")
class RequestDownloadPayload:
    download: DownloadLink | None = strawberry.field(description="The link; null on failure.")
    user_errors: list[DownloadError] = strawberry.field(description="Why it failed.")


@strawberry.type
class DownloadMutation:
    @strawberry.mutation(description="A signed download URL for one of your licences on one of your devices, valid for a few minutes (5 by default). The licence must be active and activated on the device (`activateLicence`). Requires sign-in.")
    async def request_download(self, info: Info,
                               input: Annotated[RequestDownloadInput, MutationInput]) -> RequestDownloadPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        device_id = ids.decode_as(input.device_id, "Device", "input.deviceId")
        settings = info.context.settings
        secret, ttl = tokens.signing_key(settings), timedelta(seconds=settings.download_url_seconds)
        # Signing writes nothing: the request's read connection answers it.
        link, errors = await run(info, lambda _session, viewer: licences.request_download(
            info.context.reader, viewer, secret, licence_id, device_id, ttl), DownloadError, DownloadErrorCode)
        return RequestDownloadPayload(download=link, user_errors=errors)
