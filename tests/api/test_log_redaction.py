"""The log handler every process installs masks secrets and personal data wherever a record
carries them: message, arguments, extra fields, exception and stack text.

Records are built directly (not through a logger) so that the suite's own leak check, which
reads what loggers make, does not count the values planted here."""
import io
import json
import logging
import re
import secrets
import sys
import uuid
from datetime import UTC, datetime

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from api.cli import main
from api.observability.logging_setup import json_handler
from api.observability.redaction import DEFAULT_RULES, MASK, RedactingFilter, Redactor, Rule
from domain.identity import passwords, tokens
from domain.identity.addresses import AddressFields
from domain.shared.config import get_settings
from tests.api.identity.helpers import PASSWORD

EMAIL = "ada.lovelace@example.com"
ADDRESS = AddressFields(full_name="Ada Lovelace", line1="12 Crescent Road", city="Bath", country_code="GB",
                        postal_code="BA1 2XY", phone="+44 1225 000000")


def _record(msg: str, args: tuple = (), exc_info=None, stack_info: str | None = None, **extra) -> logging.LogRecord:
    record = logging.LogRecord("tributary.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    record.stack_info = stack_info
    record.__dict__.update(extra)
    return record


def _written(record: logging.LogRecord) -> str:
    stream = io.StringIO()
    json_handler(stream).handle(record)
    return stream.getvalue()


def test_secrets_and_personal_data_are_masked_in_message_args_extra_exception_and_stack():
    access_token, _ = tokens.issue_access_token("k" * 32, 7, uuid.uuid4(), datetime.now(UTC), 10)
    refresh_token, reset_token = tokens.new_secret("rt"), tokens.new_secret("pr")
    password_hash = passwords.hasher(19456, 2, 1).hash(PASSWORD)
    cart_token = secrets.token_urlsafe(32)
    try:
        raise ValueError(f"INSERT INTO accounts VALUES ({EMAIL}, {password_hash}) failed; reset {reset_token}")
    except ValueError:
        exc_info = sys.exc_info()
    record = _record(
        "sign-in of %s with password=%r, header Authorization: Bearer %s, cart {\"cartToken\": \"%s\"}, "
        "ship to %r, database postgresql://tributary:%s@db.internal/shop",
        (EMAIL, PASSWORD, access_token, cart_token, ADDRESS, "db-secret-word"),
        exc_info=exc_info, stack_info=f"Stack (most recent call last):\n  refresh_token = {refresh_token!r}",
        job_id=7, password=PASSWORD, new_password_hash=password_hash, refresh_token=refresh_token,
        shipping_address={"line1": ADDRESS.line1, "city": ADDRESS.city}, context={"to": EMAIL},
    )

    written = _written(record)

    planted = [EMAIL, PASSWORD, access_token, refresh_token, reset_token, password_hash, cart_token,
               ADDRESS.full_name, ADDRESS.line1, ADDRESS.postal_code, ADDRESS.phone, "db-secret-word"]
    assert [value for value in planted if value in written] == []
    line = json.loads(written)
    assert line["logger"] == "tributary.test" and line["level"] == "ERROR"
    assert line["job_id"] == 7
    assert line["password"] == line["new_password_hash"] == line["refresh_token"] == MASK
    assert line["shipping_address"] == MASK
    assert line["context"] == {"to": MASK}
    assert line["message"].startswith(f"sign-in of {MASK} with password='{MASK}'")
    assert "country_code='GB'" in line["message"]  # what is not personal stays readable
    assert "postgresql://tributary:[REDACTED]@db.internal/shop" in line["message"]
    assert line["exc_info"].startswith("Traceback") and "ValueError: INSERT INTO accounts VALUES" in line["exc_info"]
    assert line["stack_info"].startswith("Stack (most recent call last):")


def test_a_record_whose_arguments_do_not_fit_its_message_is_still_written_masked():
    written = _written(_record("%d accounts for %s", ("many", EMAIL, "extra")))

    assert json.loads(written)["message"] == "%d accounts for %s"
    assert EMAIL not in written


def test_a_record_masked_twice_reads_the_same():
    record = _record("token=%s for %s", (tokens.new_secret("rt"), EMAIL), password=PASSWORD)
    masking = RedactingFilter()
    masking.filter(record)
    once = (record.getMessage(), record.password)

    masking.filter(record)

    assert (record.getMessage(), record.password) == once == (f"token={MASK} for {MASK}", MASK)


def test_every_command_logs_through_the_masking_handler(tmp_path):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["mail"], env={"TRIBUTARY_DATA_DIR": str(tmp_path)})
        installed = root.handlers[:]
    finally:
        root.handlers[:], root.level = handlers, level
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert len(installed) == 1
    assert [type(f) for f in installed[0].filters if isinstance(f, RedactingFilter)] == [RedactingFilter]


# Pieces of text around every rule's edges: triggers with and without what follows them.
_PIECES = st.sampled_from([
    "postgresql://user:pw@db/x", "https://", "://", "Bearer abc.def", "bearer", "BEARER  xyz", "eyJhbGciOi.x.y",
    "eyJ", "EYJ", "rt_0123456789abcdefXYZ", "pr_", "Sl_0123456789abcdef01", "$argon2id$v=19$m=1,t=2$abc",
    "$ARGON2", EMAIL, "@", "a@b", "password=hunter2", 'token: "x y"', "city=Bath", "key=value", ":", "=",
    " ", "\n", "/graphql", "request", "POST", "é", "ß", "İ", "ﬀ",
])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=8).map("".join))
def test_text_without_a_trigger_is_what_the_rules_leave_it(text):
    """The one search for the rules' triggers never leaves out text a rule would mask: the
    answer is the rules' own, applied one by one."""
    redactor = Redactor()
    by_rules = text
    for rule in DEFAULT_RULES:
        by_rules = rule.apply(by_rules)
    assert redactor.text(text) == by_rules


def test_rules_without_a_trigger_always_run_and_key_answers_are_remembered_rightly():
    custom = Redactor(rules=[Rule("digits", re.compile(r"\d+"))])
    assert custom.trigger is None
    assert custom.text("order 42") == f"order {MASK}"
    redactor = Redactor()
    for _ in range(2):  # the second answer comes from what the first remembered
        assert redactor.sensitive_key("access_token") and redactor.sensitive_key("Shipping-Address")
        assert not redactor.sensitive_key("status") and not redactor.sensitive_key("ms")
    assert redactor.sensitive_key(("password",)) is True  # not a name: read from its text each time


def test_hex_text_is_left_as_it_is_and_other_text_still_masked():
    import re

    from api.observability.redaction import Redactor, Rule

    redactor = Redactor()
    request_id = "0123456789abcdef" * 2
    assert redactor.text(request_id) == request_id
    assert redactor.text("ABCDEF0123") == "ABCDEF0123"
    assert "[REDACTED]" in redactor.text("token=abcdef0123") and "[REDACTED]" in redactor.text("a@example.com")
    assert redactor.text("eyJhbGciOiJIUzI1NiJ9.e30.abc") == "[REDACTED]"
    keys = Redactor(rules=(Rule("api key", re.compile(r"\b[0-9a-f]{32}\b")),))  # a rule of its own for hex
    assert keys.text(request_id) == "[REDACTED]"
