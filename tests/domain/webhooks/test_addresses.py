"""The SSRF guard: what a webhook URL may point at, checked without calling anyone."""
import pytest

from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.webhooks import addresses

PRODUCTION = Settings(env="production", secret_key="x" * 32)
DEVELOPMENT = Settings(env="development")
ALLOWING = Settings(env="development", webhooks_allow_private_addresses=True)


async def _code(url: str, settings: Settings) -> str:
    try:
        await addresses.check(url, settings)
    except DomainError as error:
        return str(error.code)
    return "ok"


@pytest.mark.parametrize("url", [
    "https://10.0.0.7/hooks", "https://127.0.0.1:8443/", "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hooks", "https://[::ffff:10.0.0.1]/", "https://[fe80::1]/", "https://192.168.1.20/",
    "https://172.16.0.1/", "https://100.64.0.1/", "https://0.0.0.0/", "https://localhost/hooks",
    "https://224.0.0.1/",
])
async def test_private_loopback_link_local_and_reserved_addresses_are_refused(url):
    assert await _code(url, DEVELOPMENT) == "WEBHOOK_ADDRESS_NOT_ALLOWED"


async def test_plain_http_is_refused_outside_development():
    assert await _code("http://93.184.215.14/hooks", PRODUCTION) == "WEBHOOK_ADDRESS_NOT_ALLOWED"
    assert await _code("http://93.184.215.14/hooks", DEVELOPMENT) == "ok"
    assert await _code("https://93.184.215.14/hooks", PRODUCTION) == "ok"


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/", "https://user:pw@93.184.215.14/", "https:///nohost",
                                 "https://93.184.215.14/#frag", "https://93.184.215.14:99999/", "not a url",
                                 "https://no-such-host.invalid/hooks"])
async def test_malformed_urls_and_unresolvable_hosts_are_refused(url):
    assert await _code(url, DEVELOPMENT) == "WEBHOOK_URL_INVALID"


async def test_the_setting_lets_loopback_and_private_receivers_through():
    assert await _code("http://127.0.0.1:9000/hooks", ALLOWING) == "ok"
    assert await _code("https://10.0.0.7/hooks", ALLOWING) == "ok"
    assert (await addresses.check("http://localhost:9000/x", ALLOWING)).address in ("127.0.0.1", "::1")

