"""PostgreSQL column types SQLAlchemy does not ship."""
from sqlalchemy.types import UserDefinedType


class Ltree(UserDefinedType):
    """The `ltree` extension's label path (a category's place in the tree)."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "LTREE"


class TsVector(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "TSVECTOR"
