"""Browsing history on the wire: the viewer's history page, the count administrators see on a
customer, and the settings the history mutations read."""
from __future__ import annotations

import datetime
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.catalogue.types import Product
from api.core.arguments import After, First
from api.core.dataloaders import keyed_for_viewer
from api.core.pagination import PageInfo, encode_cursor, page_info, page_request
from domain.recommendations import history

HistoryToken = Annotated[Optional[str], strawberry.argument(description="A guest's history token (from `recordProductView`), to read the guest's history; ignored when signed in.")]


@strawberry.type(description="A product in the browsing history, with the cursor that points at it.")
class BrowsingHistoryEdge:
    cursor: str = strawberry.field(description="Opaque cursor; pass it as `after`.")
    node: Product = strawberry.field(description="The product viewed.")
    viewed_at: datetime.datetime = strawberry.field(description="When the product was last viewed.")


@strawberry.type(description="A page of a browsing history, the most recently viewed product first; a product viewed again moved to the top, and one withdrawn since is left out. Visible only to its owner: the signed-in customer, or the guest holding its token.")
class BrowsingHistoryConnection:
    edges: list[BrowsingHistoryEdge] = strawberry.field(description="The products with their cursors and when they were viewed.")
    nodes: list[Product] = strawberry.field(description="The products alone.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    total_count: int = strawberry.field(description="Products in the whole history (at most TRIBUTARY_BROWSING_HISTORY_LIMIT, 1,000 by default).")
    paused: bool = strawberry.field(description="True while recording is paused (`pauseBrowsingHistory`): views are then not recorded.")


def history_limits(info: Info) -> history.HistoryLimits:
    settings = info.context.settings
    return history.HistoryLimits(entries=settings.browsing_history_limit, burst=settings.browsing_history_burst,
                                 per_second=settings.browsing_history_views_per_second)


async def viewer_browsing_history(info: Info, first: First, after: After, token: str | None,
                                  ) -> BrowsingHistoryConnection:
    request = page_request(first, after)
    found = await history.browsing_history(info.context.reader, await info.context.viewer(), token, request)
    page = found.page
    edges = [BrowsingHistoryEdge(cursor=encode_cursor(page.offset + i), node=entry.product, viewed_at=entry.viewed_at)
             for i, entry in enumerate(page.items)]
    return BrowsingHistoryConnection(edges=edges, nodes=[entry.product for entry in page.items],
                                     page_info=page_info(page), total_count=found.total, paused=found.paused)


async def browsing_history_count(info: Info, account_id: int) -> int:
    return await info.context.loaders.browsing_history_count_by_account.load(account_id)


FACTORIES = {"browsing_history_count_by_account": keyed_for_viewer(history.entry_counts)}
