"""The README's sign-in walkthrough works as written, step by step, on every client kind."""
import re

from tests.api.identity.helpers import call
from tests.api.test_readme_examples import README, SIGN_IN_SECTION
from tests.conftest import make_client

SECTION = README.partition(SIGN_IN_SECTION)[2].split("\n## ", 1)[0]
STEPS = {re.search(r"(?:mutation|query) (\w+)", doc).group(1): doc
         for doc in re.findall(r"```graphql\n(.*?)```", SECTION, re.S)}


def _ok(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    result = body["data"][field]
    assert result.get("userErrors", []) == [], result
    return result


async def test_the_readme_sign_in_walkthrough_runs(writable_database):
    assert list(STEPS) == ["Register", "SignInWeb", "SignInMobile", "SignInEreader", "RegisterEreader", "Me",
                           "Refresh"]
    async with make_client(writable_database) as http:
        assert _ok(await call(http, STEPS["Register"]), "registerCustomer")["accepted"] is True
        kinds = {}
        for step in ("SignInWeb", "SignInMobile", "SignInEreader"):
            kinds[step] = _ok(await call(http, STEPS[step]), "signIn")["tokens"]
        ereader = kinds["SignInEreader"]
        device = _ok(await call(http, STEPS["RegisterEreader"], token=ereader["accessToken"]), "registerDevice")
        assert device["device"]["serialNumber"] == "G000-1234-5678"

        me = (await call(http, STEPS["Me"], token=ereader["accessToken"]))["data"]["viewer"]
        assert me["roles"] == ["CUSTOMER"]
        assert [d["name"] for d in me["customer"]["devices"]] == ["Ada's Kindle"]
        sessions = me["customer"]["sessions"]["nodes"]
        assert sorted(s["clientKind"] for s in sessions) == ["EREADER", "MOBILE", "WEB"]
        assert [s["deviceName"] for s in sessions if s["current"]] == ["Ada's Kindle"]

        refresh = STEPS["Refresh"].replace("REFRESH_TOKEN", ereader["refreshToken"])
        renewed = _ok(await call(http, refresh), "refreshSession")["tokens"]
        assert renewed["refreshToken"] != ereader["refreshToken"]
        assert renewed["accessToken"] != ereader["accessToken"]
        again = (await call(http, refresh))["data"]["refreshSession"]
        assert [e["code"] for e in again["userErrors"]] == ["REFRESH_TOKEN_REUSED"]
