"""Add reviews per work with their versions, votes, reports and moderation trail, and the rating summary per work that triggers keep exact.

Revision ID: 7c4d2e9a5b13
Revises: 7c1d4e9a2f60
Create Date: 2026-12-06 03:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '7c4d2e9a5b13'
down_revision = '7c1d4e9a2f60'
branch_labels = None
depends_on = None

_STATUS = ('PUBLISHED', 'HIDDEN', 'DELETED')
_REASONS = ('SPAM', 'OFFENSIVE', 'OFF_TOPIC', 'PERSONAL_INFORMATION', 'FAKE', 'OTHER')
_ACTIONS = ('HIDE', 'RESTORE', 'DISMISS_REPORTS')
_PLAIN = "{0} IS NULL OR ({0} !~ '<[A-Za-z/!?]' AND length(btrim({0})) >= 1 AND length({0}) <= {1})"
_PUBLISHED = sa.text("status = 'PUBLISHED'")

# Adds the net change of a set of published reviews (+1 for rows that now count, -1 for rows
# that no longer do) to the summaries of their works, then copies each changed summary's average
# (to one decimal) and count to the work's products and their search documents. A missing summary
# row is created empty first (an INSERT ... ON CONFLICT carrying a negative delta would fail the
# CHECKs before the conflict is seen), and the rows are locked in work order, so two statements
# never wait on each other's summaries in opposite orders.
_SHIFT = """
CREATE FUNCTION review_summaries_shift(work_ids bigint[], stars smallint[], signs int[])
RETURNS void LANGUAGE sql AS $$
INSERT INTO review_summaries (work_id)
SELECT DISTINCT w FROM unnest(work_ids) AS w ORDER BY w
ON CONFLICT (work_id) DO NOTHING;

SELECT 1 FROM review_summaries WHERE work_id = ANY(work_ids) ORDER BY work_id FOR UPDATE;

WITH delta AS (
  SELECT d.work_id, sum(d.sign)::int AS n, sum(d.sign * d.stars)::bigint AS total,
         coalesce(sum(d.sign) FILTER (WHERE d.stars = 1), 0)::int AS s1,
         coalesce(sum(d.sign) FILTER (WHERE d.stars = 2), 0)::int AS s2,
         coalesce(sum(d.sign) FILTER (WHERE d.stars = 3), 0)::int AS s3,
         coalesce(sum(d.sign) FILTER (WHERE d.stars = 4), 0)::int AS s4,
         coalesce(sum(d.sign) FILTER (WHERE d.stars = 5), 0)::int AS s5
  FROM unnest(work_ids, stars, signs) AS d(work_id, stars, sign)
  GROUP BY d.work_id
), changed AS (
  UPDATE review_summaries s SET
    review_count = s.review_count + d.n, star_total = s.star_total + d.total,
    stars_1 = s.stars_1 + d.s1, stars_2 = s.stars_2 + d.s2, stars_3 = s.stars_3 + d.s3,
    stars_4 = s.stars_4 + d.s4, stars_5 = s.stars_5 + d.s5
  FROM delta d
  WHERE s.work_id = d.work_id AND (d.s1 <> 0 OR d.s2 <> 0 OR d.s3 <> 0 OR d.s4 <> 0 OR d.s5 <> 0)
  RETURNING s.work_id, s.review_count,
    CASE WHEN s.review_count > 0 THEN round(s.star_total::numeric / s.review_count, 1) END AS average
), products_changed AS (
  UPDATE products p SET average_rating = c.average, ratings_count = c.review_count
  FROM changed c WHERE p.work_id = c.work_id
  RETURNING p.id, p.average_rating, p.ratings_count
)
UPDATE search_documents d SET average_rating = p.average_rating, ratings_count = p.ratings_count
FROM products_changed p WHERE d.product_id = p.id;
$$
"""

_TRIGGER_FUNCTIONS = {
    'INSERT': """
