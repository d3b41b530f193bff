"""Identity root fields."""
import strawberry

from api.identity.types import Viewer


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Who is calling: roles, and the signed-in customer with sessions and devices. Never an error for anonymous callers (roles is [ANONYMOUS]); an invalid or expired access token is an UNAUTHENTICATED error.")
    def viewer(self) -> Viewer:
        return Viewer()
