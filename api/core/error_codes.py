"""`UserErrorCode`: the one enum of every code a `userError` can carry.

GraphQL interface fields are covariant and no enum is a subtype of another, so `code` on the
`UserError` interface needs one enum that every error type's `code` also uses. Its members are
the union of the domain enums of the mutations (each code once, in the order the domain lists
them), so a code is still defined once, in the domain; what each code means in general is said
here, once; which codes a family of mutations returns, and what they mean there, is said on
that error type's `code` field."""
from __future__ import annotations

from enum import StrEnum

import strawberry

from domain.carts.errors import OrderingErrorCode
from domain.catalogue.errors import CatalogueErrorCode
from domain.identity.errors import IdentityErrorCode
from domain.licences.errors import (
    DownloadErrorCode,
    LicenceErrorCode,
    LicenceStateErrorCode,
    PlaybackErrorCode,
    ReadingErrorCode,
)
from domain.licences.lending.errors import LendingErrorCode
from domain.lists.errors import ListErrorCode
from domain.marketplace.errors import MarketplaceErrorCode, SaleLedgerErrorCode
from domain.moderation.errors import ModerationErrorCode
from domain.profiles.errors import ProfileErrorCode
from domain.questions.errors import QuestionErrorCode
from domain.recommendations.errors import HistoryErrorCode
from domain.reviews.errors import ReviewErrorCode
from domain.shared.errors import CommonErrorCode
from domain.subscriptions.errors import BorrowErrorCode, MembershipErrorCode, SubscribeErrorCode
from domain.webhooks.errors import WebhookErrorCode

# Codes any mutation may return: an ID in its input is checked before any use case runs.
EVERY_MUTATION = (CommonErrorCode.INVALID_ID,)
SOURCES: tuple[type[StrEnum], ...] = (CommonErrorCode, IdentityErrorCode, OrderingErrorCode, CatalogueErrorCode,
                                      LicenceStateErrorCode, LicenceErrorCode, ReadingErrorCode, DownloadErrorCode, PlaybackErrorCode,
                                      MarketplaceErrorCode, SaleLedgerErrorCode, ReviewErrorCode, ModerationErrorCode,
                                      QuestionErrorCode, MembershipErrorCode, BorrowErrorCode, LendingErrorCode,
                                      SubscribeErrorCode, ProfileErrorCode, HistoryErrorCode,
                                      ListErrorCode, WebhookErrorCode)
# CommonErrorCode is a source only for the codes the API itself raises in mutations; its other
# members are reasons of top-level errors (UNAUTHENTICATED...) or reach mutations through a
# context's enum.
_COMMON = set(EVERY_MUTATION)

