"""Reporting and moderating questions and answers in the domain: sellers and brand owners have no
say, and concurrent reports and actions on real separate connections leave no report open on a
hidden answer and the question's answer count exact."""
import asyncio

import pytest

from domain.questions import moderation
from domain.shared.errors import DomainError, Forbidden
from domain.shared.pagination import PageRequest
from domain.shared.principal import Principal
from tests.api.questions.test_question_moderation import answer, answer_count, question
from tests.fixtures.customer_service import committed
from tests.fixtures.db import fetch

_NEW_ACCOUNT = "INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id"
# A product with a seller's offer and a brand (or any brand: a brand owner has no say anyway).
_PRODUCT = """SELECT p.id, coalesce(p.brand_id, (SELECT min(id) FROM brands)) AS brand_id, min(o.seller_id) AS seller_id
FROM products p JOIN offers o ON o.product_id = p.id GROUP BY p.id ORDER BY p.id LIMIT 1"""


async def _customer(db, name: str) -> Principal:
    return Principal(account_id=(await fetch(db, _NEW_ACCOUNT, f"{name}@example.com", name))[0][0])


async def _admin(db, name: str) -> Principal:
    return Principal(account_id=(await _customer(db, name)).account_id, is_admin=True)


async def _outcome(db, use_case) -> str:
    try:
        await committed(db, use_case)
    except DomainError as error:
        return str(error.code)
    return "ok"


@pytest.fixture
async def reader(writable_demo_database):
    reading = await writable_demo_database.reader()
    yield reading
    await reading.close()


async def test_sellers_brand_owners_and_authors_can_neither_act_nor_read_the_queue(writable_demo_database, reader):
    db = writable_demo_database
    product = (await fetch(db, _PRODUCT))[0]
    author = await _customer(db, "author")
    q = await question(db, author.account_id)
    await fetch(db, "UPDATE product_questions SET product_id = $1 WHERE id = $2", product["id"], q)
    a = await answer(db, q, author.account_id)
    seller = Principal(account_id=(await _customer(db, "seller")).account_id,
                       seller_ids=frozenset({product["seller_id"]}))
    brand = Principal(account_id=(await _customer(db, "brand")).account_id, brand_ids=frozenset({product["brand_id"]}))
    for who in (seller, brand, author):
        for subject, pk in ((moderation.QUESTION, q), (moderation.ANSWER, a)):
            for act in (moderation.hide, moderation.restore, moderation.dismiss_reports):
                with pytest.raises(Forbidden):
                    await committed(db, lambda s, act=act, who=who, subject=subject, pk=pk: act(
                        s, who, subject, pk, "Mine to judge."))
            with pytest.raises(Forbidden):
                await moderation.history(reader, who, subject, pk, PageRequest())
        with pytest.raises(Forbidden):
            await moderation.reports(reader, who, None, PageRequest())
    assert [tuple(r) for r in await fetch(
        db, "SELECT status::text, (SELECT status::text FROM product_answers WHERE id = $2) FROM product_questions"
            " WHERE id = $1", q, a)] == [("PUBLISHED", "PUBLISHED")]


async def test_concurrent_reports_and_hides_of_an_answer_stay_exact(writable_demo_database):
    db = writable_demo_database
    asker, answerer = await _customer(db, "asker"), await _customer(db, "answerer")
    q = await question(db, asker.account_id)
    a = await answer(db, q, answerer.account_id)
    admins = [await _admin(db, f"moderator{i}") for i in range(4)]
    reporters = [await _customer(db, f"racer{i}") for i in range(4)]
    outcomes = await asyncio.gather(
        *(_outcome(db, lambda s, m=m: moderation.hide(s, m, moderation.ANSWER, a, "Race.")) for m in admins),
        *(_outcome(db, lambda s, r=r: moderation.report(s, r, moderation.ANSWER, a, "SPAM", None)) for r in reporters))
    hides, reports = outcomes[:4], outcomes[4:]
    assert sorted(hides) == ["ALREADY_HIDDEN"] * 3 + ["ok"]
    # A report is filed before the hide (and resolved by it) or refused after it: never left open.
    assert set(reports) <= {"ok", "NOT_FOUND"}
    assert (await fetch(db, "SELECT count(*) FROM question_reports WHERE answer_id = $1 AND resolved_at IS NULL",
                        a))[0][0] == 0
    assert (await fetch(db, "SELECT count(*) FROM question_moderation_events WHERE answer_id = $1", a))[0][0] == 1
    assert await answer_count(db, q) == (0, 0)


async def test_one_accounts_concurrent_reports_of_questions_and_answers_share_its_daily_limit(writable_demo_database):
    db = writable_demo_database
    asker = await _customer(db, "asker")
    questions = [await question(db, asker.account_id, f"Question {i}?") for i in range(3)]
    answers = [await answer(db, q, asker.account_id) for q in questions]
    spammer = await _customer(db, "spammer")
    outcomes = await asyncio.gather(
        *(_outcome(db, lambda s, pk=pk: moderation.report(s, spammer, moderation.QUESTION, pk, "SPAM", None, per_day=4))
          for pk in questions),
        *(_outcome(db, lambda s, pk=pk: moderation.report(s, spammer, moderation.ANSWER, pk, "SPAM", None, per_day=4))
          for pk in answers))
    assert sorted(outcomes) == ["RATE_LIMITED"] * 2 + ["ok"] * 4
    assert (await fetch(db, "SELECT count(*) FROM question_reports WHERE account_id = $1", spammer.account_id)
            )[0][0] == 4
