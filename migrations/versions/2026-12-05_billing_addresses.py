"""Add a billing address to carts and orders, where a cart of digital items only is taxed.

Revision ID: 5e9a3c7f1b84
Revises: 2b8f6e0d4a17
Create Date: 2026-12-05 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '5e9a3c7f1b84'
down_revision = '2b8f6e0d4a17'
branch_labels = None
depends_on = None

_COPY = (('bill_full_name', 100), ('bill_line1', 200), ('bill_line2', 200), ('bill_city', 100),
         ('bill_region', 100), ('bill_postal_code', 20), ('bill_country_code', 2), ('bill_phone', 30))
_COUNTRY = "bill_country_code IS NULL OR bill_country_code ~ '^[A-Z]{2}$'"


def upgrade() -> None:
    op.add_column('carts', sa.Column('billing_address_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f('fk_carts_billing_address_id_addresses'), 'carts', 'addresses',
                          ['billing_address_id'], ['id'], ondelete='SET NULL')
    for table in ('carts', 'orders'):
        for name, length in _COPY:
            op.add_column(table, sa.Column(name, sa.String(length=length), nullable=True))
        op.create_check_constraint(op.f(f'ck_{table}_bill_country_code_format'), table, _COUNTRY)
    op.create_check_constraint(
        op.f('ck_carts_billing_address_complete'), 'carts',
        '(bill_country_code IS NULL) = (bill_full_name IS NULL) AND (bill_country_code IS NULL) = (bill_line1 IS NULL)'
        ' AND (bill_country_code IS NULL) = (bill_city IS NULL)')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_carts_billing_address_complete'), 'carts', type_='check')
    for table in ('orders', 'carts'):
        op.drop_constraint(op.f(f'ck_{table}_bill_country_code_format'), table, type_='check')
        for name, _ in reversed(_COPY):
            op.drop_column(table, name)
    op.drop_constraint(op.f('fk_carts_billing_address_id_addresses'), 'carts', type_='foreignkey')
    op.drop_column('carts', 'billing_address_id')
