"""Prime GraphQL types: the plans on offer, and a customer's membership as its owner sees it
(`Customer.membership`)."""
from __future__ import annotations

import datetime
from typing import Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import After, First
from api.core.enums import graphql_enum
from api.core.pagination import Connection, connection, page_request
from api.core.scalars import Money
from domain.shared.money import Money as DomainMoney
from domain.shared.pagination import Page
from domain.subscriptions import service as subscriptions
from domain.subscriptions import statuses

MembershipPlan = graphql_enum(statuses.MembershipPlan, "A Prime plan: PRIME_MONTHLY (charged every month) or "
                              "PRIME_ANNUAL (charged every year).")
MembershipStatus = graphql_enum(statuses.MembershipStatus, """Where a membership stands. TRIAL: the free trial
(nothing charged yet; the first charge is at its end). ACTIVE: a paid period, renewed at its end. GRACE: the last
renewal was declined and is retried 1, 3 and 7 days after the first failure; the benefits continue meanwhile.
CANCELLED: no further charge; the benefits last until `endsAt`, and `resumePrime` takes the cancel back until then.
ENDED: cancelled and over (or refunded when cancelled). LAPSED: every retry of a declined renewal failed.""")


MembershipEventKind = graphql_enum(statuses.MembershipEventKind, """What happened to a membership. TRIAL_STARTED: joined
with the free trial. JOINED: joined and paid the first period (`amount`). RENEWED: a period was paid (`amount`, `plan`,
`periodEndsAt`). PAYMENT_FAILED: a renewal was declined (`declineCode`, `nextRetryAt`). LAPSED: the last retry failed
too. CANCELLED: cancelled; the benefits last until `periodEndsAt`. REFUNDED: cancelled with the period's charge refunded
(`amount`). RESUMED: a cancel taken back. PLAN_CHANGE_SCHEDULED: a switch at the next renewal (`plan`). PLAN_CHANGED:
the switch happened at a renewal (`plan`). ENDED: the membership is over. BENEFIT_USED: a benefit was used for the first
time in the period (so a cancel no longer refunds it). PAYMENT_METHOD_UPDATED: the card was replaced
(`paymentMethod`; `nextRetryAt` when a declined renewal is retried with it).""")


@strawberry.type(description="One line of a membership's history, as its owner sees it on a billing page.")
class MembershipEvent:
    kind: MembershipEventKind = strawberry.field(description="What happened.")
    status: "MembershipStatus" = strawberry.field(description="The membership's status right after it.")
    at: datetime.datetime = strawberry.field(description="When it happened (UTC).")
    plan: Optional[MembershipPlan] = strawberry.field(description="The plan joined, renewed, or switched to; null for other kinds.")
    amount: Optional[Money] = strawberry.field(description="What was charged (JOINED, RENEWED) or refunded (REFUNDED); null for other kinds.")
    period_ends_at: Optional[datetime.datetime] = strawberry.field(description="End of the trial (TRIAL_STARTED), of the period paid (RENEWED), or of the benefits (CANCELLED); null for other kinds.")
    decline_code: Optional[str] = strawberry.field(description="The provider's reason for a declined renewal (PAYMENT_FAILED, LAPSED), e.g. card_declined.")
    next_retry_at: Optional[datetime.datetime] = strawberry.field(description="When the declined renewal is tried again (PAYMENT_FAILED, PAYMENT_METHOD_UPDATED in GRACE).")
    payment_method: Optional["MembershipPaymentMethod"] = strawberry.field(description="The new card (PAYMENT_METHOD_UPDATED).")


def _time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def event_of(view: subscriptions.reads.MembershipEventView) -> MembershipEvent:
    d = view.details
    plan = d.get("plan") or d.get("nextPlan") or d.get("to")
    card = view.kind == statuses.MembershipEventKind.PAYMENT_METHOD_UPDATED
    return MembershipEvent(
        kind=view.kind, status=view.status, at=view.at, plan=plan,
        amount=DomainMoney(d["amountMinor"]) if "amountMinor" in d else None,
        period_ends_at=_time(d.get("periodEnd") or d.get("endsAt") or d.get("trialEndsAt")),
        decline_code=d.get("declineCode"), next_retry_at=_time(d.get("retryAt")),
        payment_method=MembershipPaymentMethod(brand=d.get("brand"), last4=d.get("last4")) if card else None)


