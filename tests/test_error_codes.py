"""One definition per error code: every code the domain raises is a member of a domain `StrEnum`,
and every code a mutation can receive is in the GraphQL enum derived from one."""
import ast
import importlib
import pkgutil
from enum import StrEnum
from pathlib import Path

import api
import domain
from api.core.enums import ErrorCodes
from api.core.error_codes import EVERY_MUTATION, UserErrorCode
from api.schema import build_schema
from domain.catalogue.errors import CatalogueQueryErrorCode
from domain.identity.errors import TokenErrorCode
from domain.licences.errors import LibraryErrorCode
from domain.lists.errors import ListQueryErrorCode
from domain.marketplace.errors import SaleLedgerErrorCode
from domain.reviews.errors import ReviewQueryErrorCode
from domain.search.errors import SearchErrorCode
from domain.shared.config import Settings
from domain.shared.errors import CommonErrorCode, DomainError

DOMAIN = Path(domain.__file__).parent
MODULES = [importlib.import_module(m.name) for m in pkgutil.walk_packages(domain.__path__, "domain.")]
ERROR_ENUMS = {cls.__name__: cls for module in MODULES if module.__name__.endswith(".errors")
               for cls in vars(module).values()
               if isinstance(cls, type) and issubclass(cls, StrEnum) and cls is not StrEnum}

# Reasons of top-level errors (`extensions.reason` of a query's BAD_USER_INPUT, of UNAUTHENTICATED
# or FORBIDDEN): never a `userError`, so in no mutation's enum.
REASONS = {*TokenErrorCode, *ListQueryErrorCode, *CatalogueQueryErrorCode, *SearchErrorCode, *LibraryErrorCode, *ReviewQueryErrorCode,
           CommonErrorCode.UNAUTHENTICATED, CommonErrorCode.FORBIDDEN, CommonErrorCode.INVALID_LOOKUP,
           CommonErrorCode.TOO_LONG, CommonErrorCode.INVALID_PAGE_SIZE}
# A sale recorded again with another amount means the order and the ledger disagree: a bug,
# which the client sees as "Unexpected error." (its id is in the log): it is a `UserErrorCode`,
# like every client-facing domain code, but in no family, so no mutation returns it.
NOT_FOR_CLIENTS = {SaleLedgerErrorCode.SALE_ALREADY_RECORDED}
# The code enums of the mutations each context's use cases run under (a context's rules also run
# in the mutations of the contexts above it: an address on a cart, stock at checkout...).
SURFACES = {
    "shared": None,  # every mutation
    "identity": ["IdentityErrorCode", "OrderingErrorCode", "LicenceErrorCode"],
    "carts": ["OrderingErrorCode"],
    "orders": ["OrderingErrorCode", "PlaybackErrorCode"],
    "payments": ["OrderingErrorCode", "PlaybackErrorCode"],
    "idempotency": ["OrderingErrorCode"],
    "marketplace": ["MarketplaceErrorCode", "OrderingErrorCode"],
    "catalogue": ["CatalogueErrorCode"],
    "licences": ["LicenceErrorCode", "ReadingErrorCode", "DownloadErrorCode", "PlaybackErrorCode", "OrderingErrorCode",
                 "BorrowErrorCode", "LendingErrorCode"],
    "search": [],
    "reviews": ["ReviewErrorCode", "ModerationErrorCode"],
    "moderation": ["ModerationErrorCode"],
    "questions": ["QuestionErrorCode", "ModerationErrorCode"],
    "subscriptions": ["MembershipErrorCode", "BorrowErrorCode", "SubscribeErrorCode"],
    "profiles": ["ProfileErrorCode"],
    "recommendations": ["HistoryErrorCode"],
    "lists": ["ListErrorCode"],
    "webhooks": ["WebhookErrorCode"],
}


# Modules that start the service (and set up its logging) when imported.
ENTRYPOINTS = {"api.asgi", "api.cli"}


def _families() -> dict[str, ErrorCodes]:
    """The code families of the mutations (`ErrorCodes` in api modules), by domain enum name."""
    found = {}
    for info in pkgutil.walk_packages(api.__path__, "api."):
        if info.name in ENTRYPOINTS:
            continue
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, ErrorCodes):
                found[value.source.__name__] = value
    return found


FAMILIES = _families()
SCHEMA = build_schema(Settings(env="development"))._schema


