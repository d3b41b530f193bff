"""Playback reports, and the automatic refund of a rental that played badly.

Rules:
- Only the licence's owner reports its playback, from one of their registered devices;
  anyone else finds no such licence (NOT_FOUND). The report's checks and the rule that says
  a video played badly are in `domain.licences.playback`.
- A RENTAL bought through an order whose reports, added up, meet the poor-playback rule is
  refunded at once, in the report's transaction: what is left of its order line (price and
  tax) goes back through the order's payment as a PLAYBACK_QUALITY refund, the seller's sale
  is reversed, and the customer is e-mailed through the outbox (`rental_refunded`). The
  licence stays playable for the rest of its window.
- Once: the licence records the refund, and later reports (or a report sent again) refund
  nothing more. The order's row is locked first, like every order use case, then the
  licence's: reports racing on one rental take turns, and only the first that meets the rule
  refunds. A bought (PURCHASE) video's reports are recorded, never refunded.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import service as licences
from domain.orders import refunds
from domain.orders.entities import OrderRefund
from domain.orders.locks import lock_order_of_line
from domain.orders.statuses import RefundKind
from domain.payments.provider import PaymentProvider
from domain.shared.db import SessionReader
from domain.shared.errors import NotFound
from domain.shared.principal import Principal

MAX_TITLE_IN_REASON = 200


@dataclass(frozen=True, slots=True)
class PlaybackResult:
    licence: object  # the licence as the library shows it now
    quality: licences.PlaybackQuality
    refund: OrderRefund | None  # the refund this report triggered, if any
    refunded: bool  # whether this report triggered the automatic refund


async def report_playback(session: AsyncSession, principal: Principal, provider: PaymentProvider,
                          licence_id: int, device_id: int, report: licences.PlaybackReport) -> PlaybackResult:
    """Records a playback report and refunds a rental that played badly (see the module docstring)."""
    account_id = principal.require_signed_in()
    owner = await licences.licence_owner(session, licence_id)
    if owner is None or owner.account_id != account_id:
        raise NotFound("No such licence in your library.", field=["input", "licenceId"])
    order = None if owner.order_line_id is None else await lock_order_of_line(session, owner.order_line_id)
    outcome = await licences.record_playback_report(session, principal, licence_id, device_id, report)
    refund, refunded = None, False
    if outcome.refund_due and order is not None:
        title = outcome.title[:MAX_TITLE_IN_REASON]
        reason = f"Automatic refund: your rental of {title} played badly ({outcome.quality.describe()})"
        refund = await refunds.refund_digital_line(
            session, provider, order, outcome.order_line_id, reason[:500], None, kind=RefundKind.PLAYBACK_QUALITY,
            email_template="rental_refunded", email_context={"title": title,
                                                            "problems": outcome.quality.describe()})
        await licences.mark_playback_refunded(session, licence_id, refund.id if refund is not None else None)
        refunded = True
    shown = (await licences.licences_by_ids(SessionReader(session), principal, [licence_id]))[licence_id]
    return PlaybackResult(shown, outcome.quality, refund, refunded)
