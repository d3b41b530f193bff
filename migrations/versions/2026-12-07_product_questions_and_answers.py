"""Add product questions and their answers (labelled by who answers), helpful votes on answers, and reports and a moderation trail for both.

Revision ID: 7d2a6c1e8b47
Revises: 7c4d2e9a5b13
Create Date: 2026-12-07 03:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '7d2a6c1e8b47'
down_revision = '7c4d2e9a5b13'
branch_labels = None
depends_on = None

_NEW_ENUMS = {
    'question_post_status': ('PUBLISHED', 'HIDDEN', 'DELETED'),
    'answerer_kind': ('CUSTOMER', 'VERIFIED_BUYER', 'SELLER', 'BRAND'),
    'question_post_kind': ('QUESTION', 'ANSWER'),
}


# A question's `answer_count` is its published answers: a row trigger moves it by one whenever an
# answer becomes or stops being published (written, edited, hidden, restored, deleted), in the
# same transaction, on the question's locked row, so concurrent answers never lose a count.
_ANSWER_COUNT = """
CREATE FUNCTION product_answers_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was int := CASE WHEN TG_OP <> 'INSERT' AND OLD.status = 'PUBLISHED' THEN 1 ELSE 0 END;
  now_ int := CASE WHEN TG_OP <> 'DELETE' AND NEW.status = 'PUBLISHED' THEN 1 ELSE 0 END;
BEGIN
  IF now_ <> was THEN
    UPDATE product_questions SET answer_count = answer_count + now_ - was
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.question_id ELSE NEW.question_id END;
  END IF;
  RETURN NULL;
