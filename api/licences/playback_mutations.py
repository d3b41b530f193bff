"""Watching videos: `startPlayback` (a signed stream URL; a rental's play window starts) and
`reportPlayback` (how a playback went; a rental that played badly is refunded at once).
The rules are in `domain.licences.playback` and `domain.orders.playback_refunds`."""
from datetime import timedelta
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes, graphql_enum
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.licences.download_mutations import DownloadLink
from api.licences.reading_types import UUID
from api.licences.types import Licence
from api.orders.types import OrderRefund
from domain.identity import tokens
from domain.licences import errors as licences_errors
from domain.licences import service as licences
from domain.licences import statuses as licences_statuses
from domain.licences.playback import (
    LOW_BITRATE_KBPS,
    LOW_BITRATE_MIN_WATCHED_SECONDS,
    MAX_ERRORS,
    MIN_EVIDENCE_SECONDS,
    REBUFFERING_PERCENT,
)
from domain.orders import service as orders

PlaybackErrorCode = error_codes(licences_errors.PlaybackErrorCode, shared=(
    licences_errors.LicenceStateErrorCode.LICENCE_REVOKED, licences_errors.LicenceStateErrorCode.LICENCE_EXPIRED), description="""Stable codes of playback `userErrors`: INVALID (malformed input, e.g. a number out of
range or a report id used for another licence), NOT_FOUND (no such licence in your library), NOT_PLAYABLE (not a
video: e-books are read), LICENCE_REVOKED, LICENCE_EXPIRED (a rental over: its play window ended, or it was not started
within 30 days of renting), DEVICE_NOT_REGISTERED (the device is not registered to your account, or was
deregistered), LICENCE_NOT_ACTIVATED (activate the licence on the device first), NOT_DOWNLOADABLE (the title has no
content to stream), PLAYBACK_NOT_STARTED (a rental never started has no playback to report), NOT_CAPTURED and
REFUND_EXCEEDS_CAPTURED (the rental's payment cannot be refunded now; the report was not recorded).""")


PlaybackProblem = graphql_enum(licences_statuses.PlaybackProblem, description=f"""What made a playback poor, over all the reports of a licence added up:
REBUFFERING (at least {MIN_EVIDENCE_SECONDS} seconds played, watched plus stalled, of which at least
{REBUFFERING_PERCENT}% stalled to rebuffer), LOW_BITRATE (at least {LOW_BITRATE_MIN_WATCHED_SECONDS} seconds watched at an
average below {LOW_BITRATE_KBPS} kbps, weighted by the seconds watched), ERRORS (at least {MAX_ERRORS} playback errors).""")


@strawberry.type(description="An expected failure of `startPlayback` or `reportPlayback`; nothing was changed.")
class PlaybackError(UserError):
    code: UserErrorCode = PlaybackErrorCode.field()


@strawberry.input(description="Which video to play, on which device.")
class StartPlaybackInput:
    licence_id: strawberry.ID = strawberry.field(description="Global ID of a video licence in your library.")
    device_id: strawberry.ID = strawberry.field(description="Global ID of your registered device the licence is activated on (`activateLicence`).")


@strawberry.type(description="Result of `startPlayback`.")
class StartPlaybackPayload:
    licence: Licence | None = strawberry.field(description="The licence; for a rental, `playWindowEndsAt` says until when it plays. Null on failure.")
    stream: DownloadLink | None = strawberry.field(description="The signed stream URL for this licence on this device; null on failure.")
    user_errors: list[PlaybackError] = strawberry.field(description="Why it failed.")


@strawberry.input(description="How one playback session of a video went, as the player measured it. Send one when a session ends (or every few minutes while it lasts); a device back online sends its sessions then.")
class ReportPlaybackInput:
    licence_id: strawberry.ID = strawberry.field(description="Global ID of the video licence played.")
    device_id: strawberry.ID = strawberry.field(description="Global ID of your registered device that played it.")
    report_id: UUID = strawberry.field(description="A UUID the player makes for this report: sending the same report again (after a lost answer) counts it once.")
    watched_seconds: int = strawberry.field(description="Seconds of video shown, 0-86400.")
    rebuffering_seconds: int = strawberry.field(description="Seconds the picture stalled waiting for data after playback began, 0-86400.")
    average_bitrate_kbps: int = strawberry.field(description="Average bitrate of what was shown, in kilobits per second, 0-1000000.")
    errors: list[str] = strawberry.field(default_factory=list, description="Codes of the playback errors the player hit (each 1-100 characters), at most 20 per report.")


