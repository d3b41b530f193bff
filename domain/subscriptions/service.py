"""Subscriptions use cases, as other contexts and the API call them (Prime membership; Subscribe
& Save comes later).

Other contexts ask `membership_benefits(reader_or_session, account_id)` what an account's
membership gives it now, record a benefit's use with `record_benefit_use(session, account_id,
kind)` (it decides whether a cancel refunds), and may read a membership's `history`. Members
borrow titles of the membership library (`borrow_title`, `return_borrowed_title`)."""
from __future__ import annotations

from domain.subscriptions import library, memberships, plans, reads, renewals
from domain.subscriptions.statuses import BenefitKind, MembershipPlan, MembershipStatus

MembershipBenefits = reads.MembershipBenefits
NOT_A_MEMBER = reads.NOT_A_MEMBER
MEMBER = MembershipBenefits(is_member=True, free_two_day=True, member_prices=True, digital_catalogue=True,
                            plan=MembershipPlan.PRIME_MONTHLY.value)
membership_benefits = reads.membership_benefits
membership_of = reads.membership_of
history = reads.history

Plan = plans.Plan
prime_plans = plans.plans

join_prime = memberships.join
cancel_prime = memberships.cancel
resume_prime = memberships.resume
change_prime_plan = memberships.change_plan
record_benefit_use = memberships.record_benefit_use

borrow_title = library.borrow_title
return_borrowed_title = library.return_title

RENEW_JOB = renewals.RENEW_JOB
run_renewals = renewals.run_due
run_renewal_job = renewals.run_job
schedule_renewals = renewals.schedule

__all__ = ["BenefitKind", "MembershipPlan", "MembershipStatus"]
