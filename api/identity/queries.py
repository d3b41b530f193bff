"""Identity root fields."""
import strawberry
from strawberry.types import Info

from api.identity.types import Viewer


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Who is calling: roles, and the signed-in customer with sessions and devices. Never an error for anonymous callers (roles is [ANONYMOUS]); an invalid or expired access token is an UNAUTHENTICATED error.")
    async def viewer(self, info: Info) -> Viewer:
        # The token is checked here, so a bad one is one error on `viewer`, never a
        # `customer: null` that would look like an anonymous caller.
        await info.context.viewer()
        return Viewer()
