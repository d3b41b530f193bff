"""placeOrder input."""
import strawberry

from api.marketplace.inputs import MoneyInput


@strawberry.input(description="Place your cart as an order.")
class PlaceOrderInput:
    cart_id: strawberry.ID = strawberry.field(description="Global ID of your active cart (`cart.id`). Guests sign in or register first; `mergeGuestCart` moves their guest cart into their customer cart, which is the one to place.")
    idempotency_key: str = strawberry.field(description="A key you make once per checkout attempt (a UUID is a good choice; 1-200 visible ASCII characters) and send again on every retry of the same attempt: the same key and input answer with the order the first call placed, never a second order or charge. Once a key has placed an order, another input with it is IDEMPOTENCY_KEY_REUSED; a refused call (e.g. PAYMENT_DECLINED) leaves the key unused, so the retry with another card may send it again. Keys are yours alone and live 24 hours.")
    payment_token: str = strawberry.field(description="The token of the customer's payment method from the payment provider's client library (1-200 characters). The built-in test provider takes tok_visa and tok_mastercard (authorized), tok_declined, tok_insufficient_funds and tok_3ds (declined), tok_error (provider failure).")
    expected_total: MoneyInput | None = strawberry.field(default=None, description="The total you showed the customer (`cart.totals.total`). When given and the total is different now (a price or delivery fee moved), nothing is placed and the error TOTAL_CHANGED gives the new total to show.")
