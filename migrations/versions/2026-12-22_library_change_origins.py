"""Library changes name the device that made them, and each annotation the change that last wrote it, so a device skips its own changes and takes changed notes from the change itself.

Revision ID: 3c9e5a7d1f42
Revises: 2b9e6d4a7c15
Create Date: 2026-12-22 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '3c9e5a7d1f42'
down_revision = '2b9e6d4a7c15'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('library_changes', sa.Column('origin_device_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key('fk_library_changes_origin_device_id_devices', 'library_changes', 'devices',
                          ['origin_device_id'], ['id'], ondelete='SET NULL')
    op.add_column('annotations', sa.Column('change_seq', sa.BigInteger(), nullable=True))
    # An annotation written before changes carried notes comes with its title's latest
    # ANNOTATION_CHANGED change, so a device syncing from the beginning still gets it.
    op.execute(
        "UPDATE annotations a SET change_seq = c.seq FROM ("
        " SELECT c.licence_id, max(c.seq) AS seq FROM library_changes c JOIN licences l ON l.id = c.licence_id"
        " AND l.account_id = c.account_id WHERE c.kind = 'ANNOTATION_CHANGED' GROUP BY c.licence_id) c"
        " WHERE c.licence_id = a.licence_id")
    # Its prefix serves every lookup by licence, so it replaces the index on licence_id alone.
    op.create_index('ix_annotations_licence_id_change_seq', 'annotations', ['licence_id', 'change_seq'])
    op.drop_index('ix_annotations_licence_id', table_name='annotations')


def downgrade() -> None:
    op.create_index('ix_annotations_licence_id', 'annotations', ['licence_id'])
    op.drop_index('ix_annotations_licence_id_change_seq', table_name='annotations')
    op.drop_column('annotations', 'change_seq')
    op.drop_constraint('fk_library_changes_origin_device_id_devices', 'library_changes', type_='foreignkey')
    op.drop_column('library_changes', 'origin_device_id')
