"""Cart, checkout and order mutations."""
import strawberry


@strawberry.type
class OrderingMutation:
    pass