@strawberry.type(description="A Prime plan on offer.")
class PrimePlan:
    plan: MembershipPlan = strawberry.field(description="The plan, as `joinPrime` and `changePrimePlan` take it.")
    price: Money = strawberry.field(description="What each period costs.")
    period_months: int = strawberry.field(description="Length of a period in months (1 or 12); periods renew on "
                                          "the day of the month they started (the month's last day when shorter).")
    trial_days: int = strawberry.field(description="Length of the free trial an account gets on its first "
                                       "membership (once per account, ever); 0 when none is offered.")


@strawberry.type(description="The card a membership is charged to, as the payment provider describes it (never its token).")
class MembershipPaymentMethod:
    brand: Optional[str] = strawberry.field(description="Card brand, e.g. visa; null when the provider gives none.")
    last4: Optional[str] = strawberry.field(description="Last four digits of the card; null when the provider gives none.")


@strawberry.type(description="A customer's Prime membership (the latest one: live, or the last that ended). Seen by the customer and administrators only.")
class Membership:
    plan: MembershipPlan = strawberry.field(description="The plan of the current period.")
    status: MembershipStatus = strawberry.field(description="Where the membership stands.")
    is_member: bool = strawberry.field(description="True while the membership gives its benefits (TRIAL, ACTIVE, GRACE, and CANCELLED until `endsAt`).")
    in_trial: bool = strawberry.field(description="True during the free trial (cancelled or not).")
    trial_ends_at: Optional[datetime.datetime] = strawberry.field(description="When the free trial ends or ended (UTC); null when the membership began without one.")
    current_period_start: datetime.datetime = strawberry.field(description="Start of the current period (UTC).")
    current_period_end: datetime.datetime = strawberry.field(description="End of the current period (UTC): the renewal, or the end of the benefits of a cancelled membership.")
    next_charge_at: Optional[datetime.datetime] = strawberry.field(description="When the saved card is next charged (UTC): the period's end, or the next retry in GRACE; null when nothing more will be charged.")
    next_charge_amount: Optional[Money] = strawberry.field(description="What the next charge will be (the next plan's price at today's prices); null when nothing more will be charged.")
    next_plan: Optional[MembershipPlan] = strawberry.field(description="The plan the next renewal switches to (`changePrimePlan`); null when it stays on `plan`.")
    ends_at: Optional[datetime.datetime] = strawberry.field(description="When the benefits end or ended (UTC): set once cancelled, ended or lapsed.")
    cancelled_at: Optional[datetime.datetime] = strawberry.field(description="When the membership was cancelled (UTC); null unless cancelled.")
    payment_method: Optional[MembershipPaymentMethod] = strawberry.field(description="The saved card renewals are charged to.")
    id: strawberry.Private[int] = 0

    @strawberry.field(description="What happened to the membership, newest first: joining, each renewal and its amount, declines and retries, card changes, cancelling, refunds. One page costs one SQL statement.")
    async def history(self, info: Info, first: First = None, after: After = None) -> Connection[MembershipEvent]:
        page = await subscriptions.history_page(info.context.reader, self.id, page_request(first, after))
        return connection(Page([event_of(v) for v in page.items], page.offset, page.has_next, page.total))


def membership_of(view: subscriptions.reads.MembershipView) -> Membership:
    return Membership(
        plan=view.plan, status=view.status, is_member=view.is_member, in_trial=view.in_trial,
        trial_ends_at=view.trial_ends_at, current_period_start=view.current_period_start,
        current_period_end=view.current_period_end, next_charge_at=view.next_charge_at,
        next_charge_amount=view.next_charge_amount, next_plan=view.next_plan, ends_at=view.ends_at,
        cancelled_at=view.cancelled_at, id=view.id,
        payment_method=MembershipPaymentMethod(brand=view.payment_method_brand, last4=view.payment_method_last4))


async def customer_membership(info: Info, account_id: int) -> Membership | None:
    """`Customer.membership`: its owner and administrators see it, anyone else null."""
    principal = await info.context.viewer()
    if not principal.may_see_account(account_id):
        return None
    view = await subscriptions.membership_of(info.context.reader, info.context.settings, account_id)
    return None if view is None else membership_of(view)


def plans(info: Info) -> list[PrimePlan]:
    return [PrimePlan(plan=p.plan.value, price=p.price, period_months=p.months, trial_days=p.trial_days)
            for p in subscriptions.prime_plans(info.context.settings)]
