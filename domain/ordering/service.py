"""Ordering use cases, as the API and other contexts call them.

Carts (`carts`): guest and customer carts, their lines, shipping address and delivery choices,
and the merge of a guest cart at sign-in; what a cart shows is computed in `views` (prices
and problems), `delivery` (options per shipment group), `tax` and `pricing` (totals)."""
from __future__ import annotations

from domain.ordering import carts, checkout
from domain.ordering.entities import CartLimits, CartView, hash_token  # noqa: F401

LineRequest = carts.LineRequest
LineChange = carts.LineChange
CartRef = carts.CartRef
MergeResult = carts.MergeResult

create_cart = carts.create
add_cart_lines = carts.add_lines
update_cart_lines = carts.update_lines
remove_cart_lines = carts.remove_lines
set_cart_shipping_address = carts.set_shipping_address
select_cart_delivery_option = carts.select_delivery_option
merge_guest_cart = carts.merge

find_cart = carts.find_cart
carts_by_ids = carts.carts_by_ids

place_order = checkout.place_order
