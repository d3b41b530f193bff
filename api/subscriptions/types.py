"""Prime GraphQL types: the plans on offer, and a customer's membership as its owner sees it
(`Customer.membership`)."""
from __future__ import annotations

import datetime
from typing import Optional

import strawberry
from strawberry.types import Info

from api.core.enums import graphql_enum
from api.core.scalars import Money
from domain.subscriptions import service as subscriptions
from domain.subscriptions import statuses

MembershipPlan = graphql_enum(statuses.MembershipPlan, "A Prime plan: PRIME_MONTHLY (charged every month) or "
                              "PRIME_ANNUAL (charged every year).")
MembershipStatus = graphql_enum(statuses.MembershipStatus, """Where a membership stands. TRIAL: the free trial
(nothing charged yet; the first charge is at its end). ACTIVE: a paid period, renewed at its end. GRACE: the last
renewal was declined and is retried 1, 3 and 7 days after the first failure; the benefits continue meanwhile.
CANCELLED: no further charge; the benefits last until `endsAt`, and `resumePrime` takes the cancel back until then.
ENDED: cancelled and over (or refunded when cancelled). LAPSED: every retry of a declined renewal failed.""")


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


def membership_of(view: subscriptions.reads.MembershipView) -> Membership:
    return Membership(
        plan=view.plan, status=view.status, is_member=view.is_member, in_trial=view.in_trial,
        trial_ends_at=view.trial_ends_at, current_period_start=view.current_period_start,
        current_period_end=view.current_period_end, next_charge_at=view.next_charge_at,
        next_charge_amount=view.next_charge_amount, next_plan=view.next_plan, ends_at=view.ends_at,
        cancelled_at=view.cancelled_at,
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
