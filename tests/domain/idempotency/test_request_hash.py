"""A request is compared by the SHA-256 of its canonical JSON: equal requests hash alike however
they are spelled, different ones differently."""
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum

import pytest

from domain.idempotency.service import canonical, request_hash
from domain.shared.money import Money


class Speed(Enum):
    STANDARD = "STANDARD"
    EXPRESS = "EXPRESS"


@dataclass(frozen=True)
class Line:
    offer_id: int
    quantity: int


def test_the_hash_is_the_sha256_of_sorted_compact_utf8_json():
    assert request_hash({"b": 1, "a": "é"}) == hashlib.sha256('{"a":"é","b":1}'.encode()).hexdigest()


def test_key_order_does_not_change_the_hash():
    assert request_hash({"a": 1, "b": {"x": 1, "y": 2}}) == request_hash({"b": {"y": 2, "x": 1}, "a": 1})


def test_equal_amounts_and_instants_spelled_differently_hash_alike():
    assert request_hash({"tip": Decimal("1.50")}) == request_hash({"tip": Decimal("1.5")})
    assert request_hash({"tip": Decimal("0.00")}) == request_hash({"tip": Decimal("-0")})
    at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert request_hash({"at": at}) == request_hash({"at": at.astimezone(timezone(timedelta(hours=2)))})


def test_domain_values_become_plain_json():
    order_id = uuid.UUID("6f1c2d8e-3b7a-4c59-9e21-0d4f5a6b7c8d")
    assert canonical({"total": Money(1299), "speed": Speed.EXPRESS, "lines": (Line(3, 2),), "on": date(2026, 1, 2),
                      "id": order_id, "tags": {"b", "a"}}) == {
        "total": {"minor": 1299, "currency": "USD"}, "speed": "EXPRESS", "lines": [{"offer_id": 3, "quantity": 2}],
        "on": "2026-01-02", "id": str(order_id), "tags": ["a", "b"]}


@pytest.mark.parametrize("other", [{"lines": [[3, 1], [4, 1]]}, {"lines": [[4, 1], [3, 1]], "note": None},
                                   {"lines": [[4, 1], [3, 2]]}, {"lines": [[4, "1"], [3, 1]]}])
def test_any_change_of_value_order_or_type_changes_the_hash(other):
    assert request_hash({"lines": [[4, 1], [3, 1]]}) != request_hash(other)


@pytest.mark.parametrize("bad", [{"at": datetime(2026, 1, 1)}, {1: "int key"}, {"x": object()}, {"x": float("nan")},
                                 {"x": Decimal("Infinity")}])
def test_values_without_one_json_spelling_are_a_programming_error(bad):
    with pytest.raises(TypeError):
        request_hash(bad)
