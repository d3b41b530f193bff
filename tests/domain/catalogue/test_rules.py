"""The catalogue's data rules, as pure functions."""
import io
import subprocess
import sys
from pathlib import Path

import pytest

from domain.catalogue import rules
from domain.catalogue.import_rows import ImportFileError, Row, read_rows
from domain.catalogue.rules import AttributeInput, ImageInput
from domain.shared.errors import InvalidInput


def _code(call) -> tuple[str, list[str] | None]:
    with pytest.raises(InvalidInput) as raised:
        call()
    return raised.value.code, raised.value.field


def test_slugs_are_ascii_words_cut_at_a_word_boundary():
    assert rules.slugify("Crème Brûlée: A History", 140) == "creme-brulee-a-history"
    assert rules.slugify("one two three", 9) == "one-two"
    assert rules.slugify("Война и мир", 140) == ""


def test_attribute_values_are_parsed_as_their_type():
    parsed = rules.attributes([AttributeInput("pages", "NUMBER", "320"), AttributeInput("ratio", "NUMBER", "1.5"),
                               AttributeInput("signed", "BOOLEAN", "TRUE"),
                               AttributeInput("ports", "LIST", '["USB-C", 2]'),
                               AttributeInput("colour", "STRING", "  deep   red ")])
    assert parsed == {"pages": 320, "ratio": 1.5, "signed": True, "ports": ["USB-C", 2], "colour": "deep red"}


@pytest.mark.parametrize("attribute", [
    AttributeInput("pages", "NUMBER", "NaN"), AttributeInput("pages", "NUMBER", "1e400"),
    AttributeInput("weightGrams", "NUMBER", "-1"), AttributeInput("colour", "STRING", ""),
    AttributeInput("ports", "LIST", '[{"a": 1}]'), AttributeInput("ports", "LIST", "[true]"),
    AttributeInput("x", "DATE", "2024"), AttributeInput("a_b", "STRING", "x"),
])
def test_bad_attributes_are_refused(attribute):
    assert _code(lambda: rules.attributes([attribute]))[0] == "ATTRIBUTE_INVALID"


@pytest.mark.parametrize("url", ["https://localhost/a.jpg", "ftp://images.example.com/a.jpg", "https:///a.jpg",
                                 "https://images.example.com/a b.jpg", "//images.example.com/a.jpg",
                                 "https://[::1/a.jpg"])
def test_image_urls_are_absolute_https_with_a_host(url):
    assert _code(lambda: rules.images([ImageInput(url)])) == ("IMAGE_URL_INVALID", ["input", "images", "0", "url"])


def test_images_are_stored_in_order_without_empty_alt_text():
    stored = rules.images([ImageInput("https://img.example.com/1.jpg", " ", 10, 20),
                           ImageInput("https://img.example.com/2.jpg", "Back")])
    assert stored == [{"url": "https://img.example.com/1.jpg", "width": 10, "height": 20},
                      {"url": "https://img.example.com/2.jpg", "altText": "Back"}]


@pytest.mark.parametrize("kind, fmt", [("PHYSICAL", "KINDLE"), ("EBOOK", "PAPERBACK"), ("MEMBERSHIP", "DVD"),
                                       ("VIDEO", "NOPE"), ("VIDEO", "DVD"), ("VIDEO", "BLU_RAY")])
def test_a_format_must_be_one_the_kind_comes_in(kind, fmt):
    assert _code(lambda: rules.kind_and_format(kind, fmt)) == ("FORMAT_INVALID", ["input", "format"])


@pytest.mark.parametrize("fmt", ["DVD", "BLU_RAY"])
def test_a_disc_is_a_physical_product(fmt):
    rules.kind_and_format("PHYSICAL", fmt)


def test_csv_rows_start_at_their_line_and_empty_cells_are_left_out():
    text = 'title,description,kind\r\nA,"two\nlines",PHYSICAL\n\nB,,EBOOK\nC,x\n'
    rows = list(read_rows(io.StringIO(text, newline=""), "csv"))
    assert rows[0] == Row(2, {"title": "A", "description": "two\nlines", "kind": "PHYSICAL"})
    assert rows[1] == Row(5, {"title": "B", "kind": "EBOOK"})
    assert (rows[2].row, rows[2].code) == (6, "INVALID")


@pytest.mark.parametrize("text, message", [("", "empty"), ("title,title\n", "twice"),
                                           ("name\n", "Unknown column 'name'")])
def test_a_csv_file_without_a_usable_header_is_refused(text, message):
    with pytest.raises(ImportFileError) as raised:
        list(read_rows(io.StringIO(text, newline=""), "csv"))
    assert message in raised.value.message


_IMPORT_EACH_FIRST = """
import importlib, sys
for module in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "domain" or m.startswith("domain.")]:
        del sys.modules[loaded]
    importlib.import_module(module)
"""


def test_each_module_imports_first_without_a_cycle():
    # The catalogue, the search index it refreshes and search (which reads the catalogue) import one
    # another's modules: no import order may hit a cycle.
    modules = ["domain.catalogue.import_rows", "domain.catalogue.imports", "domain.catalogue.products",
               "domain.catalogue.management", "domain.catalogue.service", "domain.search.service",
               "domain.marketplace.search_index"]
    result = subprocess.run([sys.executable, "-c", _IMPORT_EACH_FIRST, *modules], capture_output=True, text=True,
                            cwd=Path(__file__).parents[3])
    assert result.returncode == 0, result.stderr
