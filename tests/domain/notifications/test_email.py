"""E-mail: templates render every message identity sends, and the development mailbox
writes each message once as a readable .eml file."""
import asyncio
import email.policy
from email.parser import BytesParser

import pytest

from domain.notifications.email import EmailMessage, FileMailbox
from domain.notifications.templates import TEMPLATES, TemplateError, render


def test_every_identity_template_renders_its_context():
    assert render("welcome", {"displayName": "Ada"}).subject == "Welcome to Tributary, Ada"
    assert "Hello Ada," in render("welcome", {"displayName": "Ada"}).text
    assert "https://shop.test/reset-password" in render(
        "account_exists", {"resetUrl": "https://shop.test/reset-password"}).text
    reset = render("password_reset", {"displayName": "Ada", "token": "pr_secret", "minutes": 30,
                                      "url": "https://shop.test/reset-password?token=pr_secret"})
    assert reset.subject == "Reset your Tributary password"
    assert "within 30 minutes" in reset.text
    assert "https://shop.test/reset-password?token=pr_secret" in reset.text
    assert "pr_secret" in reset.text
    assert render("password_reset_unknown", {}).subject == "Tributary password reset"
    assert render("password_changed", {}).subject == "Your Tributary password was changed"


def test_an_unknown_template_is_an_error_listing_the_known_ones():
    with pytest.raises(TemplateError) as error:
        render("order_shipped", {})
    assert str(error.value) == f"Unknown e-mail template 'order_shipped'; known: {', '.join(sorted(TEMPLATES))}."
    assert {"welcome", "account_exists", "password_reset", "password_reset_unknown", "password_changed"} <= set(
        TEMPLATES)


def test_a_missing_context_field_is_an_error_naming_it():
    with pytest.raises(TemplateError) as error:
        render("welcome", {})
    assert str(error.value) == "E-mail template 'welcome' needs displayName in its context."


def test_values_cannot_break_the_subject_onto_a_second_line():
    assert render("welcome", {"displayName": "Ada\r\nBcc: everyone@example.com"}).subject == (
        "Welcome to Tributary, Ada Bcc: everyone@example.com")


def test_adding_a_template_is_one_entry(monkeypatch):
    from domain.notifications.templates import Template

    monkeypatch.setitem(TEMPLATES, "order_shipped", Template(subject="Order {number} shipped", body="On its way."))

    assert render("order_shipped", {"number": "A-1"}).subject == "Order A-1 shipped"


async def test_the_mailbox_writes_a_readable_eml_file_once_per_message_id(tmp_path):
    box = FileMailbox(tmp_path / "mail", sender="Shop <no-reply@shop.test>")
    message = EmailMessage(message_id="20261123T101010.000001Z-job7", to="ada@example.com",
                           subject="Reset your Tributary password", text="Open https://shop.test/r?token=x\n")

    await box.send(message)
    await box.send(EmailMessage(message_id=message.message_id, to="ada@example.com", subject="A second text",
                                text="different\n"))

    files = sorted(p.name for p in (tmp_path / "mail").iterdir())
    assert files == ["20261123T101010.000001Z-job7.eml"]
    parsed = BytesParser(policy=email.policy.default).parsebytes((tmp_path / "mail" / files[0]).read_bytes())
    assert (parsed["To"], parsed["From"], parsed["Subject"]) == (
        "ada@example.com", "Shop <no-reply@shop.test>", "Reset your Tributary password")
    assert parsed["Message-ID"] == "<20261123T101010.000001Z-job7@tributary>"
    assert parsed.get_body(("plain",)).get_content() == "Open https://shop.test/r?token=x\n"


async def test_the_raw_file_shows_the_text_as_written(tmp_path):
    box = FileMailbox(tmp_path)
    await box.send(EmailMessage(message_id="m1", to="zoe@example.com", subject="Welcome to Tributary, Zoë",
                                text="Hello Zoë,\nhttps://shop.test/reset-password?token=pr_abc\n"))

    raw = (tmp_path / "m1.eml").read_text()

    assert "Hello Zoë,\nhttps://shop.test/reset-password?token=pr_abc\n" in raw
    assert FileMailbox.read(tmp_path / "m1.eml").subject == "Welcome to Tributary, Zoë"


async def test_two_senders_racing_on_one_message_id_leave_one_file(tmp_path):
    box = FileMailbox(tmp_path)
    message = EmailMessage(message_id="m1", to="ada@example.com", subject="Hi", text="Hello\n")

    await asyncio.gather(*(box.send(message) for _ in range(8)))

    assert [p.name for p in tmp_path.iterdir()] == ["m1.eml"]


async def test_the_mailbox_lists_the_newest_messages_first(tmp_path):
    box = FileMailbox(tmp_path)
    for n in range(3):
        await box.send(EmailMessage(message_id=f"m{n}", to=f"r{n}@example.com", subject=f"Note {n}", text="x\n"))

    newest = box.newest(2)

    assert [(m.to, m.subject, m.path.name) for m in newest] == [
        ("r2@example.com", "Note 2", "m2.eml"), ("r1@example.com", "Note 1", "m1.eml")]
    assert FileMailbox(tmp_path / "missing").newest(5) == []


def test_a_message_id_cannot_leave_the_mailbox_directory():
    with pytest.raises(ValueError):
        EmailMessage(message_id="../../etc/passwd", to="a@example.com", subject="x", text="x")


def test_every_template_the_code_sends_exists_and_gets_every_field_it_needs():
    """Each `send_email(..., template="x", context={...})` in the domain names a known template
    and gives it every placeholder (from `context` or `secrets`)."""
    import ast
    from pathlib import Path

    from domain.notifications.templates import TEMPLATES

    root = Path(__file__).resolve().parents[3] / "domain"
    sent = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "send_email":
                keywords = {k.arg: k.value for k in node.keywords}
                if isinstance(keywords.get("template"), ast.Constant):
                    given = set()
                    for name in ("context", "secrets"):
                        if isinstance(keywords.get(name), ast.Dict):
                            given |= {k.value for k in keywords[name].keys}
                    sent.append((path.name, keywords["template"].value, given))
    assert len(sent) >= 10
    for where, name, given in sent:
        assert name in TEMPLATES, (where, name)
        assert TEMPLATES[name].fields() <= given, (where, name, TEMPLATES[name].fields() - given)
