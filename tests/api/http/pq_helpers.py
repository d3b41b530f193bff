"""Requests in Apollo's automatic persisted query shape, and trusted documents set up directly."""
from __future__ import annotations

import hashlib
import json

import httpx

from domain.clients import api_clients, documents
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork

PRODUCTS = "query FirstProducts { products(first: 2) { nodes { id title } } }"


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def persisted(digest: str, version: int = 1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(http: httpx.AsyncClient, document: str | None, digest: str | None = None,
               headers: dict | None = None, variables: dict | None = None) -> httpx.Response:
    body: dict = {"variables": variables or {}}
    if document is not None:
        body["query"] = document
    if digest is not None:
        body["extensions"] = persisted(digest)
    return await http.post("/graphql", json=body, headers=headers or {})


async def get(http: httpx.AsyncClient, digest: str, headers: dict | None = None) -> httpx.Response:
    params = {"extensions": json.dumps(persisted(digest)), "operationName": "FirstProducts"}
    return await http.get("/graphql", params=params, headers={"accept": "application/json", **(headers or {})})


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def trust(database: Database, *docs: str, client_id: int | None = None) -> None:
    entries = [documents.ManifestEntry(sha(doc), doc) for doc in docs]
    async with UnitOfWork(database) as uow:
        await documents.register_trusted(uow.session, entries, client_id)
        await uow.commit()


async def new_client(database: Database, name: str, budget: int | None = None,
                     trusted_only: bool = False) -> tuple[api_clients.ApiClientInfo, str]:
    async with UnitOfWork(database) as uow:
        client, key = await api_clients.create(uow.session, name, budget, trusted_only)
        await uow.commit()
    return client, key
