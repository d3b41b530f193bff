"""LICENCE_REVOKED, LICENCE_EXPIRED and LICENCE_SUSPENDED have one home (`LicenceStateErrorCode`):
no other domain enum copies them, and each family of mutations acting on a licence names the
ones it returns, which stay one `UserErrorCode` value each on the wire."""
import importlib
import pkgutil
from enum import StrEnum

import domain
from api.carts.enums import OrderingErrorCode
from api.core.error_codes import UserErrorCode
from api.licences.download_mutations import DownloadErrorCode
from api.licences.enums import LicenceErrorCode
from api.licences.lending_types import LendingErrorCode
from api.licences.playback_mutations import PlaybackErrorCode
from api.licences.reading_errors import ReadingErrorCode
from domain.licences.errors import LicenceStateErrorCode

STATES = {m.value for m in LicenceStateErrorCode}


def test_no_other_domain_enum_copies_a_licence_state_code():
    copies = [f"{cls.__name__}.{member.name}"
              for info in pkgutil.walk_packages(domain.__path__, "domain.") if info.name.endswith(".errors")
              for cls in vars(importlib.import_module(info.name)).values()
              if isinstance(cls, type) and issubclass(cls, StrEnum) and cls is not LicenceStateErrorCode
              for member in cls if member.value in STATES]
    assert copies == []


def test_each_family_acting_on_a_licence_names_the_states_it_returns():
    returned = {family.source.__name__: sorted(m.value for m in family.members() if m.value in STATES)
                for family in (LicenceErrorCode, ReadingErrorCode, DownloadErrorCode, PlaybackErrorCode,
                               LendingErrorCode, OrderingErrorCode)}
    every = ["LICENCE_EXPIRED", "LICENCE_REVOKED", "LICENCE_SUSPENDED"]
    assert returned == {"LicenceErrorCode": every, "ReadingErrorCode": every, "DownloadErrorCode": every,
                        "PlaybackErrorCode": every[:2], "LendingErrorCode": every[:2],
                        "OrderingErrorCode": ["LICENCE_REVOKED"]}
    assert all(LicenceStateErrorCode.LICENCE_REVOKED in family for family in (LicenceErrorCode, OrderingErrorCode))
    assert LicenceStateErrorCode.LICENCE_SUSPENDED not in PlaybackErrorCode
    assert [m.value for m in UserErrorCode].count("LICENCE_REVOKED") == 1
