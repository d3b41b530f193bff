"""Reading sync documents and request builders shared by the reading sync tests."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

UPDATE = """mutation($input: UpdateReadingStateInput!) { updateReadingState(input: $input) {
  readingStates { licenceId lastPosition lastPositionAt furthestPosition locationCount percentRead
    lastPositionDevice { id name } }
  userErrors { code field message } } }"""
SYNC = """mutation($input: SyncAnnotationsInput!) { syncAnnotations(input: $input) {
  results { id outcome }
  annotations { id licenceId kind startPosition endPosition highlightedText note deleted clientUpdatedAt device { id } }
  userErrors { code field message } } }"""
# The per-entry shape: each entry's place, outcome and, when refused, its error with an Int index.
UPDATE_RESULTS = """mutation($input: UpdateReadingStateInput!) { updateReadingState(input: $input) {
  results { index licenceId outcome error { code field path } }
  readingStates { licenceId lastPosition furthestPosition }
  userErrors { code field path } } }"""
SYNC_RESULTS = """mutation($input: SyncAnnotationsInput!) { syncAnnotations(input: $input) {
  results { id index outcome error { code path } }
  annotations { uuid note deleted clientTime }
  userErrors { code field path } } }"""
STATE = """query($id: ID!) { readingState(licenceId: $id) { licenceId lastPosition furthestPosition percentRead
  lastPositionDevice { id } } }"""
ANNOTATIONS = """query($id: ID!, $deleted: Boolean, $first: Int, $after: String) {
  annotations(licenceId: $id, includeDeleted: $deleted, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id uuid kind startPosition note deleted } } }"""


def at(minutes: float) -> str:
    """A client time `minutes` from now (negative: in the past)."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def position_entry(book, position: int, minutes: float) -> dict:
    return {"licenceId": book.global_id, "position": position, "clientTime": at(minutes)}


def note_change(book, note_id: uuid.UUID | str, minutes: float, **fields) -> dict:
    return {"id": str(note_id), "licenceId": book.global_id, "kind": "NOTE", "startPosition": 10, "endPosition": 20,
            "note": "", "clientTime": at(minutes), **fields}


async def update(caller, http, device_id: str, states: list[dict]) -> dict:
    return (await caller(http, UPDATE, {"input": {"deviceId": device_id, "states": states}}))["data"]["updateReadingState"]


async def sync(caller, http, device_id: str, changes: list[dict]) -> dict:
    return (await caller(http, SYNC, {"input": {"deviceId": device_id, "changes": changes}}))["data"]["syncAnnotations"]



async def update_results(caller, http, device_id: str, states: list[dict]) -> dict:
    return (await caller(http, UPDATE_RESULTS, {"input": {"deviceId": device_id, "states": states}}))["data"][
        "updateReadingState"]


async def sync_results(caller, http, device_id: str, changes: list[dict]) -> dict:
    return (await caller(http, SYNC_RESULTS, {"input": {"deviceId": device_id, "changes": changes}}))["data"][
        "syncAnnotations"]
