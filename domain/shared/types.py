"""PostgreSQL column types SQLAlchemy does not ship."""
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.types import UserDefinedType


class Ltree(UserDefinedType):
    """The `ltree` extension's label path (a category's place in the tree)."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "LTREE"


# So reflection (migration checks) knows the type instead of warning about it.
ischema_names["ltree"] = Ltree
