"""Add the search-box suggestions dictionary (titles, authors, brands, categories and their words), filled from the search documents, and an index of the documents by lowercased title to count a title's formats.

Revision ID: 5c2e9a7d1f36
Revises: 5b7e2d9c4a18
Create Date: 2026-12-24 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '5c2e9a7d1f36'
down_revision = '5b7e2d9c4a18'
branch_labels = None
depends_on = None

KINDS = ('PRODUCT', 'AUTHOR', 'BRAND', 'CATEGORY')

_WORDS = ("ARRAY(SELECT DISTINCT w FROM regexp_split_to_table(key, '[[:space:][:punct:]]+') w"
          " WHERE w <> '' AND length(w) <= 40)")

_FILL = f"""
INSERT INTO search_suggestions (kind, key, text, ref_id, weight, words)
SELECT kind, key, text, ref_id, weight, {_WORDS}
FROM (
  SELECT 'PRODUCT'::search_suggestion_kind AS kind, lower(d.title) AS key,
         (array_agg(d.title ORDER BY d.ratings_count DESC, d.product_id))[1] AS text,
         (array_agg(d.product_id ORDER BY d.ratings_count DESC, d.product_id))[1] AS ref_id,
         sum(1 + d.ratings_count) AS weight
  FROM search_documents d GROUP BY lower(d.title)
  UNION ALL
  SELECT 'AUTHOR', lower(a.name), min(a.name), NULL, sum(1 + d.ratings_count)
  FROM search_documents d JOIN products p ON p.id = d.product_id
  CROSS JOIN LATERAL unnest(p.authors) AS a(name)
  WHERE btrim(a.name) <> '' GROUP BY lower(a.name)
  UNION ALL
  SELECT 'BRAND', lower(b.name), (array_agg(b.name ORDER BY b.id))[1], min(b.id), sum(1 + d.ratings_count)
  FROM search_documents d JOIN brands b ON b.id = d.brand_id GROUP BY lower(b.name)
  UNION ALL
  SELECT 'CATEGORY', key, (array_agg(name ORDER BY n DESC, id))[1], (array_agg(id ORDER BY n DESC, id))[1], max(n)
  FROM (
    SELECT c.id, c.name, lower(c.name) AS key, sum(1 + d.ratings_count) AS n
    FROM search_documents d
    CROSS JOIN LATERAL unnest(string_to_array(d.category_path::text, '.')) AS up(id)
    JOIN categories c ON c.id = up.id::bigint AND c.archived_at IS NULL
    GROUP BY c.id
  ) per_category GROUP BY key
) e;
INSERT INTO search_suggestion_words (word, suggestion_id, weight)
SELECT w, s.id, s.weight FROM search_suggestions s, unnest(s.words) w;
INSERT INTO search_suggestion_terms (word, weight)
SELECT word, max(weight) FROM search_suggestion_words GROUP BY word;
"""


def upgrade() -> None:
    kind = postgresql.ENUM(*KINDS, name='search_suggestion_kind')
    kind.create(op.get_bind())
    op.create_table(
        'search_suggestions',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('kind', postgresql.ENUM(*KINDS, name='search_suggestion_kind', create_type=False), nullable=False),
        sa.Column('key', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('ref_id', sa.BigInteger(), nullable=True),
        sa.Column('weight', sa.BigInteger(), nullable=False),
        sa.Column('words', sa.ARRAY(sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_suggestions')),
        sa.UniqueConstraint('kind', 'key', name=op.f('uq_search_suggestions_kind_key')),
    )
    op.create_index('ix_search_suggestions_kind_ref_id', 'search_suggestions', ['kind', 'ref_id'], unique=False)
    op.create_table(
        'search_suggestion_words',
        sa.Column('word', sa.Text(), nullable=False),
        sa.Column('suggestion_id', sa.BigInteger(), nullable=False),
        sa.Column('weight', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['search_suggestions.id'],
                                name=op.f('fk_search_suggestion_words_suggestion_id_search_suggestions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('word', 'suggestion_id', name=op.f('pk_search_suggestion_words')),
    )
    op.create_index('ix_search_suggestion_words_word_weight', 'search_suggestion_words',
                    ['word', sa.text('weight DESC'), 'suggestion_id'], unique=False)
    op.create_table(
        'search_suggestion_terms',
        sa.Column('word', sa.Text(), nullable=False),
        sa.Column('weight', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('word', name=op.f('pk_search_suggestion_terms')),
    )
    op.create_index('ix_search_suggestion_terms_word_trgm', 'search_suggestion_terms', ['word'],
                    unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
    op.create_index('ix_search_suggestion_terms_word_prefix', 'search_suggestion_terms', ['word'],
                    unique=False, postgresql_ops={'word': 'text_pattern_ops'}, postgresql_include=['weight'])
    op.create_index('ix_search_documents_lower_title', 'search_documents', [sa.text('lower(title)')], unique=False)
    for statement in _FILL.split(';'):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.drop_index('ix_search_documents_lower_title', table_name='search_documents')
    op.drop_index('ix_search_suggestion_terms_word_prefix', table_name='search_suggestion_terms')
    op.drop_index('ix_search_suggestion_terms_word_trgm', table_name='search_suggestion_terms')
    op.drop_table('search_suggestion_terms')
    op.drop_index('ix_search_suggestion_words_word_weight', table_name='search_suggestion_words')
    op.drop_table('search_suggestion_words')
    op.drop_index('ix_search_suggestions_kind_ref_id', table_name='search_suggestions')
    op.drop_table('search_suggestions')
    postgresql.ENUM(name='search_suggestion_kind').drop(op.get_bind())