DESCRIPTIONS = {
    "INVALID_ID": "An ID in the input is not a global ID of ours, or is the ID of another type of object than the field takes; `field` points at it. Nothing was changed.",
    "NOT_SUBSCRIBE_ELIGIBLE": "The product cannot be subscribed to: Subscribe & Save is for everyday consumables (grocery and household).",
    "INVALID_FREQUENCY": "A Subscribe & Save frequency is 1 to 6 months.",
    "DELIVERY_ALREADY_PLACED": "That delivery was already placed: it can no longer be skipped.",
    "NOT_ACTIVE": "The subscription was cancelled and can no longer change.",
    "INVALID": "The input is malformed or missing (e.g. an empty list, a value out of range); `field` points at it.",
    "NOT_FOUND": "The object named by `field` does not exist, or is not one you may see (another customer's object does not exist for you).",
    "EMAIL_INVALID": "Not an e-mail address.",
    "PASSWORD_TOO_SHORT": "A password has at least 10 characters.",
    "PASSWORD_TOO_LONG": "A password has at most 128 characters.",
    "PASSWORD_TOO_WEAK": "The password is common, has too few distinct characters, or contains the e-mail name.",
    "DISPLAY_NAME_INVALID": "The display name is empty, too long or has control characters.",
    "INVALID_CREDENTIALS": "Wrong e-mail or password; the two are never told apart.",
    "THROTTLED": "Too many failed attempts: wait `retryAfterSeconds` and try again.",
    "REFRESH_TOKEN_INVALID": "The refresh token is not one of ours.",
    "REFRESH_TOKEN_REUSED": "The refresh token was already spent, so its session was revoked: sign in again.",
    "SESSION_REVOKED": "The session was revoked: sign in again.",
    "SESSION_EXPIRED": "The session expired: sign in again.",
    "WRONG_PASSWORD": "The current password is wrong.",
    "RESET_TOKEN_INVALID": "The password reset token is not one of ours, or was used.",
    "RESET_TOKEN_EXPIRED": "The password reset token expired: ask for a new one.",
    "DEVICE_NAME_INVALID": "A device name is 1-100 printable characters.",
    "SERIAL_NUMBER_INVALID": "A serial number is 1-64 printable characters.",
    "DEVICE_LIMIT_REACHED": "The device limit is reached (of the account, or of the licence): deregister a device or take the licence off one.",
    "ADDRESS_INVALID": "A field of the address is missing or malformed for its country; `field` points at it.",
    "ADDRESS_LIMIT_REACHED": "The address book is full (50 addresses).",
    "COUNTRY_NOT_SUPPORTED": "We do not ship to that country.",
    "CART_NOT_ACTIVE": "The cart was merged or ordered and can no longer change.",
    "INVALID_QUANTITY": "A quantity out of range (e.g. below 1).",
    "QUANTITY_LIMIT": "More units of one offer than one order may hold (1 for a digital title); see `quantityLimit`.",
    "QUANTITY_UNAVAILABLE": "More units than the seller has; see `availableQuantity`.",
    "OFFER_UNAVAILABLE": "The offer does not exist, was withdrawn, its seller is suspended or its product withdrawn.",
    "CURRENCY_MISMATCH": "The amount or offer is in another currency than the one required.",
    "CART_FULL": "The cart holds the most lines it may (100 by default).",
    "MEMBERSHIP_NOT_SOLD_IN_CART": "A membership plan is not bought through the cart: join with the joinPrime mutation.",
    "DELIVERY_OPTION_UNAVAILABLE": "The delivery option is not available for this shipment; the message says why.",
    "SAME_DAY_UNAVAILABLE": "Same-day delivery does not reach the address, or the city's cut-off time has passed.",
    "PICKUP_LOCATION_INVALID": "PICKUP needs one of the group's listed pickup locations; other options take none.",
    "CART_EMPTY": "The cart has no lines.",
    "SHIPPING_ADDRESS_REQUIRED": "The cart has items to ship and no shipping address.",
    "BILLING_ADDRESS_REQUIRED": "A digital-only cart needs a billing or shipping address to tax it at.",
    "TOTAL_CHANGED": "The total is not the `expectedTotal` the client showed: show the new total and place again.",
    "ALREADY_OWNED": "A line's e-book or video is in the customer's library already (see `lineId`): remove the line.",
    "PAYMENT_DECLINED": "The payment provider declined; see `declineCode` where given.",
    "PAYMENT_PROVIDER_ERROR": "The payment provider failed; nothing was charged: retry with the same idempotency key.",
    "IDEMPOTENCY_KEY_INVALID": "An idempotency key is 1-200 visible ASCII characters.",
    "IDEMPOTENCY_KEY_REUSED": "The idempotency key was used for a different request: use a new key.",
    "IDEMPOTENCY_KEY_IN_PROGRESS": "A request with the same idempotency key is still running: retry in a moment.",
    "ORDER_NUMBER_INVALID": "Not of the form TRB-YYYY-NNNNNNN-C, or its check digit shows a typo.",
    "SHIPMENT_NOT_PENDING": "Only a PENDING physical shipment can be marked shipped.",
    "PREORDER_NOT_RELEASED": "The shipment is a pre-order awaiting its release date.",
    "SHIPMENT_NOT_SHIPPED": "Only a SHIPPED shipment can be marked delivered.",
    "SHIPMENT_NOT_CANCELLABLE": "The shipment has left or was delivered.",
    "ORDER_NOT_CANCELLABLE": "Part of the order shipped or a digital item was delivered: return the items instead.",
    "LINE_NOT_CANCELLABLE": "The line is not a pre-order awaiting its release.",
    "REASON_REQUIRED": "Give a reason (its length limits are in the input's description).",
    "PAYMENT_FAILED": "The order has no authorized payment.",
    "CAPTURE_EXCEEDS_AUTHORIZED": "Less is left of the payment authorization than the amount to capture.",
    "NOTHING_TO_VOID": "Nothing is left of the payment authorization to release.",
    "NOT_RETURNABLE": "The item cannot be returned this way; the message says why.",
    "RETURN_QUANTITY_EXCEEDED": "More units than can still be returned; see `availableQuantity`.",
    "RETURN_WINDOW_CLOSED": "The return window has closed.",
    "RETURN_NOT_OPEN": "The return request was already refunded or rejected.",
    "INVALID_AMOUNT": "An amount at or below zero, or with more decimals than its currency has.",
    "REFUND_EXCEEDS_LINE": "More than was paid for the line, less what was refunded on it.",
    "REFUND_EXCEEDS_CAPTURED": "More than the payment captured, less what was refunded.",
    "NOT_CAPTURED": "The payment was not captured yet: cancel instead of refunding.",
    "REFUND_EXCEEDS_SALE": "A seller's recorded sale cannot take this refund: its ledger disagrees with the order.",
    "REFUND_ALREADY_RECORDED": "The seller's ledger already holds this refund with another amount.",
    "SALE_ALREADY_RECORDED": "The seller's ledger already holds this sale with another amount: the order and the ledger disagree.",
    "LICENCE_REVOKED": "The licence was revoked (e.g. refunded or returned).",
    "READ_TOO_MUCH": "Too much of the e-book was read to return it; see `percentRead`.",
    "SLUG_INVALID": "A slug is lower-case letters and digits separated by single hyphens.",
    "SLUG_TAKEN": "Another object of this kind, archived ones included, has the slug.",
    "ISBN_INVALID": "Not an ISBN-10 or ISBN-13, or a wrong check digit.",
    "ISBN_TAKEN": "Another product, archived ones included, has the ISBN.",
    "FORMAT_INVALID": "The format is not one the product's kind comes in.",
    "ATTRIBUTE_INVALID": "An attribute name that is not camelCase, given twice, or a value of the wrong type.",
    "IMAGE_URL_INVALID": "Not an absolute https URL with a host.",
    "IMAGE_INVALID": "Alt text too long, a width or height out of range, or an image twice.",
    "CATEGORY_NOT_EMPTY": "A category with live products or subcategories cannot be archived.",
    "CATEGORY_CYCLE": "A category cannot move under itself or its own subcategory.",
    "BRAND_NOT_EMPTY": "A brand with live products cannot be archived.",
    "IMPORT_NOT_OPEN": "The import has started and takes no more chunks, or was already started.",
    "IMPORT_CHUNK_OUT_OF_ORDER": "Chunks are sent in order, 0, 1, 2...",
    "IMPORT_TOO_LARGE": "A chunk over 64,000 bytes or a file over 50 MB.",
    "IMPORT_EMPTY": "No chunk was uploaded.",
    "IMPORT_FILE_INVALID": "The file as a whole cannot be read (unknown columns, no header).",
    "FLAG_ALREADY_RESOLVED": "The product review flag was resolved before.",
    "LICENCE_EXPIRED": "The rental or membership title is over.",
    "LICENCE_SUSPENDED": "The e-book is lent to someone else: it cannot be used until the loan ends.",
    "NOT_LENDABLE": "This licence cannot be lent: a rental, a membership or borrowed title, or a title not `lendable`.",
    "ALREADY_LENT": "The licence was lent already (a licence is lent once, ever).",
    "CANNOT_LEND_TO_YOURSELF": "The e-mail address is your own.",
    "LOAN_NOT_PENDING": "The loan is no longer waiting for an answer (accepted, declined, or not accepted in time).",
    "LOAN_NOT_ACTIVE": "The loan is not running (not accepted yet, or over).",
    "DEVICE_NOT_REGISTERED": "The device is not registered to your account, or was deregistered: register it first.",
    "BATCH_TOO_LARGE": "Too many entries in one call: send them in several calls.",
    "CONTENT_UNAVAILABLE": "The title has no readable content.",
    "POSITION_OUT_OF_RANGE": "A position is outside 0 to the title's number of locations.",
    "POSITIONS_NOT_ORDERED": "A start position is after its end position.",
    "CLIENT_TIME_INVALID": "The device's clock is more than 5 minutes ahead of the server's, or not set.",
    "TEXT_TOO_LONG": "A note or highlighted text is over 10,000 characters.",
    "ANNOTATION_ID_CONFLICT": "The annotation id belongs to an annotation of another title: give a new annotation a new id.",
    "LICENCE_NOT_ACTIVATED": "Activate the licence on the device first.",
    "NOT_DOWNLOADABLE": "The title has no file to download or stream.",
    "NOT_PLAYABLE": "Not a video: e-books are read.",
    "PLAYBACK_NOT_STARTED": "A rental never started has no playback to report.",
    "INVALID_PRICE": "A price not above zero (shipping below zero), with more than two decimals, or above 1000000.00.",
    "MEMBER_PRICE_NOT_LOWER": "The offer's member price would not be lower than its price.",
    "CONDITION_NOTE_TOO_LONG": "A condition note has at most 1000 characters.",
    "OFFER_EXISTS": "The seller already has a live offer for this product in this condition and purchase option.",
    "RENT_NOT_AVAILABLE": "Only a streaming video can be offered to RENT.",
    "OFFER_ARCHIVED": "Archived offers cannot change.",
    "SELLER_SUSPENDED": "A suspended seller's offers cannot change.",
    "NOT_FIRST_PARTY": "Only the platform's own offers are matched to competitors.",
    "NOT_LOWER": "The competitor's price is not below the offer's.",
    "EVIDENCE_URL_INVALID": "Not an https:// link.",
    "NAME_INVALID": "A name is 2-120 characters.",
    "APPLICATION_PENDING": "You already have a seller application waiting.",
    "NOT_PENDING": "The application or registration was already decided.",
    "TRADEMARK_INVALID": "Not a trademark registration number.",
    "BRAND_ALREADY_REGISTERED": "The brand has an owner.",
    "BRAND_NAME_TAKEN": "A brand of that name exists: register it by its ID.",
    "REGISTRATION_PENDING": "You already have a registration of this brand waiting.",
    "INVALID_RATE": "A commission rate is a percentage from 6 to 20 with at most two decimals.",
    "INSUFFICIENT_BALANCE": "A payout cannot exceed the seller's balance.",
    "TOO_LONG": "A text is over its length limit (given in the input's description).",
    "INVALID_STARS": "Stars are 1 to 5.",
    "HTML_NOT_ALLOWED": "The text is plain text: it has something that looks like an HTML tag.",
    "NOT_REVIEWABLE": "The product has no reviews (merchandise).",
    "ALREADY_REVIEWED": "You have a review of this work (in any format): edit it instead.",
    "REVIEW_NOT_ELIGIBLE": "Too little paid on the account in the last 12 months to write reviews; see `amountNeeded`.",
    "OWN_REVIEW": "A customer cannot vote on their own review.",
    "ALREADY_VOTED": "You already voted on this.",
    "NOTE_TOO_LONG": "A report's note is over 500 characters.",
    "CANNOT_REPORT_OWN_REVIEW": "Your own review cannot be reported: edit or delete it instead.",
    "CANNOT_REPORT_OWN_POST": "Your own question or answer cannot be reported: edit or delete it instead.",
    "ALREADY_REPORTED": "You reported this before; one report per customer.",
    "RATE_LIMITED": "Too many of these actions in too short a time (24 hours for posts, votes and reports; seconds for product views): try again later (`retryAfterSeconds`, where the error has it, says when).",
    "ALREADY_HIDDEN": "The review, question or answer is hidden already.",
    "NOT_HIDDEN": "Only a hidden review, question or answer can be restored.",
    "NO_OPEN_REPORTS": "There are no open reports to dismiss.",
    "NOT_SELLER_OF_PRODUCT": "You may answer for a seller only as its staff, and only about a product it has an active offer of.",
    "PRODUCT_NOT_OF_BRAND": "A brand campaign names only live products of its own brand; `field` points at the one that is not.",
    "CAMPAIGN_TOO_SOON": "The brand's last campaign is too recent (one per brand every 7 days by default): `retryAfterSeconds` says when the next may be created.",
    "OPT_OUT_LINK_INVALID": "The opt-out link is not one of ours (forged, altered or cut short); the message is the same whatever is wrong with it.",
    "NOT_BRAND_OWNER": "Only the registered owner of the product's brand may answer as the brand.",
    "ALREADY_ANSWERED": "You have answered this question: edit your answer instead (see `existingAnswerId`).",
    "OWN_ANSWER": "A customer cannot vote on their own answer.",
    "ALREADY_MEMBER": "You have a live Prime membership: change its plan, or resume it if cancelled.",
    "TRIAL_ALREADY_USED": "The free trial is once per account, and this account had it: join without it.",
    "NOT_A_MEMBER": "You have no live Prime membership: nothing to change, and no member benefit (such as borrowing) to use.",
    "ALREADY_CANCELLED": "The membership is cancelled already (resume it before changing its plan).",
    "NOT_CANCELLED": "Only a cancelled membership can be resumed.",
    "NOT_INCLUDED": "The title is not in the membership library: only titles with `includedWithPrime` can be borrowed.",
    "BORROW_LIMIT_REACHED": "You have the most titles borrowed at once: return one first.",
    "ALREADY_IN_LIBRARY": "You own, rent or have borrowed the title already.",
    "HANDLE_INVALID": "A profile handle is 3-30 lower-case letters, digits, hyphens or underscores, starting and ending with a letter or digit.",
    "HANDLE_TAKEN": "Another profile has the handle, or it is reserved: choose another.",
    "WEBSITE_URL_INVALID": "Not an absolute http:// or https:// URL with a host.",
    "CANNOT_FOLLOW_YOURSELF": "A customer cannot follow (or unfollow) their own profile.",
    "CANNOT_BLOCK_YOURSELF": "A customer cannot block (or unblock) their own profile.",
    "BLOCKED": "You blocked the profile, or it blocked you: neither can follow the other.",
    "PROFILE_PRIVATE": "The profile is private: it cannot be followed.",
    "NOT_BORROWED": "The licence is not a title borrowed now (bought, returned or expired).",
    "LIST_FULL": "A list holds at most 10,000 items (see `itemLimit`): remove some first.",
    "TOO_MANY_LISTS": "A customer has at most 200 lists: delete one first.",
    "NOT_LIST_OWNER": "Only the list's owner may do this; a household member may change a shopping list's items.",
    "NOT_SHOPPING_LIST": "Check-off, households and device sync are for shopping lists.",
    "WISH_LIST_FIXED": "The wish list is made when you first add to it and keeps its name.",
    "INVITATION_INVALID": "The invitation is unknown, used, expired or for another address (never told apart).",
    "HOUSEHOLD_FULL": "A household has at most 10 members besides its owner, and 20 invitations waiting.",
    "SYNC_TOKEN_INVALID": "The sync token is not one of this list's: sync again from the beginning (since: null).",
    "WEBHOOK_URL_INVALID": "A webhook URL is an absolute URL with a host that resolves, without a user name, password or fragment.",
    "WEBHOOK_ADDRESS_NOT_ALLOWED": "Webhooks go over https (http only in development) to public addresses: the URL's host resolves to a private, loopback, link-local or reserved one.",
    "WEBHOOK_EVENT_NOT_ALLOWED": "The webhook's owner may not subscribe to this event type (a seller's webhook to ORDER_UPDATED); `field` points at it.",
    "WEBHOOK_QUERY_INVALID": "The payload document does not parse or validate, is not one subscription selecting `event`, or selects an event type the webhook does not subscribe to.",
    "WEBHOOK_FIELD_NOT_ALLOWED": "The payload document selects a field the webhook's owner may not see (a customer's order or e-mail for a seller's webhook).",
    "WEBHOOK_SECRET_INVALID": "A webhook secret is 24-200 visible ASCII characters.",
    "TOO_MANY_WEBHOOKS": "At most 20 webhooks per seller (and 20 platform ones): delete one first.",
    "WEBHOOK_DISABLED": "The webhook is disabled: turn it back on (updateWebhook with enabled: true) first.",
}


