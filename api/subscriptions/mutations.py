"""Prime mutations: join, cancel, resume, switch plan, replace the card. Each acts on the caller's own membership
in one transaction; a refusal writes nothing."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.subscriptions.types import Membership, MembershipPlan, customer_membership
from domain.subscriptions import errors as membership_errors
from domain.subscriptions import service as subscriptions

MembershipErrorCode = error_codes(membership_errors.MembershipErrorCode, description="""Stable codes of Prime
membership `userErrors` (a refused mutation changes nothing): INVALID (no payment token), ALREADY_MEMBER (you have a
live membership: change its plan, or resume it), TRIAL_ALREADY_USED (`trial: true` after the account's one free
trial), PAYMENT_DECLINED (the card was refused: see `declineCode`), PAYMENT_PROVIDER_ERROR (the provider failed;
nothing was charged: try again), NOT_A_MEMBER (no live membership to change), ALREADY_CANCELLED (cancelled already,
or a plan change on a cancelled membership: resume it first), NOT_CANCELLED (resume needs a cancelled membership).""")


@strawberry.type(description="Why a membership mutation failed.")
class MembershipError(UserError):
    code: UserErrorCode = MembershipErrorCode.field()
    decline_code: Optional[str] = strawberry.field(
        default=None, description="With PAYMENT_DECLINED: the provider's reason, e.g. card_declined, insufficient_funds, invalid_token.")


@strawberry.input(description="Join Prime.")
class JoinPrimeInput:
    plan: MembershipPlan = strawberry.field(description="PRIME_MONTHLY or PRIME_ANNUAL (see `primePlans`).")
    payment_token: str = strawberry.field(description="One-time token of the card from the payment form (1-200 characters); the provider keeps the card for the renewals, we never store the token.")
    trial: Optional[bool] = strawberry.field(default=None, description="Leave out (or null) to get the free trial when the account never had one and pay at once otherwise; true to require the trial (TRIAL_ALREADY_USED when the account had it); false to pay the first period now.")


@strawberry.input(description="Switch plan at the next renewal.")
class ChangePrimePlanInput:
    plan: MembershipPlan = strawberry.field(description="The plan from the next renewal on; the current plan takes back a scheduled switch.")


@strawberry.input(description="Replace the card your membership is charged with.")
class UpdatePrimePaymentMethodInput:
    payment_token: str = strawberry.field(description="One-time token of the new card from the payment form (1-200 characters); the provider keeps the card, we never store the token.")


@strawberry.type(description="Result of a membership mutation.")
class MembershipPayload:
    membership: Optional[Membership] = strawberry.field(description="The caller's membership as it is now; null on failure.")
    user_errors: list[MembershipError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _payload(info: Info, use_case) -> MembershipPayload:
    result, errors = await run(info, use_case, MembershipError, MembershipErrorCode)
    if result is None:
        return MembershipPayload(membership=None, user_errors=errors)
    principal = await info.context.viewer()
    return MembershipPayload(membership=await customer_membership(info, principal.account_id), user_errors=[])


@strawberry.type
class SubscriptionMutation:
    @strawberry.mutation(description="Join Prime on a plan with a card. An account's first membership starts with the free trial (30 days by default; nothing is charged until it ends, and the card is checked and saved now); a returning member pays the first period at once. One live membership per account (ALREADY_MEMBER). A declined card (PAYMENT_DECLINED) writes nothing. Requires sign-in.")
    async def join_prime(self, info: Info, input: Annotated[JoinPrimeInput, MutationInput]) -> MembershipPayload:
        provider, settings = info.context.payments, info.context.settings
        return await _payload(info, lambda s, viewer: subscriptions.join_prime(
            s, viewer, provider, settings, plan=input.plan.value, payment_token=input.payment_token,
            trial=input.trial))

    @strawberry.mutation(description="Cancel your membership: nothing more is charged and the benefits last to the end of the period (or trial) already paid. Cancelled within 3 days of a charge with no benefit used since (no order with free delivery or a member price, no borrowed title), the charge is refunded and the membership ends at once. In grace (renewal unpaid) it ends at once. Requires sign-in.")
    async def cancel_prime(self, info: Info) -> MembershipPayload:
        provider, settings = info.context.payments, info.context.settings
        return await _payload(info, lambda s, viewer: subscriptions.cancel_prime(s, viewer, provider, settings))

    @strawberry.mutation(description="Take back your cancel before the membership ends: it renews as before. Requires sign-in.")
    async def resume_prime(self, info: Info) -> MembershipPayload:
        return await _payload(info, lambda s, viewer: subscriptions.resume_prime(s, viewer))

    @strawberry.mutation(description="Replace the card your membership is charged with: the next renewal charges the new card. In GRACE (a renewal declined) the unpaid renewal is retried with it within the hour (`nextChargeAt`); if that is declined too, the grace period's retry schedule goes on and the membership still lapses no sooner than day 7. A declined card (PAYMENT_DECLINED) writes nothing and keeps the old card; NOT_A_MEMBER without a live membership. Requires sign-in.")
    async def update_prime_payment_method(self, info: Info,
                                          input: Annotated[UpdatePrimePaymentMethodInput, MutationInput]) -> MembershipPayload:
        provider = info.context.payments
        return await _payload(info, lambda s, viewer: subscriptions.update_prime_payment_method(
            s, viewer, provider, input.payment_token))

    @strawberry.mutation(description="Switch your membership between monthly and annual from its next renewal (`Membership.nextPlan`); the current period is unchanged. Requires sign-in.")
    async def change_prime_plan(self, info: Info, input: Annotated[ChangePrimePlanInput, MutationInput]) -> MembershipPayload:
        return await _payload(info, lambda s, viewer: subscriptions.change_prime_plan(s, viewer, input.plan.value))
