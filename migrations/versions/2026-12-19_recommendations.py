"""Add the recommendation tables the nightly job writes: related items, bought together, and popular items.

Revision ID: 8e3a6c1f4b27
Revises: 6a1d4f8b2e70
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '8e3a6c1f4b27'
down_revision = '6a1d4f8b2e70'
branch_labels = None
depends_on = None


def _pairs(name: str) -> None:
    op.create_table(
        name,
        sa.Column('item', sa.BigInteger(), nullable=False),
        sa.Column('related', sa.BigInteger(), nullable=False),
        sa.Column('score', sa.REAL(), nullable=False),
        sa.CheckConstraint('item <> related', name=op.f(f'ck_{name}_not_itself')),
        sa.CheckConstraint('score > 0', name=op.f(f'ck_{name}_score_positive')),
        sa.PrimaryKeyConstraint('item', 'related', name=op.f(f'pk_{name}')),
    )
    op.create_index(f'ix_{name}_item_score', name, ['item', sa.text('score DESC'), 'related'], unique=False)


def upgrade() -> None:
    _pairs('recommendation_related')
    _pairs('recommendation_together')
    op.create_table(
        'recommendation_popular',
        sa.Column('item', sa.BigInteger(), nullable=False),
        sa.Column('customers', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.CheckConstraint('customers > 0', name=op.f('ck_recommendation_popular_customers_positive')),
        sa.PrimaryKeyConstraint('item', name=op.f('pk_recommendation_popular')),
    )
    op.create_index('ix_recommendation_popular_rank', 'recommendation_popular', ['rank'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_recommendation_popular_rank', table_name='recommendation_popular')
    op.drop_table('recommendation_popular')
    for name in ('recommendation_together', 'recommendation_related'):
        op.drop_index(f'ix_{name}_item_score', table_name=name)
        op.drop_table(name)
