"""The accounts guide's sign-in walkthrough works as written, step by step, on every client kind."""
import pytest

from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.docs.guides import ACCOUNTS, ok, steps

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps(ACCOUNTS)


async def test_the_sign_in_walkthrough_runs(writable_database):
    assert list(STEPS) == ["Register", "SignInWeb", "SignInMobile", "SignInEreader", "RegisterEreader", "Me",
                           "Refresh"]
    async with make_client(writable_database) as http:
        assert ok(await call(http, STEPS["Register"]), "registerCustomer")["accepted"] is True
        kinds = {}
        for step in ("SignInWeb", "SignInMobile", "SignInEreader"):
            kinds[step] = ok(await call(http, STEPS[step]), "signIn")["tokens"]
        ereader = kinds["SignInEreader"]
        device = ok(await call(http, STEPS["RegisterEreader"], token=ereader["accessToken"]), "registerDevice")
        assert device["device"]["serialNumber"] == "G000-1234-5678"

        me = (await call(http, STEPS["Me"], token=ereader["accessToken"]))["data"]["viewer"]
        assert me["roles"] == ["CUSTOMER"]
        assert [d["name"] for d in me["customer"]["devices"]] == ["Ada's Kindle"]
        sessions = me["customer"]["sessions"]["nodes"]
        assert sorted(s["clientKind"] for s in sessions) == ["EREADER", "MOBILE", "WEB"]
        assert [s["deviceName"] for s in sessions if s["current"]] == ["Ada's Kindle"]

        refresh = STEPS["Refresh"].replace("REFRESH_TOKEN", ereader["refreshToken"])
        renewed = ok(await call(http, refresh), "refreshSession")["tokens"]
        assert renewed["refreshToken"] != ereader["refreshToken"]
        assert renewed["accessToken"] != ereader["accessToken"]
        again = (await call(http, refresh))["data"]["refreshSession"]
        assert [e["code"] for e in again["userErrors"]] == ["REFRESH_TOKEN_REUSED"]
