"""Browsing history mutations: recording a product view (any client, signed in or not), and the
customer's own history: removing one product, clearing it, pausing and resuming recording,
and attaching a guest's views at sign-in. Each runs one use case in one transaction; a refusal
writes nothing."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.recommendations.history_types import history_limits
from domain.recommendations import errors as history_errors
from domain.recommendations import history

BrowsingHistoryErrorCode = error_codes(history_errors.HistoryErrorCode, description="""Stable codes of browsing history `userErrors` (a refused mutation changes nothing):
NOT_FOUND (no such product, or it was withdrawn; a product not in your history; a history token of no guest history,
or of one already merged at sign-in), RATE_LIMITED (more product views in a short time than a person makes: see
`retryAfterSeconds`).""")
_TOKEN = ("A guest's history token, from the `historyToken` of their first `recordProductView`; leave out when signed"
          " in (it is then ignored), at most 200 characters.")


@strawberry.type(description="Why a browsing history mutation failed.")
class BrowsingHistoryError(UserError):
    code: UserErrorCode = BrowsingHistoryErrorCode.field()
    retry_after_seconds: Optional[int] = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds until a view is recorded again.")


@strawberry.input(description="The product viewed.")
class RecordProductViewInput:
    product_id: strawberry.ID = strawberry.field(description="The product viewed (not withdrawn).")
    history_token: Optional[str] = strawberry.field(default=None, description=_TOKEN + " A guest without one gets one.")


@strawberry.type(description="Result of `recordProductView`.")
class RecordProductViewPayload:
    recorded: bool = strawberry.field(description="True when the view was recorded; false while your history is paused (no error), or on failure.")
    history_token: Optional[str] = strawberry.field(description="A new guest history's token, shown only here (a guest's first view): keep it, pass it on every later view, and to `mergeGuestBrowsingHistory` right after `signIn`. Null for a signed-in customer, or a guest that sent its token.")
    user_errors: list[BrowsingHistoryError] = strawberry.field(description="Why it failed; nothing was recorded.")


@strawberry.input(description="The product to take out of your browsing history.")
class RemoveBrowsingHistoryItemInput:
    product_id: strawberry.ID = strawberry.field(description="A product in your browsing history.")
    history_token: Optional[str] = strawberry.field(default=None, description=_TOKEN)


@strawberry.type(description="Result of `removeBrowsingHistoryItem`.")
class RemoveBrowsingHistoryItemPayload:
    removed_product_id: Optional[strawberry.ID] = strawberry.field(description="The product taken out; null on failure.")
    user_errors: list[BrowsingHistoryError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.input(description="Whose browsing history to clear: yours when signed in, else the guest's of `historyToken`.")
class ClearBrowsingHistoryInput:
    history_token: Optional[str] = strawberry.field(default=None, description=_TOKEN)


@strawberry.type(description="Result of `clearBrowsingHistory`.")
class ClearBrowsingHistoryPayload:
    removed_count: int = strawberry.field(description="How many products were taken out (0 on failure).")
    user_errors: list[BrowsingHistoryError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `pauseBrowsingHistory` and `resumeBrowsingHistory`.")
class BrowsingHistorySettingsPayload:
    paused: Optional[bool] = strawberry.field(description="Whether recording is paused now; null on failure.")
    user_errors: list[BrowsingHistoryError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.input(description="The guest history to attach to your account.")
class MergeGuestBrowsingHistoryInput:
    history_token: str = strawberry.field(description="The guest's history token, as `recordProductView` gave it (at most 200 characters).")


@strawberry.type(description="Result of `mergeGuestBrowsingHistory`.")
class MergeGuestBrowsingHistoryPayload:
    merged_count: int = strawberry.field(description="Guest views that joined your history (0 when merged before, or when your history is paused: the guest's views are then dropped).")
    user_errors: list[BrowsingHistoryError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _run(info: Info, use_case):
    return await run(info, use_case, BrowsingHistoryError, BrowsingHistoryErrorCode)


@strawberry.type
class BrowsingHistoryMutation:
    @strawberry.mutation(description="Record that the caller viewed a product, from any client, signed in or not: it goes to the top of their browsing history (a product viewed again moves up; the history keeps the newest 1,000, TRIBUTARY_BROWSING_HISTORY_LIMIT). A guest's first view starts a guest history and returns its `historyToken`. While your history is paused nothing is recorded (`recorded: false`, no error). NOT_FOUND for a missing or withdrawn product; RATE_LIMITED past TRIBUTARY_BROWSING_HISTORY_BURST views at once and TRIBUTARY_BROWSING_HISTORY_VIEWS_PER_SECOND after.")
    async def record_product_view(self, info: Info, input: Annotated[RecordProductViewInput, MutationInput],
                                  ) -> RecordProductViewPayload:
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        limits = history_limits(info)
        done, errors = await _run(info, lambda s, viewer: history.record_view(s, viewer, product_id,
                                                                               input.history_token, limits))
        return RecordProductViewPayload(recorded=bool(done and done.recorded), history_token=done and done.token,
                                        user_errors=errors)

    @strawberry.mutation(description="Take one product out of your own browsing history (NOT_FOUND when it is not in it: another customer's history is never reached). Signed-in customers, or a guest with its `historyToken`.")
    async def remove_browsing_history_item(self, info: Info,
                                           input: Annotated[RemoveBrowsingHistoryItemInput, MutationInput],
                                           ) -> RemoveBrowsingHistoryItemPayload:
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        _, errors = await _run(info, lambda s, viewer: history.remove_entry(s, viewer, product_id,
                                                                             input.history_token))
        return RemoveBrowsingHistoryItemPayload(removed_product_id=None if errors else input.product_id,
                                                user_errors=errors)

    @strawberry.mutation(description="Empty your own browsing history (recording goes on, unless paused). Signed-in customers, or a guest with its `historyToken`.")
    async def clear_browsing_history(self, info: Info, input: Annotated[ClearBrowsingHistoryInput, MutationInput],
                                     ) -> ClearBrowsingHistoryPayload:
        count, errors = await _run(info, lambda s, viewer: history.clear(s, viewer, input.history_token))
        return ClearBrowsingHistoryPayload(removed_count=count or 0, user_errors=errors)

    @strawberry.mutation(description="Stop recording your product views (what your history holds stays; `recordProductView` then answers `recorded: false`). Pausing twice changes nothing. Requires sign-in.")
    async def pause_browsing_history(self, info: Info) -> BrowsingHistorySettingsPayload:
        limits = history_limits(info)
        paused, errors = await _run(info, lambda s, viewer: history.set_paused(s, viewer, True, limits))
        return BrowsingHistorySettingsPayload(paused=paused, user_errors=errors)

    @strawberry.mutation(description="Record your product views again after `pauseBrowsingHistory`. Resuming twice changes nothing. Requires sign-in.")
    async def resume_browsing_history(self, info: Info) -> BrowsingHistorySettingsPayload:
        limits = history_limits(info)
        paused, errors = await _run(info, lambda s, viewer: history.set_paused(s, viewer, False, limits))
        return BrowsingHistorySettingsPayload(paused=paused, user_errors=errors)

    @strawberry.mutation(description="Right after `signIn` (with `mergeGuestCart`), attach the views made as a guest to your browsing history: a product in both keeps its latest view, the newest 1,000 are kept, and the guest's token stops working. While your history is paused the guest's views are dropped. Calling it again with the same token changes nothing. Requires sign-in.")
    async def merge_guest_browsing_history(self, info: Info,
                                           input: Annotated[MergeGuestBrowsingHistoryInput, MutationInput],
                                           ) -> MergeGuestBrowsingHistoryPayload:
        limits = history_limits(info)
        merged, errors = await _run(info, lambda s, viewer: history.merge_guest_history(s, viewer, input.history_token,
                                                                                         limits))
        return MergeGuestBrowsingHistoryPayload(merged_count=merged.merged if merged else 0, user_errors=errors)
