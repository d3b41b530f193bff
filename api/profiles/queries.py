"""Profile root fields."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import IdArg
from api.profiles.types import Profile
from domain.profiles import service as profiles

HandleArg = Annotated[Optional[str], strawberry.argument(description="The profile's handle, in any case (e.g. `ada-b-3`).")]


@strawberry.type
class ProfileQuery:
    @strawberry.field(description="A customer's public profile by global ID or handle: give exactly one (INVALID_LOOKUP otherwise). Null when there is no such profile and when it is not shown to you (made private by its owner, or its owner blocked you): the two are never told apart. Your own profile is always shown to you (also as `viewer { profile }`).")
    async def profile(self, info: Info, id: IdArg = None, handle: HandleArg = None) -> Optional[Profile]:
        pk = ids.decode_as(id, "Profile") if id is not None else None
        return await profiles.find_profile(info.context.reader, await info.context.viewer(), id=pk, handle=handle)