END
$$"""


def _enum(name: str) -> postgresql.ENUM:
    # Created once below (or, for the reviews' reasons and actions, already there), never per table.
    return postgresql.ENUM(name=name, create_type=False)


def upgrade() -> None:
    for name, values in _NEW_ENUMS.items():
        postgresql.ENUM(*values, name=name).create(op.get_bind())
    op.create_table('product_questions',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', _enum('question_post_status'), server_default='PUBLISHED', nullable=False),
    sa.Column('answer_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'DELETED') = (deleted_at IS NOT NULL)", name=op.f('ck_product_questions_deleted_has_time')),
    sa.CheckConstraint("(status = 'HIDDEN') = (hidden_at IS NOT NULL)", name=op.f('ck_product_questions_hidden_has_time')),
    sa.CheckConstraint("body !~ '<[A-Za-z/!?]' AND length(btrim(body)) >= 1 AND length(body) <= 500", name=op.f('ck_product_questions_body_plain_text')),
    sa.CheckConstraint('answer_count >= 0', name=op.f('ck_product_questions_answer_count_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_product_questions_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_questions_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_questions'))
    )
    op.create_index('ix_product_questions_account_id', 'product_questions', ['account_id', sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False)
    op.create_index('ix_product_questions_product', 'product_questions', ['product_id', sa.literal_column('answer_count DESC'), sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False, postgresql_where=sa.text("status = 'PUBLISHED'"))
    op.create_table('product_answers',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('question_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('answerer', _enum('answerer_kind'), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=True),
    sa.Column('brand_id', sa.BigInteger(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', _enum('question_post_status'), server_default='PUBLISHED', nullable=False),
    sa.Column('helpful_votes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(answerer = 'BRAND') = (brand_id IS NOT NULL)", name=op.f('ck_product_answers_brand_answer_names_brand')),
    sa.CheckConstraint("(answerer = 'SELLER') = (seller_id IS NOT NULL)", name=op.f('ck_product_answers_seller_answer_names_seller')),
    sa.CheckConstraint("(status = 'DELETED') = (deleted_at IS NOT NULL)", name=op.f('ck_product_answers_deleted_has_time')),
    sa.CheckConstraint("(status = 'HIDDEN') = (hidden_at IS NOT NULL)", name=op.f('ck_product_answers_hidden_has_time')),
    sa.CheckConstraint("body !~ '<[A-Za-z/!?]' AND length(btrim(body)) >= 1 AND length(body) <= 2000", name=op.f('ck_product_answers_body_plain_text')),
    sa.CheckConstraint('helpful_votes >= 0', name=op.f('ck_product_answers_helpful_votes_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_product_answers_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_product_answers_brand_id_brands'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['product_questions.id'], name=op.f('fk_product_answers_question_id_product_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_product_answers_seller_id_sellers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_answers'))
    )
    op.create_index('ix_product_answers_account_id', 'product_answers', ['account_id', sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False)
    op.create_index('ix_product_answers_question_helpful', 'product_answers', ['question_id', sa.literal_column('helpful_votes DESC'), sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False, postgresql_where=sa.text("status = 'PUBLISHED'"))
    op.create_index('uq_product_answers_question_id_account_id', 'product_answers', ['question_id', 'account_id'], unique=True, postgresql_where=sa.text("status <> 'DELETED'"))
    op.create_table('answer_votes',
    sa.Column('answer_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_answer_votes_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answer_id'], ['product_answers.id'], name=op.f('fk_answer_votes_answer_id_product_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'account_id', name=op.f('pk_answer_votes'))
    )
    op.create_index('ix_answer_votes_account_id', 'answer_votes', ['account_id', 'created_at'], unique=False)
    op.create_table('question_moderation_events',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('kind', _enum('question_post_kind'), nullable=False),
    sa.Column('question_id', sa.BigInteger(), nullable=True),
    sa.Column('answer_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_account_id', sa.BigInteger(), nullable=True),
    sa.Column('action', _enum('review_moderation_action'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'QUESTION') = (question_id IS NOT NULL AND answer_id IS NULL) AND (kind = 'ANSWER') = (answer_id IS NOT NULL AND question_id IS NULL)", name=op.f('ck_question_moderation_events_one_post')),
    sa.CheckConstraint('length(reason) BETWEEN 1 AND 1000', name=op.f('ck_question_moderation_events_reason_length')),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_question_moderation_events_actor_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answer_id'], ['product_answers.id'], name=op.f('fk_question_moderation_events_answer_id_product_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['product_questions.id'], name=op.f('fk_question_moderation_events_question_id_product_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_moderation_events'))
    )
    op.create_index('ix_question_moderation_events_answer_id', 'question_moderation_events', ['answer_id', 'id'], unique=False, postgresql_where=sa.text('answer_id IS NOT NULL'))
    op.create_index('ix_question_moderation_events_question_id', 'question_moderation_events', ['question_id', 'id'], unique=False, postgresql_where=sa.text('question_id IS NOT NULL'))
    op.create_table('question_reports',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('kind', _enum('question_post_kind'), nullable=False),
    sa.Column('question_id', sa.BigInteger(), nullable=True),
    sa.Column('answer_id', sa.BigInteger(), nullable=True),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', _enum('review_report_reason'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'QUESTION') = (question_id IS NOT NULL AND answer_id IS NULL) AND (kind = 'ANSWER') = (answer_id IS NOT NULL AND question_id IS NULL)", name=op.f('ck_question_reports_one_post')),
    sa.CheckConstraint('note IS NULL OR length(note) <= 1000', name=op.f('ck_question_reports_note_length')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_question_reports_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answer_id'], ['product_answers.id'], name=op.f('fk_question_reports_answer_id_product_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['product_questions.id'], name=op.f('fk_question_reports_question_id_product_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_reports'))
    )
    op.create_index('ix_question_reports_account_id', 'question_reports', ['account_id', 'created_at'], unique=False)
    op.create_index('ix_question_reports_open', 'question_reports', ['created_at', 'id'], unique=False, postgresql_where=sa.text('resolved_at IS NULL'))
    op.create_index('uq_question_reports_answer', 'question_reports', ['answer_id', 'account_id'], unique=True, postgresql_where=sa.text('answer_id IS NOT NULL'))
    op.create_index('uq_question_reports_question', 'question_reports', ['question_id', 'account_id'], unique=True, postgresql_where=sa.text('question_id IS NOT NULL'))

    op.execute(_ANSWER_COUNT)
    op.execute("CREATE TRIGGER product_answers_count AFTER INSERT OR DELETE OR UPDATE OF status ON product_answers"
               " FOR EACH ROW EXECUTE FUNCTION product_answers_count()")

def downgrade() -> None:
    op.execute("DROP TRIGGER product_answers_count ON product_answers")
    op.execute("DROP FUNCTION product_answers_count()")
    op.drop_index('uq_question_reports_question', table_name='question_reports', postgresql_where=sa.text('question_id IS NOT NULL'))
    op.drop_index('uq_question_reports_answer', table_name='question_reports', postgresql_where=sa.text('answer_id IS NOT NULL'))
    op.drop_index('ix_question_reports_open', table_name='question_reports', postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_index('ix_question_reports_account_id', table_name='question_reports')
    op.drop_table('question_reports')
    op.drop_index('ix_question_moderation_events_question_id', table_name='question_moderation_events', postgresql_where=sa.text('question_id IS NOT NULL'))
    op.drop_index('ix_question_moderation_events_answer_id', table_name='question_moderation_events', postgresql_where=sa.text('answer_id IS NOT NULL'))
    op.drop_table('question_moderation_events')
    op.drop_index('ix_answer_votes_account_id', table_name='answer_votes')
    op.drop_table('answer_votes')
    op.drop_index('uq_product_answers_question_id_account_id', table_name='product_answers', postgresql_where=sa.text("status <> 'DELETED'"))
    op.drop_index('ix_product_answers_question_helpful', table_name='product_answers', postgresql_where=sa.text("status = 'PUBLISHED'"))
    op.drop_index('ix_product_answers_account_id', table_name='product_answers')
    op.drop_table('product_answers')
    op.drop_index('ix_product_questions_product', table_name='product_questions', postgresql_where=sa.text("status = 'PUBLISHED'"))
    op.drop_index('ix_product_questions_account_id', table_name='product_questions')
    op.drop_table('product_questions')
    for name in _NEW_ENUMS:
        postgresql.ENUM(name=name).drop(op.get_bind())
