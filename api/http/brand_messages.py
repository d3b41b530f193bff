"""The one-click opt-out link of brand messages (RFC 8058).

Every brand message carries `List-Unsubscribe: <https://.../brand-messages/opt-out?token=...>`
and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: a mail client's "unsubscribe" button
POSTs to the link, which turns that brand's messages off for the customer the message went to
(the same as the `optOutOfBrandMessagesWithLink` mutation). The link in the message's text opens
the same URL with GET, which changes nothing (mail scanners follow links) and answers a small
page whose button sends that POST.

A POST with a genuine token answers 200 (again 200 on every later use: nothing more changes);
anything else answers 400 with code OPT_OUT_LINK_INVALID and one message, whatever is wrong with
it. Neither answer names the customer, and the token never reaches a log (the access log keeps
the path only)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.core import ids
from api.http import graphql_request
from domain.identity import tokens
from domain.marketplace import service as marketplace
from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.shared.unit_of_work import UnitOfWork

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Stop this brand's messages</title></head>
<body><form method="post"><p>Stop getting this brand's messages on Tributary?</p>
<button type="submit">Stop its messages</button></form></body></html>
"""
_NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def opt_out_endpoint(settings: Settings, state: dict):
    secret = tokens.signing_key(settings)

    async def opt_out(request: Request) -> Response:
        if request.method == "GET":
            return HTMLResponse(_PAGE, headers=_NO_STORE)
        await request.body()  # "List-Unsubscribe=One-Click": nothing else in it matters
        async with UnitOfWork(state["database"]) as uow:
            try:
                brand_id = await marketplace.opt_out_with_link(uow.session, secret, request.query_params.get("token"))
            except DomainError as error:
                return graphql_request.error_response(400, error.message, {"code": str(error.code)}, headers=_NO_STORE)
            await uow.commit()
        return JSONResponse({"optedOut": True, "brandId": ids.encode("Brand", brand_id)}, headers=_NO_STORE)

    return opt_out
