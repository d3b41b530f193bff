"""One definition per status and kind: a domain `StrEnum` gives the database enum its values
and the GraphQL enum its members."""
import ast
import importlib
import pkgutil
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Enum as SqlEnum

import domain
from api.schema import build_schema
from domain.models import Base
from domain.shared.config import Settings

DOMAIN = Path(domain.__file__).parent
STATUS_ENUMS = [cls for m in pkgutil.walk_packages(domain.__path__, "domain.") if m.name.endswith(".statuses")
                for cls in vars(importlib.import_module(m.name)).values()
                if isinstance(cls, type) and issubclass(cls, StrEnum) and cls is not StrEnum]
# Not statuses of ours: the ISO 4217 codes, and the sort orders a search takes.
GRAPHQL_ONLY = {"CurrencyCode", "ProductSortKey"}
# The job queue's own status (PENDING, DONE, FAILED) is not a client-facing status.
DATABASE_ONLY = {"job_status"}


def _database_enums() -> dict[str, list[str]]:
    return {column.type.name: list(column.type.enums) for table in Base.metadata.tables.values()
            for column in table.columns if isinstance(column.type, SqlEnum)}


def test_every_database_enum_has_the_values_of_a_domain_enum():
    sources = [[m.value for m in enum] for enum in STATUS_ENUMS]
    stored_roles = [m.value for m in importlib.import_module("domain.identity.statuses").STORED_ROLES]
    unmatched = [name for name, values in _database_enums().items()
                 if name not in DATABASE_ONLY and values not in [*sources, stored_roles]]
    assert unmatched == []
    assert _database_enums()["order_status"] == ["PLACED", "PARTIALLY_SHIPPED", "SHIPPED", "DELIVERED", "CANCELLED"]


def test_no_database_enum_spells_its_values():
    spelt = []
    for path in sorted(DOMAIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ENUM" \
                    and any(isinstance(a, ast.Constant) for a in node.args):
                name = next((k.value.value for k in node.keywords if k.arg == "name"), None)
                if name not in DATABASE_ONLY:
                    spelt.append(f"{path.relative_to(DOMAIN)}:{node.lineno} {name}")
    assert spelt == []


def test_every_graphql_enum_is_derived_from_a_domain_enum():
    schema = build_schema(Settings(env="development"))
    derived, not_derived = 0, []
    for name, type_ in schema._schema.type_map.items():
        definition = (type_.extensions or {}).get("strawberry-definition") if hasattr(type_, "values") else None
        if definition is None or name in GRAPHQL_ONLY:
            continue
        enum = definition.wrapped_cls
        # An enum is a domain enum's copy, or (UserErrorCode) the union of several's members.
        source = getattr(enum, "__domain_enum__", None) or getattr(enum, "__domain_members__", None)
        if source is None or [(m.name, m.value) for m in enum] != [(m.name, m.value) for m in source]:
            not_derived.append(name)
        derived += 1
    assert not_derived == []
    assert derived == 61
