"""Marketplace root fields."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First, IdArg, SlugArg
from api.core.pagination import Connection, connection, page_request
from api.marketplace.enums import ApplicationStatus
from api.marketplace.types import (
    BrandRegistration,
    CommissionRate,
    Seller,
    SellerApplication,
)
from domain.marketplace import service as marketplace

CategoryIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of a category.")]
StatusArg = Annotated[Optional[ApplicationStatus], strawberry.argument(
    description="Only those in this status (default PENDING); null lists all.")]


@strawberry.type
class MarketplaceQuery:
    @strawberry.field(description="A seller by global ID or slug (give exactly one).")
    async def seller(self, info: Info, id: IdArg = None,
                     slug: SlugArg = None) -> Seller | None:
        pk = ids.decode_as(id, "Seller") if id is not None else None
        return await marketplace.find_seller(info.context.reader, id=pk, slug=slug)

    @strawberry.field(description="Your own seller applications, newest first. Requires sign-in. Page size 1-100 (default 20).")
    async def my_seller_applications(self, info: Info, first: First = None,
                                     after: After = None) -> Connection[SellerApplication]:
        page = page_request(first, after)
        return connection(await marketplace.my_seller_applications(
            info.context.reader, await info.context.viewer(), page))

    @strawberry.field(description="Seller applications to decide, oldest first. Administrators only. Page size 1-100 (default 20).")
    async def seller_applications(self, info: Info, status: StatusArg = ApplicationStatus.PENDING,
                                  first: First = None, after: After = None) -> Connection[SellerApplication]:
        page = page_request(first, after)
        return connection(await marketplace.seller_applications(
            info.context.reader, await info.context.viewer(), status.value if status else None, page))

    @strawberry.field(description="Your own brand registrations, newest first. Requires sign-in. Page size 1-100 (default 20).")
    async def my_brand_registrations(self, info: Info, first: First = None,
                                     after: After = None) -> Connection[BrandRegistration]:
        page = page_request(first, after)
        return connection(await marketplace.my_brand_registrations(
            info.context.reader, await info.context.viewer(), page))

    @strawberry.field(description="Brand registrations to decide, oldest first. Administrators only. Page size 1-100 (default 20).")
    async def brand_registrations(self, info: Info, status: StatusArg = ApplicationStatus.PENDING,
                                  first: First = None, after: After = None) -> Connection[BrandRegistration]:
        page = page_request(first, after)
        return connection(await marketplace.brand_registrations(
            info.context.reader, await info.context.viewer(), status.value if status else None, page))

    @strawberry.field(description="The commission rate in effect in a category (its own, its nearest ancestor's, or the platform default); null for an unknown or archived category. Public.")
    async def commission_rate(self, info: Info, category_id: CategoryIdArg) -> CommissionRate | None:
        pk = ids.decode_as(category_id, "Category", "categoryId")
        return (await marketplace.commission_rates_for_categories(info.context.reader, [pk])).get(pk)
