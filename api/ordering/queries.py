"""Cart and order root fields."""
import strawberry


@strawberry.type
class OrderingQuery:
    pass
