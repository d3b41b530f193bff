"""Countries we ship to, with what their postal addresses require.

For each supported country: whether a region (state, province, prefecture...) and a postal
code are required, the postal code's format and how it is written canonically, and, where the
post uses a fixed list of regions, that list. The rules follow the formats the national posts
publish (as collected in Google's libaddressinput data), kept to what a label needs."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PostalFormat:
    """A postal code pattern over the upper-cased, space-collapsed input; the canonical form
    joins the pattern's groups with `separator` (so `a1a1a1` is written `A1A 1A1`)."""

    pattern: re.Pattern
    separator: str
    example: str

    def canonical(self, value: str) -> str | None:
        match = self.pattern.fullmatch(value)
        if match is None:
            return None
        return self.separator.join(g for g in match.groups() if g)


def _postal(pattern: str, separator: str, example: str) -> PostalFormat:
    return PostalFormat(re.compile(pattern), separator, example)


def _fold(value: str) -> str:
    """Lookup key for a region name: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    region_label: str
    region_required: bool
    postal_required: bool
    postal: PostalFormat | None = None
    # Accepted spellings (folded) -> the value stored; None when the region is free text.
    regions: dict[str, str] | None = field(default=None)
    region_hint: str = ""

    def canonical_region(self, value: str) -> str | None:
        """The stored form of a region, or None when the country's list does not have it."""
        if self.regions is None:
            return value
        return self.regions.get(_fold(value))


def _codes(codes: str) -> dict[str, str]:
    return {_fold(c): c for c in codes.split()}


def _names(names: list[str], suffixes: tuple[str, ...] = ()) -> dict[str, str]:
    """Names matched without accents or case; each also without a trailing suffix word
    ("Tokyo-to", "Osaka Prefecture" are Tokyo and Osaka)."""
    found = {}
    for name in names:
        found[_fold(name)] = name
        for suffix in suffixes:
            found[_fold(name + suffix)] = name
    return found


US_STATES = _codes(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK"
    " OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI AA AE AP")
CA_PROVINCES = _codes("AB BC MB NB NL NS NT NU ON PE QC SK YT")
AU_STATES = _codes("ACT NSW NT QLD SA TAS VIC WA")
BR_STATES = _codes("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO")
JP_PREFECTURES = [
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma",
    "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano",
    "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori",
    "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga",
    "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
]
JP_PREFECTURES_KANJI = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
]
IN_STATES = [
    "Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa", "Gujarat", "Haryana",
    "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala", "Madhya Pradesh", "Maharashtra", "Manipur", "Meghalaya",
    "Mizoram", "Nagaland", "Odisha", "Punjab", "Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura",
    "Uttar Pradesh", "Uttarakhand", "West Bengal",
    # Union territories
    "Andaman and Nicobar Islands", "Chandigarh", "Dadra and Nagar Haveli and Daman and Diu", "Delhi",
    "Jammu and Kashmir", "Ladakh", "Lakshadweep", "Puducherry",
]

FIVE_DIGITS = _postal(r"(\d{5})", "", "12345")
FOUR_DIGITS = _postal(r"(\d{4})", "", "1234")
GB_POSTCODE = _postal(
    r"(GIR|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])) ?(\d[ABD-HJLNP-UW-Z]{2})",
    " ", "SW1A 1AA")

COUNTRIES: dict[str, Country] = {c.code: c for c in [
    Country("US", "United States", "state", True, True, _postal(r"(\d{5})(?:-(\d{4}))?", "-", "12345 or 12345-6789"),
            US_STATES, "its 2-letter code, e.g. NY"),
    Country("CA", "Canada", "province", True, True,
            _postal(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)", " ", "K1A 0B1"),
            CA_PROVINCES, "its 2-letter code, e.g. ON"),
    Country("GB", "United Kingdom", "county", False, True, GB_POSTCODE),
    Country("IE", "Ireland", "county", False, False,
            _postal(r"([AC-FHKNPRTV-Y]\d{2}|D6W) ?([0-9AC-FHKNPRTV-Y]{4})", " ", "D02 X285")),
    Country("DE", "Germany", "state", False, True, FIVE_DIGITS),
    Country("FR", "France", "region", False, True, FIVE_DIGITS),
    Country("ES", "Spain", "province", False, True, FIVE_DIGITS),
    Country("IT", "Italy", "province", False, True, FIVE_DIGITS),
    Country("NL", "Netherlands", "province", False, True, _postal(r"([1-9]\d{3}) ?([A-Z]{2})", " ", "1234 AB")),
    Country("BE", "Belgium", "province", False, True, FOUR_DIGITS),
    Country("AT", "Austria", "state", False, True, FOUR_DIGITS),
    Country("CH", "Switzerland", "canton", False, True, FOUR_DIGITS),
    Country("DK", "Denmark", "region", False, True, FOUR_DIGITS),
    Country("SE", "Sweden", "county", False, True, _postal(r"(\d{3}) ?(\d{2})", " ", "123 45")),
    Country("NO", "Norway", "county", False, True, FOUR_DIGITS),
    Country("FI", "Finland", "region", False, True, FIVE_DIGITS),
    Country("PL", "Poland", "voivodeship", False, True, _postal(r"(\d{2})-?(\d{3})", "-", "12-345")),
    Country("PT", "Portugal", "district", False, True, _postal(r"(\d{4})-?(\d{3})", "-", "1234-567")),
    Country("JP", "Japan", "prefecture", True, True, _postal(r"(\d{3})-?(\d{4})", "-", "123-4567"),
            {**_names(JP_PREFECTURES, ("-to", "-fu", "-ken", " prefecture")), **_names(JP_PREFECTURES_KANJI)},
            "its name, e.g. Tokyo or 東京都"),
    Country("AU", "Australia", "state", True, True, FOUR_DIGITS, AU_STATES, "its code, e.g. NSW"),
    Country("NZ", "New Zealand", "region", False, True, FOUR_DIGITS),
    Country("SG", "Singapore", "region", False, True, _postal(r"(\d{6})", "", "123456")),
    Country("IN", "India", "state", True, True, _postal(r"([1-9]\d{2}) ?(\d{3})", "", "110001"),
            _names(IN_STATES), "the state or union territory's name, e.g. Karnataka"),
    Country("BR", "Brazil", "state", True, True, _postal(r"(\d{5})-?(\d{3})", "-", "12345-678"),
            BR_STATES, "its 2-letter code, e.g. SP"),
    Country("MX", "Mexico", "state", False, True, FIVE_DIGITS),
]}