def _domain_members() -> list[StrEnum]:
    """The domain members UserErrorCode copies: each code once, where it is first listed."""
    members: dict[str, StrEnum] = {}
    for source in SOURCES:
        for member in source:
            if source is CommonErrorCode and member not in _COMMON:
                continue
            members.setdefault(member.value, member)
    return list(members.values())


def _members() -> list[tuple[str, str]]:
    members = {member.name: member.value for member in DOMAIN_MEMBERS}
    missing = sorted(set(members.values()) - set(DESCRIPTIONS))
    extra = sorted(set(DESCRIPTIONS) - set(members.values()))
    if missing or extra:
        raise LookupError(f"UserErrorCode descriptions: missing {missing}, not a domain code {extra}")
    return list(members.items())


DOMAIN_MEMBERS = _domain_members()
UserErrorCode = StrEnum("UserErrorCode", _members())
UserErrorCode.__domain_members__ = tuple(DOMAIN_MEMBERS)
UserErrorCode.__doc__ = "Every code a `userError` can carry."
strawberry.enum(UserErrorCode, description="Stable code of a `userError`, to act on. One enum for every mutation, so "
                "`UserError.code` can be read without knowing the error's type; each error type's `code` field lists "
                "the codes its mutations return and what they mean there. Codes are only ever added.")
for _value in UserErrorCode.__strawberry_definition__.values:
    _value.description = DESCRIPTIONS[_value.value]