@strawberry.type(description="The playback reports of a licence, added up.")
class PlaybackQuality:
    report_count: int = strawberry.field(description="Reports received.")
    watched_seconds: int = strawberry.field(description="Seconds watched in all.")
    rebuffering_seconds: int = strawberry.field(description="Seconds stalled rebuffering in all.")
    average_bitrate_kbps: int = strawberry.field(description="Average bitrate, weighted by the seconds watched in each report; 0 before anything was watched.")
    error_count: int = strawberry.field(description="Playback errors reported in all.")
    problems: list[PlaybackProblem] = strawberry.field(description="What the reports show went wrong; empty when it played well.")


@strawberry.type(description="Result of `reportPlayback`.")
class ReportPlaybackPayload:
    licence: Licence | None = strawberry.field(description="The licence as it is now (`playbackRefundedAt` is set once a rental was refunded); null on failure.")
    quality: PlaybackQuality | None = strawberry.field(description="Every report of the licence added up, this one included; null on failure.")
    refunded: bool = strawberry.field(description="True when this report made the rental refunded automatically (it happens once per rental).")
    refund: OrderRefund | None = strawberry.field(description="The refund this report triggered (kind PLAYBACK_QUALITY); null otherwise, and when nothing was left to refund (a free rental, or one customer service refunded before).")
    user_errors: list[PlaybackError] = strawberry.field(description="Why it failed.")


@strawberry.type
class PlaybackMutation:
    @strawberry.mutation(description="Start watching one of your videos on one of your devices: returns a signed stream URL for that licence on that device, valid for a few minutes (GET it; 403 once expired or if the licence stops being usable). The first start of a rental starts its 48-hour play window (it must start within 30 days of renting); starting again within the window changes nothing. The licence must be activated on the device (`activateLicence`). Requires sign-in; the licence's owner only.")
    async def start_playback(self, info: Info,
                             input: Annotated[StartPlaybackInput, MutationInput]) -> StartPlaybackPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        device_id = ids.decode_as(input.device_id, "Device", "input.deviceId")
        settings = info.context.settings
        secret, ttl = tokens.signing_key(settings), timedelta(seconds=settings.download_url_seconds)
        result, errors = await run(info, lambda s, viewer: licences.start_playback(
            s, viewer, secret, licence_id, device_id, ttl), PlaybackError, PlaybackErrorCode)
        return StartPlaybackPayload(licence=result and result.licence, stream=result and result.stream,
                                    user_errors=errors)

    @strawberry.mutation(description="Report how a playback of one of your videos went (rebuffering, bitrate, errors). When a rental's reports, added up, show it played badly (see `PlaybackProblem` for the rule), it is refunded at once and automatically, once per rental: what was paid for it goes back to the order's payment method, you are e-mailed, and it stays playable for the rest of its window. Reports of bought videos are kept but never refund. Requires sign-in; the licence's owner only, from one of their registered devices.")
    async def report_playback(self, info: Info,
                              input: Annotated[ReportPlaybackInput, MutationInput]) -> ReportPlaybackPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        device_id = ids.decode_as(input.device_id, "Device", "input.deviceId")
        report = licences.PlaybackReport(input.report_id, input.watched_seconds, input.rebuffering_seconds,
                                         input.average_bitrate_kbps, list(input.errors))
        provider = info.context.payments
        result, errors = await run(info, lambda s, viewer: orders.report_playback(
            s, viewer, provider, licence_id, device_id, report), PlaybackError, PlaybackErrorCode)
        return ReportPlaybackPayload(licence=result and result.licence, quality=result and result.quality,
                                     refunded=bool(result and result.refunded), refund=result and result.refund,
                                     user_errors=errors)
