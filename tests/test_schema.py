"""The committed schema is the product: it must match the code and describe everything."""
from pathlib import Path

from graphql import build_schema as parse_sdl
from graphql.type import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from api.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_a_fresh_export():
    assert SCHEMA_FILE.read_text() == export_sdl(), (
        "schema.graphql is stale: run `tributary export-schema --output schema.graphql`"
    )


def test_every_type_field_and_argument_has_a_description():
    schema = parse_sdl(export_sdl())
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType) and not type_.values:
            missing.append(f"{name} has no values")
    assert missing == []
