"""Every setting is in the configuration guide, by its environment variable; rows that group
several settings name the later ones by their distinct ending (`_REGION` after
`TRIBUTARY_DEFAULT_DELIVERY_COUNTRY`)."""
import re

from domain.shared.config import Settings
from tests.docs.guides import DOCS

GUIDE = (DOCS / "configuration.md").read_text()
NAMES = set(re.findall(r"`(TRIBUTARY_[A-Z0-9_]+|_[A-Z0-9_]+)`", GUIDE))


def _documented(field: str) -> bool:
    variable = f"TRIBUTARY_{field.upper()}"
    if variable in NAMES:
        return True
    # A grouped row: `TRIBUTARY_A_B_C` / `_D` stands for TRIBUTARY_A_B_D.
    return any(variable.endswith(short) and any(full.startswith(variable[: -len(short)]) for full in NAMES)
               for short in NAMES if short.startswith("_"))


def test_every_setting_is_in_the_configuration_guide():
    assert [f for f in Settings.model_fields if not _documented(f)] == []
