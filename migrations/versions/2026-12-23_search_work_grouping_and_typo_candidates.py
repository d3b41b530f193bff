"""Give search documents their work, so a search lists each work once, and add the typo candidate lookup over the spelling dictionary.

Revision ID: 5b7e2d9c4a18
Revises: 3c9e5a7d1f42
Create Date: 2026-12-23 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '5b7e2d9c4a18'
down_revision = '3c9e5a7d1f42'
branch_labels = None
depends_on = None

# pg_trgm's default threshold (0.3) misses one transposition in a five-letter word ("rnigs" and
# "rings" share 2 of 10 trigrams): the function lowers it for its own statement only, and
# still goes through the trigram index; the edit distance is checked by the caller. An empty
# word is skipped: it has no trigram, and the index would be read whole for it.
_CANDIDATES = """
CREATE FUNCTION search_typo_candidates(words text[], max_length_gap int, per_word int)
RETURNS TABLE (n int, word text, documents int)
LANGUAGE sql STABLE
SET pg_trgm.similarity_threshold = 0.15
AS $$
  SELECT w.n::int, c.word, c.documents
  FROM unnest(words) WITH ORDINALITY AS w(word, n)
  CROSS JOIN LATERAL (
    SELECT t.word, t.documents FROM search_terms t
    WHERE t.word % w.word AND abs(length(t.word) - length(w.word)) <= max_length_gap
    ORDER BY similarity(t.word, w.word) DESC, t.documents DESC, t.word
    LIMIT per_word
  ) c
  WHERE w.word <> ''
$$
"""


def upgrade() -> None:
    op.add_column('search_documents', sa.Column('work_id', sa.BigInteger(), nullable=True))
    op.execute("UPDATE search_documents d SET work_id = p.work_id FROM products p"
               " WHERE p.id = d.product_id AND p.work_id IS NOT NULL")
    op.create_index('ix_search_documents_work_id', 'search_documents', ['work_id'], unique=False)
    op.execute(_CANDIDATES)


def downgrade() -> None:
    op.execute("DROP FUNCTION search_typo_candidates(text[], int, int)")
    op.drop_index('ix_search_documents_work_id', table_name='search_documents')
    op.drop_column('search_documents', 'work_id')
