"""Add public profiles (one per account, made by a trigger on accounts and backfilled), follows between profiles, and blocks.

Revision ID: 3e7b9c2d5a10
Revises: 8e3f1a6c2d57
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '3e7b9c2d5a10'
down_revision = '8e3f1a6c2d57'
branch_labels = None
depends_on = None

VISIBILITY = postgresql.ENUM('PUBLIC', 'PRIVATE', name='profile_visibility', create_type=False)
RESERVED = ("admin", "administrator", "api", "help", "me", "moderator", "official", "root", "settings", "staff",
            "support", "system", "tributary", "www")

# A handle made from a display name: accents dropped, lower-case letters and digits joined by
# single hyphens, at most 20 characters (room for "-<account id>"); '' when nothing is left.
_BASE = r"""
CREATE FUNCTION profile_handle_base(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT btrim(left(btrim(regexp_replace(regexp_replace(normalize(lower(name), NFKD), '[\u0300-\u036f]', '', 'g'),
                                         '[^a-z0-9]+', '-', 'g'), '-'), 20), '-')
$$
"""

# Every account gets its profile here, whatever created it. The first new account of a name
# takes the name's handle when it is free (and not reserved); the others, and anyone whose name
# gives less than three characters, get "<name>-<account id>" ("customer-<id>" for a name with no
# Latin letters); should a customer have chosen exactly that handle, a random suffix is added.
# Set-based, so a bulk insert of accounts (the seed's) costs three statements, not one per row.
_CREATE = f"""
CREATE FUNCTION create_profiles(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO profiles (account_id, handle, created_at, updated_at)
  SELECT id, base, created_at, created_at FROM (
    SELECT a.id, a.created_at, profile_handle_base(a.display_name) AS base,
           row_number() OVER (PARTITION BY profile_handle_base(a.display_name) ORDER BY a.id) AS nth
    FROM accounts a WHERE a.id = ANY(ids)) c
  WHERE nth = 1 AND length(base) >= 3 AND NOT base = ANY(ARRAY{list(RESERVED)}::text[])
  ON CONFLICT DO NOTHING;
  INSERT INTO profiles (account_id, handle, created_at, updated_at)
  SELECT a.id, btrim(left(coalesce(nullif(profile_handle_base(a.display_name), ''), 'customer'),
                          29 - length(a.id::text)), '-') || '-' || a.id, a.created_at, a.created_at
  FROM accounts a WHERE a.id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id)
  ON CONFLICT DO NOTHING;
  INSERT INTO profiles (account_id, handle, created_at, updated_at)
  SELECT a.id, left('customer-' || a.id || '-' || substr(md5(random()::text), 1, 6), 30), a.created_at, a.created_at
  FROM accounts a WHERE a.id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.account_id = a.id);
END $$
"""

_TRIGGER_FUNCTION = """
CREATE FUNCTION accounts_create_profiles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM create_profiles(ARRAY(SELECT id FROM new_accounts));
  RETURN NULL;
END $$
"""
_TRIGGER = ("CREATE TRIGGER accounts_create_profiles AFTER INSERT ON accounts REFERENCING NEW TABLE AS new_accounts"
            " FOR EACH STATEMENT EXECUTE FUNCTION accounts_create_profiles()")


def _visibility(name: str) -> sa.Column:
    return sa.Column(name, VISIBILITY, server_default='PUBLIC', nullable=False)


def upgrade() -> None:
    VISIBILITY.create(op.get_bind())
    op.create_table(
        'profiles',
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('handle', sa.Text(), nullable=False),
        sa.Column('bio', sa.Text(), nullable=True),
        sa.Column('photo_url', sa.Text(), nullable=True),
        sa.Column('website_url', sa.Text(), nullable=True),
        _visibility('visibility'),
        _visibility('reviews_visibility'),
        _visibility('lists_visibility'),
        _visibility('answers_visibility'),
        _visibility('follows_visibility'),
        sa.Column('follower_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('following_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint("handle ~ '^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$'", name=op.f('ck_profiles_handle_format')),
        sa.CheckConstraint("bio IS NULL OR (bio !~ '<[A-Za-z/!?]' AND length(btrim(bio)) >= 1 AND length(bio) <= 300)",
                           name=op.f('ck_profiles_bio_plain_text')),
        sa.CheckConstraint("photo_url IS NULL OR (photo_url LIKE 'https://%' AND length(photo_url) <= 2000)",
                           name=op.f('ck_profiles_photo_url_https')),
        sa.CheckConstraint("website_url IS NULL OR (website_url ~ '^https?://' AND length(website_url) <= 2000)",
                           name=op.f('ck_profiles_website_url_http')),
        sa.CheckConstraint('follower_count >= 0 AND following_count >= 0', name=op.f('ck_profiles_counts_not_negative')),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_profiles_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_profiles')),
        sa.UniqueConstraint('handle', name=op.f('uq_profiles_handle')),
    )
    for table, left, right in (('profile_follows', 'follower_id', 'followed_id'),
                               ('profile_blocks', 'blocker_id', 'blocked_id')):
        op.create_table(
            table,
            sa.Column(left, sa.BigInteger(), nullable=False),
            sa.Column(right, sa.BigInteger(), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
            sa.CheckConstraint(f'{left} <> {right}', name=op.f(f'ck_{table}_not_self')),
            sa.ForeignKeyConstraint([left], ['profiles.account_id'], name=op.f(f'fk_{table}_{left}_profiles'),
                                    ondelete='CASCADE'),
            sa.ForeignKeyConstraint([right], ['profiles.account_id'], name=op.f(f'fk_{table}_{right}_profiles'),
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint(left, right, name=op.f(f'pk_{table}')),
        )
    op.create_index('ix_profile_follows_followed', 'profile_follows',
                    ['followed_id', sa.literal_column('created_at DESC'), sa.literal_column('follower_id DESC')])
    op.create_index('ix_profile_follows_follower', 'profile_follows',
                    ['follower_id', sa.literal_column('created_at DESC'), sa.literal_column('followed_id DESC')])
    op.create_index('ix_profile_blocks_blocked', 'profile_blocks', ['blocked_id', 'blocker_id'])
    op.create_index('ix_profile_blocks_blocker', 'profile_blocks',
                    ['blocker_id', sa.literal_column('created_at DESC'), sa.literal_column('blocked_id DESC')])
    op.execute(_BASE)
    op.execute(_CREATE)
    op.execute(_TRIGGER_FUNCTION)
    op.execute(_TRIGGER)
    op.execute('SELECT create_profiles(ARRAY(SELECT id FROM accounts))')


def downgrade() -> None:
    op.execute('DROP TRIGGER accounts_create_profiles ON accounts')
    op.execute('DROP FUNCTION accounts_create_profiles()')
    op.execute('DROP FUNCTION create_profiles(bigint[])')
    op.execute('DROP FUNCTION profile_handle_base(text)')
    op.drop_table('profile_blocks')
    op.drop_table('profile_follows')
    op.drop_table('profiles')
    VISIBILITY.drop(op.get_bind())
