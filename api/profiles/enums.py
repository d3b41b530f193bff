"""Enums of profiles."""
from api.core.enums import graphql_enum
from domain.profiles import statuses

ProfileVisibility = graphql_enum(statuses.ProfileVisibility, description="Who sees a profile, or one of its sections: PUBLIC (everyone the profile is shown to), PRIVATE (its owner only).")