def _codes_raised(path: Path) -> list[tuple[int, str, str]]:
    """(line, enum, member) of every `<ErrorEnum>.<MEMBER>` the module refers to."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ERROR_ENUMS:
            found.append((node.lineno, node.value.id, node.attr))
    return found


def _literal_codes(path: Path) -> list[str]:
    """Codes written as strings: `code="..."` arguments, `code = "..."` assignments (class
    attributes included) and `code="..."` parameter defaults."""
    def is_text(value) -> bool:
        if isinstance(value, ast.IfExp):
            return is_text(value.body) or is_text(value.orelse)
        return isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str))

    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.keyword) and node.arg == "code" and is_text(node.value):
            found.append(f"{path}:{node.value.lineno}")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "code" for t in targets) and node.value is not None \
                    and is_text(node.value):
                found.append(f"{path}:{node.lineno}")
        elif isinstance(node, ast.arguments):
            named = [*node.posonlyargs, *node.args][-len(node.defaults):] if node.defaults else []
            pairs = [*zip(named, node.defaults), *zip(node.kwonlyargs, node.kw_defaults)]
            found += [f"{path}:{arg.lineno}" for arg, default in pairs
                      if arg.arg == "code" and default is not None and is_text(default)]
    return found


def _subclasses(cls: type) -> list[type]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def test_no_domain_code_is_spelt_as_a_string():
    literal = [where for path in sorted(DOMAIN.rglob("*.py")) if path.name != "errors.py"
               for where in _literal_codes(path)]
    assert literal == []


def test_every_domain_error_class_has_an_enum_member_as_its_code():
    plain = [cls.__qualname__ for cls in _subclasses(DomainError)
             if cls.__module__.startswith("domain.") and not isinstance(cls.code, StrEnum)]
    assert plain == []


def test_user_error_code_is_the_one_error_code_enum_of_the_schema():
    enums = sorted(name for name in SCHEMA.type_map if name.endswith("ErrorCode"))
    assert enums == ["UserErrorCode"]
    interface = SCHEMA.type_map["UserError"]
    assert str(interface.fields["code"].type) == "UserErrorCode!"
    implementers = SCHEMA.get_possible_types(interface)
    assert len(implementers) == 20
    assert all(str(t.fields["code"].type) == "UserErrorCode!" for t in implementers)
    assert str(SCHEMA.type_map["ProductImportRowError"].fields["code"].type) == "UserErrorCode!"


def test_every_family_of_mutations_takes_its_codes_from_a_domain_enum():
    assert sorted(FAMILIES) == ["BorrowErrorCode", "CatalogueErrorCode", "DownloadErrorCode", "HistoryErrorCode",
                                "IdentityErrorCode", "LendingErrorCode", "LicenceErrorCode", "ListErrorCode",
                                "MarketplaceErrorCode", "MembershipErrorCode", "ModerationErrorCode", "OrderingErrorCode",
                                "PlaybackErrorCode", "ProfileErrorCode", "QuestionErrorCode", "ReadingErrorCode", "ReviewErrorCode",
                                "SubscribeErrorCode", "WebhookErrorCode"]
    assert all(family.source is ERROR_ENUMS[name] for name, family in FAMILIES.items())


def test_every_client_facing_domain_code_is_a_user_error_code_once():
    values = [m.value for m in UserErrorCode]
    assert len(values) == len(set(values))
    wire = {m.value for m in UserErrorCode}
    missing = [f"{enum.__name__}.{m.name}" for enum in ERROR_ENUMS.values() for m in enum
               if m.value not in wire and m not in REASONS]
    assert missing == []
    assert UserErrorCode.SALE_ALREADY_RECORDED.value == "SALE_ALREADY_RECORDED"


def test_every_user_error_code_is_a_member_of_a_domain_enum_and_described():
    # A reason may also be a userError code where a family of mutations returns it (INVALID_STARS).
    domain_values = {m.value for enum in ERROR_ENUMS.values() for m in enum if m not in REASONS} | {
        m.value for family in FAMILIES.values() for m in family.source}
    assert [m.value for m in UserErrorCode if m.value not in domain_values] == []
    copied = UserErrorCode.__domain_members__
    assert all(ERROR_ENUMS[type(m).__name__] is type(m) for m in copied)
    assert [(m.name, m.value) for m in UserErrorCode] == [(m.name, m.value) for m in copied]
    values = SCHEMA.type_map["UserErrorCode"].values
    assert sorted(values) == sorted(m.value for m in UserErrorCode)
    assert [name for name, value in values.items() if not value.description] == []


def test_the_codes_of_a_family_are_all_named_on_its_code_field():
    unnamed = [f"{name}.{m.name}" for name, family in FAMILIES.items()
               for m in [*family.members(), *EVERY_MUTATION] if m.value not in family.description.replace("\n", " ")
               and m.value not in family.field().description]
    assert unnamed == []


def test_every_code_a_context_raises_is_in_the_codes_of_its_mutations():
    unmapped = []
    for path in sorted(DOMAIN.rglob("*.py")):
        if path.name == "errors.py":
            continue
        context = path.relative_to(DOMAIN).parts[0]
        surfaces = SURFACES.get(context, [])
        for line, enum, member in _codes_raised(path):
            code = ERROR_ENUMS[enum][member]
            if code in REASONS or code in NOT_FOR_CLIENTS:
                continue
            names = FAMILIES if surfaces is None else surfaces
            if not any(code in FAMILIES[n] for n in names):
                unmapped.append(f"{path.relative_to(DOMAIN)}:{line} {enum}.{member}")
    assert unmapped == []


def test_the_checks_see_a_code_spelt_as_a_string_and_an_unmapped_code(tmp_path):
    module = tmp_path / "refusals.py"
    module.write_text('def _check(code="INVALID"):\n'
                      '    code = "A" if True else CommonErrorCode.INVALID\n'
                      '    raise DomainError("x", code=f"LICENCE_{code}")\n'
                      'raise DomainError("x", code=SaleLedgerErrorCode.SALE_ALREADY_RECORDED)\n')
    assert sorted(_literal_codes(module)) == [f"{module}:1", f"{module}:2", f"{module}:3"]
    assert sorted(_codes_raised(module)) == [(2, "CommonErrorCode", "INVALID"), (4, "SaleLedgerErrorCode", "SALE_ALREADY_RECORDED")]
