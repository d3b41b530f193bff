"""Add licences, their device activations, the per-account library change log, digital content, reading state and annotations.

Revision ID: 18536be567e8
Revises: 7f023748dc69
Create Date: 2026-11-23 09:43:49.128776
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '18536be567e8'
down_revision = '7f023748dc69'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('library_sync_states',
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_library_sync_states_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_library_sync_states'))
    )
    op.create_table('digital_contents',
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('content_key', sa.String(length=300), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('file_size', sa.BigInteger(), nullable=False),
    sa.Column('location_count', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('file_size >= 0', name=op.f('ck_digital_contents_file_size_not_negative')),
    sa.CheckConstraint('location_count >= 1', name=op.f('ck_digital_contents_location_count_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_digital_contents_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_digital_contents'))
    )
    op.create_table('licences',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('order_line_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', postgresql.ENUM('PURCHASE', 'RENTAL', 'MEMBERSHIP', name='licence_kind'), nullable=False),
    sa.Column('status', postgresql.ENUM('ACTIVE', 'REVOKED', 'EXPIRED', name='licence_status'), server_default='ACTIVE', nullable=False),
    sa.Column('device_limit', sa.Integer(), server_default='6', nullable=False),
    sa.Column('rental_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_played_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('play_window_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'RENTAL') = (rental_expires_at IS NOT NULL)", name=op.f('ck_licences_rental_has_deadline')),
    sa.CheckConstraint("(status = 'REVOKED') = (revoked_at IS NOT NULL)", name=op.f('ck_licences_revoked_has_time')),
    sa.CheckConstraint('device_limit BETWEEN 1 AND 100', name=op.f('ck_licences_device_limit_range')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_licences_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_licences_order_line_id_order_lines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_licences_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licences'))
    )
    op.create_index('ix_licences_account_id_id', 'licences', ['account_id', 'id'], unique=False)
    op.create_index('uq_licences_order_line_id', 'licences', ['order_line_id'], unique=True, postgresql_where=sa.text('order_line_id IS NOT NULL'))
    op.create_table('annotations',
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('licence_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', postgresql.ENUM('BOOKMARK', 'HIGHLIGHT', 'NOTE', name='annotation_kind'), nullable=False),
    sa.Column('start_position', sa.Integer(), nullable=False),
    sa.Column('end_position', sa.Integer(), nullable=False),
    sa.Column('highlighted_text', sa.Text(), server_default='', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('client_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('length(note) <= 10000', name=op.f('ck_annotations_note_length')),
    sa.CheckConstraint('start_position >= 0 AND end_position >= start_position', name=op.f('ck_annotations_positions_ordered')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_annotations_device_id_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_annotations_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotations'))
    )
    op.create_index('ix_annotations_licence_id', 'annotations', ['licence_id'], unique=False)
    op.create_table('library_changes',
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('licence_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', postgresql.ENUM('LICENCE_ADDED', 'LICENCE_REVOKED', 'LICENCE_EXPIRED', 'METADATA_CHANGED', 'READING_STATE_CHANGED', 'ANNOTATION_CHANGED', name='library_change_kind'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_library_changes_seq_positive')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_library_changes_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_library_changes_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'seq', name=op.f('pk_library_changes'))
    )
    op.create_table('licence_activations',
    sa.Column('licence_id', sa.BigInteger(), nullable=False),
    sa.Column('device_id', sa.BigInteger(), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_licence_activations_device_id_devices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_activations_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('licence_id', 'device_id', name=op.f('pk_licence_activations'))
    )
    op.create_index('ix_licence_activations_device_id', 'licence_activations', ['device_id'], unique=False)
    op.create_table('reading_states',
    sa.Column('licence_id', sa.BigInteger(), nullable=False),
    sa.Column('last_position', sa.Integer(), nullable=False),
    sa.Column('last_position_device_id', sa.BigInteger(), nullable=True),
    sa.Column('last_position_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('furthest_position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('last_position >= 0 AND furthest_position >= last_position', name=op.f('ck_reading_states_positions_ordered')),
    sa.ForeignKeyConstraint(['last_position_device_id'], ['devices.id'], name=op.f('fk_reading_states_last_position_device_id_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_reading_states_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('licence_id', name=op.f('pk_reading_states'))
    )


def downgrade() -> None:
    op.drop_table('reading_states')
    op.drop_index('ix_licence_activations_device_id', table_name='licence_activations')
    op.drop_table('licence_activations')
    op.drop_table('library_changes')
    op.drop_index('ix_annotations_licence_id', table_name='annotations')
    op.drop_table('annotations')
    op.drop_index('uq_licences_order_line_id', table_name='licences', postgresql_where=sa.text('order_line_id IS NOT NULL'))
    op.drop_index('ix_licences_account_id_id', table_name='licences')
    op.drop_table('licences')
    op.drop_table('digital_contents')
    op.drop_table('library_sync_states')
    op.execute('DROP TYPE annotation_kind')
    op.execute('DROP TYPE library_change_kind')
    op.execute('DROP TYPE licence_status')
    op.execute('DROP TYPE licence_kind')
