"""Marketplace management mutations."""
import strawberry


@strawberry.type
class MarketplaceMutation:
    pass