SELECT review_summaries_shift(array_agg(work_id), array_agg(stars), array_agg(1))
FROM new_rows WHERE status = 'PUBLISHED'""",
    'DELETE': """
SELECT review_summaries_shift(array_agg(work_id), array_agg(stars), array_agg(-1))
FROM old_rows WHERE status = 'PUBLISHED'""",
    'UPDATE': """
SELECT review_summaries_shift(array_agg(work_id), array_agg(stars), array_agg(sign)) FROM (
  SELECT work_id, stars, 1 AS sign FROM new_rows WHERE status = 'PUBLISHED'
  UNION ALL
  SELECT work_id, stars, -1 FROM old_rows WHERE status = 'PUBLISHED'
) d""",
}
_REFERENCING = {'INSERT': 'NEW TABLE AS new_rows', 'DELETE': 'OLD TABLE AS old_rows',
                'UPDATE': 'OLD TABLE AS old_rows NEW TABLE AS new_rows'}


def upgrade() -> None:
    review_status = postgresql.ENUM(*_STATUS, name='review_status')
    report_reason = postgresql.ENUM(*_REASONS, name='review_report_reason')
    moderation_action = postgresql.ENUM(*_ACTIONS, name='review_moderation_action')
    op.create_table(
        'reviews',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('work_id', sa.BigInteger(), nullable=False),
        sa.Column('product_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('order_line_id', sa.BigInteger(), nullable=True),
        sa.Column('verified_purchase', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('stars', sa.SmallInteger(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('status', review_status, server_default='PUBLISHED', nullable=False),
        sa.Column('helpful_votes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_reviews_stars_range')),
        sa.CheckConstraint(_PLAIN.format('title', 200), name=op.f('ck_reviews_title_plain_text')),
        sa.CheckConstraint(_PLAIN.format('body', 10000), name=op.f('ck_reviews_body_plain_text')),
        sa.CheckConstraint('helpful_votes >= 0', name=op.f('ck_reviews_helpful_votes_not_negative')),
        sa.CheckConstraint("(status = 'HIDDEN') = (hidden_at IS NOT NULL)", name=op.f('ck_reviews_hidden_has_time')),
        sa.CheckConstraint("(status = 'DELETED') = (deleted_at IS NOT NULL)", name=op.f('ck_reviews_deleted_has_time')),
        sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_reviews_work_id_works'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_reviews_product_id_products'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_reviews_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'],
                                name=op.f('fk_reviews_order_line_id_order_lines'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    )
    op.create_index('uq_reviews_work_id_account_id', 'reviews', ['work_id', 'account_id'], unique=True,
                    postgresql_where=sa.text("status <> 'DELETED'"))
    op.create_index('ix_reviews_work_helpful', 'reviews',
                    ['work_id', sa.text('helpful_votes DESC'), sa.text('created_at DESC'), sa.text('id DESC')],
                    postgresql_where=_PUBLISHED)
    op.create_index('ix_reviews_work_newest', 'reviews',
                    ['work_id', sa.text('created_at DESC'), sa.text('id DESC')], postgresql_where=_PUBLISHED)
    op.create_index('ix_reviews_account_id', 'reviews', ['account_id', sa.text('created_at DESC'), sa.text('id DESC')])

    op.create_table(
        'review_versions',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('review_id', sa.BigInteger(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.BigInteger(), nullable=False),
        sa.Column('stars', sa.SmallInteger(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_review_versions_stars_range')),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_versions_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name=op.f('fk_review_versions_product_id_products'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_versions')),
        sa.UniqueConstraint('review_id', 'version', name=op.f('uq_review_versions_review_id_version')),
    )

    op.create_table(
        'review_summaries',
        sa.Column('work_id', sa.BigInteger(), nullable=False),
        sa.Column('review_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('star_total', sa.BigInteger(), server_default='0', nullable=False),
        *(sa.Column(f'stars_{n}', sa.Integer(), server_default='0', nullable=False) for n in range(1, 6)),
        sa.CheckConstraint('stars_1 >= 0 AND stars_2 >= 0 AND stars_3 >= 0 AND stars_4 >= 0 AND stars_5 >= 0',
                           name=op.f('ck_review_summaries_counts_not_negative')),
        sa.CheckConstraint('review_count = stars_1 + stars_2 + stars_3 + stars_4 + stars_5',
                           name=op.f('ck_review_summaries_count_adds_up')),
        sa.CheckConstraint('star_total = stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5',
                           name=op.f('ck_review_summaries_total_adds_up')),
        sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_review_summaries_work_id_works'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('work_id', name=op.f('pk_review_summaries')),
    )

    op.create_table(
        'review_votes',
        sa.Column('review_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_votes_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_review_votes_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('review_id', 'account_id', name=op.f('pk_review_votes')),
    )
    op.create_index('ix_review_votes_account_id', 'review_votes', ['account_id'])

    op.create_table(
        'review_reports',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('review_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('reason', report_reason, nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('note IS NULL OR length(note) <= 1000', name=op.f('ck_review_reports_note_length')),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_reports_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_review_reports_account_id_accounts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_reports')),
        sa.UniqueConstraint('review_id', 'account_id', name=op.f('uq_review_reports_review_id_account_id')),
    )
    op.create_index('ix_review_reports_open', 'review_reports', ['created_at', 'id'],
                    postgresql_where=sa.text('resolved_at IS NULL'))

    op.create_table(
        'review_moderation_events',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('review_id', sa.BigInteger(), nullable=False),
        sa.Column('actor_account_id', sa.BigInteger(), nullable=True),
        sa.Column('action', moderation_action, nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('length(reason) BETWEEN 1 AND 1000', name=op.f('ck_review_moderation_events_reason_length')),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'],
                                name=op.f('fk_review_moderation_events_review_id_reviews'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'],
                                name=op.f('fk_review_moderation_events_actor_account_id_accounts'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_moderation_events')),
    )
    op.create_index('ix_review_moderation_events_review_id', 'review_moderation_events', ['review_id', 'id'])

    op.execute(_SHIFT)
    for event, body in _TRIGGER_FUNCTIONS.items():
        name = f'reviews_summarise_{event.lower()}'
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"BEGIN\n  PERFORM * FROM ({body}) shifted;\n  RETURN NULL;\nEND\n$$")
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON reviews REFERENCING {_REFERENCING[event]}"
                   f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    # The ratings copied from the book data had no reviews behind them: the summaries are the
    # only source from now on.
    op.execute("UPDATE products SET average_rating = NULL, ratings_count = 0"
               " WHERE average_rating IS NOT NULL OR ratings_count <> 0")
    op.execute("UPDATE search_documents SET average_rating = NULL, ratings_count = 0"
               " WHERE average_rating IS NOT NULL OR ratings_count <> 0")
    # One decimal, as the summary shows it, so every place that shows the average agrees.
    for table in ('products', 'search_documents'):
        op.alter_column(table, 'average_rating', type_=sa.Numeric(2, 1), existing_type=sa.Numeric(3, 2))


def downgrade() -> None:
    for table in ('products', 'search_documents'):
        op.alter_column(table, 'average_rating', type_=sa.Numeric(3, 2), existing_type=sa.Numeric(2, 1))
    for event in _TRIGGER_FUNCTIONS:
        name = f'reviews_summarise_{event.lower()}'
        op.execute(f"DROP TRIGGER {name} ON reviews")
        op.execute(f"DROP FUNCTION {name}()")
    op.execute("DROP FUNCTION review_summaries_shift(bigint[], smallint[], int[])")
    op.drop_table('review_moderation_events')
    op.drop_table('review_reports')
    op.drop_table('review_votes')
    op.drop_table('review_summaries')
    op.drop_table('review_versions')
    op.drop_table('reviews')
    for name in ('review_moderation_action', 'review_report_reason', 'review_status'):
        postgresql.ENUM(name=name).drop(op.get_bind())
