"""Prime root fields."""
import strawberry
from strawberry.types import Info

from api.subscriptions.types import PrimePlan, plans


@strawberry.type
class SubscriptionQuery:
    @strawberry.field(description="The Prime plans on offer, with their prices, period lengths and free trial. Public.")
    def prime_plans(self, info: Info) -> list[PrimePlan]:
        return plans(info)
