"""`tributary serve` reads forwarded headers only as TRIBUTARY_TRUSTED_PROXIES says: uvicorn's
own handling, which trusts 127.0.0.1 by default (and FORWARDED_ALLOW_IPS), is off, so a local
client cannot choose its address with a header."""
import uuid

import httpx

from tests.api.identity.helpers import PASSWORD, REGISTER, SIGN_IN, rows
from tests.cli.serve_processes import free_port, serve, stop, wait_healthy


def _post(port: int, query: str, variables: dict, forwarded_for: str) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables},
                          headers={"X-Forwarded-For": forwarded_for}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_a_local_client_cannot_choose_its_address_with_a_forwarded_header(database, tmp_path):
    port = free_port()
    server = serve(tmp_path, port, TRIBUTARY_ENV="production", TRIBUTARY_SECRET_KEY="s" * 32,
                    TRIBUTARY_DATABASE_URL=database.url, FORWARDED_ALLOW_IPS="*")
    email, forged = f"serve-{uuid.uuid4().hex[:8]}@example.com", f"2001:db8:{uuid.uuid4().hex[:4]}::1"
    try:
        wait_healthy(server, port)
        registered = _post(port, REGISTER, {"input": {"email": email, "password": PASSWORD, "displayName": "Ada"}},
                           forged)
        signed_in = _post(port, SIGN_IN, {"input": {"email": email, "password": PASSWORD, "clientKind": "WEB",
                                                    "deviceName": ""}}, forged)
    finally:
        stop(server)

    assert registered["registerCustomer"]["accepted"] and signed_in["signIn"]["userErrors"] == []
    found = await rows(database, "SELECT host(ip_address) AS ip FROM auth_sessions s JOIN accounts a"
                                 " ON a.id = s.account_id WHERE a.email = $1", email)
    assert [r["ip"] for r in found] == ["127.0.0.1"]
