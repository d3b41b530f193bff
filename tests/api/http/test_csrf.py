"""The CSRF guard: a POST any web page could make a browser send without a preflight (no content
type, or a form's, and no preflight-forcing header) is refused with 400 before it runs; GET is
not guarded (queries only, and no cookie is ever read), so links, curl and CDNs keep working."""
import pytest

from api.http.csrf import MESSAGE

SIGN_OUT = b'{"query": "mutation { signOut { userErrors { code } } }"}'
FORMS = ["text/plain", "text/plain; charset=utf-8", "Text/Plain", "application/x-www-form-urlencoded",
         "multipart/form-data; boundary=x", None]


@pytest.mark.parametrize("content_type", FORMS)
async def test_a_post_a_form_could_send_is_refused_as_a_possible_forgery(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/graphql", content=SIGN_OUT, headers=headers)
    if content_type is None:
        assert "content-type" not in response.request.headers
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": [{"message": MESSAGE, "extensions": {"code": "BAD_REQUEST", "reason": "CSRF"}}]}


@pytest.mark.parametrize("header", ["apollo-require-preflight", "x-apollo-operation-name", "graphql-require-preflight"])
async def test_a_preflight_forcing_header_lifts_the_guard_but_the_body_must_still_be_json(client, header):
    form = await client.post("/graphql", content=SIGN_OUT, headers={"content-type": "text/plain", header: "true"})
    blank = await client.post("/graphql", content=SIGN_OUT, headers={"content-type": "text/plain", header: " "})
    json = await client.post("/graphql", content=b'{"query": "{ __typename }"}',
                             headers={"content-type": "application/json", header: "true"})
    assert form.status_code == 415
    assert form.json()["errors"][0]["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}
    assert blank.json()["errors"][0]["extensions"]["reason"] == "CSRF"
    assert json.status_code == 200 and json.json()["data"] == {"__typename": "Query"}


async def test_a_json_post_is_never_taken_for_a_forgery(client):
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://any.example"})
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


async def test_a_get_without_any_header_runs_its_query(client):
    # What a link, a CDN or `curl 'localhost:8000/graphql?query=...'` sends.
    response = await client.get("/graphql", params={"query": "{ categories { name } }"},
                                headers={"origin": "https://any.example"})
    assert "content-type" not in response.request.headers
    assert response.status_code == 200 and response.json()["data"]["categories"]
