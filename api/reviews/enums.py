"""Enums of reviews."""
from api.core.enums import graphql_enum
from domain.reviews import statuses

ReviewSortKey = graphql_enum(statuses.ReviewSortKey, description="Orders for a product's reviews: MOST_HELPFUL (most helpful votes first, then newest), NEWEST, HIGHEST (most stars first, then newest), LOWEST (fewest stars first, then newest). Ties are broken by review, so pages are stable.")

ReviewStatus = graphql_enum(statuses.ReviewStatus, description="Where a review stands: PUBLISHED (shown and counted in the rating summary), HIDDEN (taken down by a moderator: only its author and administrators see it, and it does not count), DELETED (withdrawn by its author).")
