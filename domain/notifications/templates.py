"""E-mail templates: a name and a context become a subject and a plain-text body.

Adding a template is one entry in `TEMPLATES`. Placeholders are `{name}` fields of the
context (`str.format` syntax); a context missing one is an error naming it, never a
half-filled e-mail.
"""
from __future__ import annotations

from dataclasses import dataclass
from string import Formatter


class TemplateError(Exception):
    """A template that cannot be rendered: unknown name or missing context. Retrying will
    not help, so the job that asked for it fails at once."""


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    body: str

    def fields(self) -> set[str]:
        return {name for text in (self.subject, self.body)
                for _, name, _, _ in Formatter().parse(text) if name}


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str


_SIGNATURE = "\n\n-- \nTributary\n"

TEMPLATES: dict[str, Template] = {
    "seller_application_approved": Template(
        subject="Your seller account {sellerName} is open",
        body="Hello,\n\nyour application to sell on Tributary as {sellerName} was approved. Your storefront's "
             "address name is {sellerSlug}. Sign in to list offers: your account now has seller rights for "
             "{sellerName}." + _SIGNATURE),
    "seller_application_rejected": Template(
        subject="Your seller application for {sellerName}",
        body="Hello,\n\nyour application to sell on Tributary as {sellerName} was not approved, for this "
             "reason:\n\n{reason}\n\nYou may apply again once this is addressed." + _SIGNATURE),
    "brand_registration_approved": Template(
        subject="You are now the registered owner of {brandName}",
        body="Hello,\n\nyour Brand Registry application was approved: you are the registered owner of "
             "{brandName} on Tributary." + _SIGNATURE),
    "brand_registration_rejected": Template(
        subject="Your Brand Registry application",
        body="Hello,\n\nyour Brand Registry application was not approved, for this reason:\n\n{reason}\n\n"
             "You may apply again with the trademark's evidence." + _SIGNATURE),
    "brand_campaign": Template(
        subject="{brandName}: {subject}",
        body="{text}\n{products}\n-- \nYou receive this because you follow {brandName} on Tributary. {brandName} "
             "wrote it; Tributary sent it, and never tells {brandName} who you are or your e-mail address.\n\n"
             "Stop messages from {brandName} (one click): {optOutUrl}\nStop all brand messages, or unfollow: "
             "your account's brand settings.\n"),
    "webhook_disabled": Template(
        subject="Your webhook to {host} was turned off",
        body="Hello,\n\nevery delivery to your webhook {url} (webhook {webhookId}) has failed for {hours} hours, so "
             "Tributary stopped sending to it. The last answer was: {lastError}.\n\nFix the endpoint, then turn the "
             "webhook back on (updateWebhook with enabled: true) and redeliver what it missed from its delivery log."
             + _SIGNATURE),
    "welcome": Template(
        subject="Welcome to Tributary, {displayName}",
        body="Hello {displayName},\n\nyour Tributary account is ready. Sign in with this e-mail address and the "
             "password you chose.\n\nIf you did not create this account, you can ignore this message; no one can "
             "use it without access to this mailbox." + _SIGNATURE),
    "account_exists": Template(
        subject="You already have a Tributary account",
        body="Hello,\n\nsomeone (probably you) tried to create a Tributary account with this e-mail address, but "
             "it already has one. If you forgot your password, you can choose a new one here:\n\n{resetUrl}\n\n"
             "If this was not you, nothing has changed and you can ignore this message." + _SIGNATURE),
    "password_reset": Template(
        subject="Reset your Tributary password",
        body="Hello {displayName},\n\nto choose a new password, open this link within {minutes} minutes:\n\n"
             "{url}\n\nor enter this code: {token}\n\nThe link works once. If you did not ask for it, ignore this "
             "message: your password stays as it is." + _SIGNATURE),
    "password_reset_unknown": Template(
        subject="Tributary password reset",
        body="Hello,\n\nsomeone (probably you) asked to reset the password of a Tributary account with this "
             "e-mail address, but no account uses it. If you have an account, you may have signed up with "
             "another address.\n\nIf this was not you, you can ignore this message." + _SIGNATURE),
    "order_confirmation": Template(
        subject="Your Tributary order {orderNumber}",
        body="Hello,\n\nthank you for your order {orderNumber}. We have authorized {total} on your payment method; "
             "each shipment is charged when it leaves (digital items at once).\n\nYou ordered:\n{lines}\n\n"
             "It comes in these shipments:\n{shipments}\n\nYou can follow the order with its number in your "
             "account." + _SIGNATURE),
    "password_changed": Template(
        subject="Your Tributary password was changed",
        body="Hello,\n\nthe password of your Tributary account was just changed, and every device was signed "
             "out.\n\nIf you did not do this, reset your password at once and contact us." + _SIGNATURE),
    "shipment_shipped": Template(
        subject="Part of your order {orderNumber} has shipped",
        body="Hello,\n\nthese items of your order {orderNumber} are on their way:\n{items}\n\nCarrier: {carrier}\n"
             "Tracking number: {trackingNumber}\n\nThis shipment's share of your order was charged now." + _SIGNATURE),
    "order_cancelled": Template(
        subject="Your order {orderNumber} was cancelled",
        body="Hello,\n\nyour order {orderNumber} was cancelled, for this reason:\n\n{reason}\n\nThese items will "
             "not be sent:\n{items}\n\nNothing was charged; the {released} held on your payment method is released."
             + _SIGNATURE),
    "shipment_cancelled": Template(
        subject="Part of your order {orderNumber} was cancelled",
        body="Hello,\n\nthese items of your order {orderNumber} will not be sent, for this reason:\n\n{reason}\n\n"
             "{items}\n\nThey will not be charged: their share of the amount held on your payment method is "
             "released once the rest of the order has shipped." + _SIGNATURE),
    "return_requested": Template(
        subject="Your return for order {orderNumber}",
        body="Hello,\n\nwe received your request to return {itemCount} item(s) of order {orderNumber} "
             "({reason}).\n\n{replacementNote}Send the items back; the refund follows once they are checked."
             + _SIGNATURE),
    "return_rejected": Template(
        subject="Your return for order {orderNumber}",
        body="Hello,\n\nyour request to return items of order {orderNumber} was not accepted, for this reason:"
             "\n\n{reason}\n\nReply to this message if you think this is a mistake." + _SIGNATURE),
    "refund_issued": Template(
        subject="A refund of {amount} for order {orderNumber}",
        body="Hello,\n\nwe refunded {amount} for order {orderNumber} ({reason}). It goes back to the payment "
             "method you used and may take a few days to show." + _SIGNATURE),
    "rental_refunded": Template(
        subject="We refunded your rental of {title}",
        body="Hello,\n\nwe are sorry: your rental of {title} did not play well ({problems}). We refunded "
             "{amount} for order {orderNumber} automatically; it goes back to the payment method you used and may "
             "take a few days to show. You can still watch the rental until its time is over." + _SIGNATURE),
    "preorder_date_changed": Template(
        subject="A new release date for your pre-order from order {orderNumber}",
        body="Hello,\n\nthe release date of {items} in your order {orderNumber} moved from {previousDate} to "
             "{releaseDate}. Your pre-order moves with it: nothing is charged before the release, and it should "
             "now arrive around {estimatedDelivery}.\n\nIf you would rather not wait, you can cancel the "
             "pre-ordered item from your order until it is released." + _SIGNATURE),
    "preorder_released": Template(
        subject="Your pre-order from order {orderNumber} is released",
        body="Hello,\n\nyour pre-ordered item(s) of order {orderNumber} were released today: {items}.\n\n"
             "You paid {amountPaid}, the lowest price offered between your order and the release. "
             "{deliveryNote}" + _SIGNATURE),
    "prime_trial_started": Template(
        subject="Your free {plan} trial has started",
        body="Hello,\n\nwelcome to Prime: your free trial runs until {trialEnds}. Free two-day delivery and every "
             "member benefit are yours from now on. Unless you cancel before then, your saved card is charged "
             "{price} for {plan} on {trialEnds}; we remind you a few days before." + _SIGNATURE),
    "prime_joined": Template(
        subject="Welcome to {plan}",
        body="Hello,\n\nwelcome to Prime: we charged {price} for {plan}. Free two-day delivery and every member "
             "benefit are yours from now on. Your next charge is on {nextCharge}." + _SIGNATURE),
    "prime_trial_ending": Template(
        subject="Your Prime trial ends on {trialEnds}",
        body="Hello,\n\nyour free Prime trial ends on {trialEnds}. Then your saved card is charged {price} for "
             "{plan}, and your benefits continue. To stop, cancel your membership before that day." + _SIGNATURE),
    "subscribe_reminder": Template(
        subject="Your Subscribe & Save delivery on {deliveryDate}",
        body="Hello,\n\nyour Subscribe & Save delivery is placed on {deliveryDate}:\n{lines}\nTotal: {total} (delivery "
             "is free). You are never charged more than this; if a price drops, you pay less. To change or skip this "
             "delivery, manage your subscriptions before that day." + _SIGNATURE),
    "subscribe_delivery_skipped": Template(
        subject="A Subscribe & Save delivery was skipped",
        body="Hello,\n\nwe could not place your Subscribe & Save delivery of {product} due on {deliveryDate}: {reason} "
             "Nothing was charged. Your next delivery is on {nextDelivery}." + _SIGNATURE),
    "subscribe_payment_retrying": Template(
        subject="We could not charge your Subscribe & Save delivery yet",
        body="Hello,\n\nyour card was declined when we tried to charge {total} for your Subscribe & Save delivery "
             "due on {deliveryDate}, so nothing was placed yet. We will try again each day until {lastTry}; if "
             "the card is still declined then, we skip this delivery." + _SIGNATURE),
    "subscribe_payment_failed": Template(
        subject="We skipped your Subscribe & Save delivery",
        body="Hello,\n\nyour card was declined each time we tried to charge {total} for your Subscribe & Save "
             "delivery due on {deliveryDate}, so we skipped it and nothing was charged. Your next delivery is on "
             "{nextDelivery}." + _SIGNATURE),
    "prime_renewed": Template(
        subject="Your {plan} membership was renewed",
        body="Hello,\n\nwe charged {price} to renew {plan}. Your next charge is on {nextCharge}." + _SIGNATURE),
    "ebook_loan_offered": Template(
        subject="{lender} lent you an e-book: {title}",
        body="Hello,\n\n{lender} lent you \"{title}\" on Tributary for {days} days. To read it, sign in (or create "
             "an account) with this e-mail address and accept the loan by {acceptBy}:\n\n{url}\n\nIf you do not "
             "accept it by then, the book goes back to {lender}. If you did not expect this, ignore this message."
             + _SIGNATURE),
    "prime_payment_failed": Template(
        subject="We could not renew your Prime membership",
        body="Hello,\n\nyour card was declined when we tried to charge {price} for {plan}. Your benefits continue "
             "for now; we try again on {retry}. If we still cannot charge your card, your membership ends on "
             "{lapses}." + _SIGNATURE),
    "prime_payment_method_updated": Template(
        subject="Your Prime membership has a new card",
        body="Hello,\n\nyour Prime membership is now charged to your {card}. {next} If you did not make this "
             "change, sign in and change your password." + _SIGNATURE),
    "prime_lapsed": Template(
        subject="Your Prime membership has ended",
        body="Hello,\n\nwe could not charge your card for {plan}, so your membership has ended and its benefits "
             "with it. You can join again at any time." + _SIGNATURE),
    "prime_cancelled": Template(
        subject="Your Prime membership is cancelled",
        body="Hello,\n\nyour Prime membership is cancelled: nothing more will be charged, and your benefits "
             "last until {ends}. Changed your mind? Resume it before then." + _SIGNATURE),
    "prime_cancelled_refunded": Template(
        subject="Your Prime membership is cancelled and refunded",
        body="Hello,\n\nyour Prime membership is cancelled and ended today. As you cancelled soon after the "
             "charge without using a benefit, we refunded {refund} to your card." + _SIGNATURE),
    "shopping_list_invitation": Template(
        subject="{inviterName} invited you to the shopping list {listName}",
        body="Hello,\n\n{inviterName} invited you to share the shopping list \"{listName}\" on Tributary: you will "
             "both see, add and check off its items on every device. To join, sign in (or sign up with this "
             "address) and open this link within {days} days:\n\n{url}\n\nor enter this code: {token}\n\nIf you "
             "do not want to join, ignore this message." + _SIGNATURE),
}


def render(name: str, context: dict) -> Rendered:
    """The subject and body of template `name` filled from `context`."""
    template = TEMPLATES.get(name)
    if template is None:
        raise TemplateError(f"Unknown e-mail template {name!r}; known: {', '.join(sorted(TEMPLATES))}.")
    missing = sorted(template.fields() - set(context))
    if missing:
        raise TemplateError(f"E-mail template {name!r} needs {', '.join(missing)} in its context.")
    subject = " ".join(template.subject.format_map(context).split())  # one header line, whatever the values
    return Rendered(subject=subject, text=template.body.format_map(context))
