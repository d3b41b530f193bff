"""Subscriptions use cases, as other contexts and the API call them (Prime membership; Subscribe
& Save subscriptions: subscribing, managing, and what the delivery scheduler in `orders` reads
and records).

Other contexts ask `membership_benefits(reader_or_session, account_id)` what an account's
membership gives it now, record a benefit's use with `record_benefit_use(session, account_id,
kind)` (it decides whether a cancel refunds), and may read a membership's `history`. Members
borrow titles of the membership library (`borrow_title`, `return_borrowed_title`)."""
from __future__ import annotations

from domain.subscriptions import library, memberships, plans, reads, renewals
from domain.subscriptions.statuses import (
    BenefitKind,
    DeliveryOutcome,
    MembershipPlan,
    MembershipStatus,
    SubscriptionStatus,
)
from domain.subscriptions.subscribe_and_save import dates as delivery_dates
from domain.subscriptions.subscribe_and_save import entities as sns_entities
from domain.subscriptions.subscribe_and_save import pricing as sns_pricing
from domain.subscriptions.subscribe_and_save import reads as sns_reads
from domain.subscriptions.subscribe_and_save import repository as sns_repository
from domain.subscriptions.subscribe_and_save import subscriptions as sns

MembershipBenefits = reads.MembershipBenefits
NOT_A_MEMBER = reads.NOT_A_MEMBER
MEMBER = MembershipBenefits(is_member=True, free_two_day=True, member_prices=True, digital_catalogue=True,
                            plan=MembershipPlan.PRIME_MONTHLY.value)
membership_benefits = reads.membership_benefits
membership_of = reads.membership_of
history = reads.history
history_page = reads.history_page

Plan = plans.Plan
prime_plans = plans.plans

join_prime = memberships.join
cancel_prime = memberships.cancel
resume_prime = memberships.resume
change_prime_plan = memberships.change_plan
update_prime_payment_method = memberships.update_payment_method
record_benefit_use = memberships.record_benefit_use

borrow_title = library.borrow_title
return_borrowed_title = library.return_title

RENEW_JOB = renewals.RENEW_JOB
run_renewals = renewals.run_due
run_renewal_job = renewals.run_job
schedule_renewals = renewals.schedule

Subscription = sns_entities.Subscription
SubscribeErrorCode = sns.SubscribeErrorCode
subscribe = sns.subscribe
update_subscription = sns.update
skip_subscription_delivery = sns.skip
set_subscription_status = sns.set_status
replace_subscription_payment_method = sns.replace_payment_method
check_subscribe_eligible = sns.check_eligible
check_subscribe_frequency = sns.check_frequency
subscribe_discount_percent = sns_pricing.discount_percent
next_delivery_after = delivery_dates.next_after
due_subscription_accounts = sns_repository.due_accounts
due_subscriptions_of = sns_repository.due_of
subscriptions_to_remind = sns_repository.to_remind
update_subscription_row = sns_repository.update
record_subscription_delivery = sns_repository.add_delivery
customer_subscriptions = sns_reads.subscriptions_page
upcoming_deliveries = sns_reads.upcoming_page
count_customer_subscriptions = sns_reads.count

__all__ = ["BenefitKind", "DeliveryOutcome", "MembershipPlan", "MembershipStatus", "SubscriptionStatus"]
