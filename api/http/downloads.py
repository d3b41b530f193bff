"""The download endpoint behind signed URLs: streams a licence's file to the device it was
signed for, or answers 403 (expired, forged or tampered URL, another device, a revoked or
expired licence, a deregistered device), in the API's one error shape. Why it refused goes to
the log, not to the client."""
from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.http import graphql_request
from domain.identity import tokens
from domain.licences import service as licences
from domain.shared.config import Settings

log = logging.getLogger("tributary.downloads")


def download_endpoint(settings: Settings, state: dict):
    store = licences.content_store_for(settings)
    secret = tokens.signing_key(settings)

    async def download(request: Request) -> Response:
        licence_id, device_id = request.path_params["licence_id"], request.path_params["device_id"]
        reader = await state["database"].reader()
        try:
            grant = await licences.authorize_download(reader, secret, licence_id, device_id,
                                                      request.query_params.get("expires"),
                                                      request.query_params.get("signature"))
        except licences.DownloadRefused as refused:
            log.info("download refused", extra={"licence": licence_id, "device": device_id,
                                                "reason": refused.reason})
            return graphql_request.error_response(
                403, "This download link is not valid (expired, for another device, or the licence is no longer "
                "active).", {"code": "FORBIDDEN"})
        finally:
            await reader.close()
        missing = await store.missing([grant.content_key])
        if missing:
            log.error("content missing from the store", extra={"key": grant.content_key})
            return graphql_request.error_response(404, "The file is not available.", {"code": "NOT_FOUND"})
        return StreamingResponse(store.stream(grant.content_key), media_type=grant.media_type, headers={
            "Content-Length": str(grant.file_size), "Cache-Control": "private, no-store",
            "Content-Disposition": f'attachment; filename="{licence_id}.txt"'})

    return download
