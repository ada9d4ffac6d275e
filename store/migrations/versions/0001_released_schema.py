"""The released schema (issues 2 to 4, commit 7bf6238), as create_all built it.

A database made before Alembic owned the schema has these tables and no ``alembic_version``;
``store.migrate.upgrade`` stamps it at this revision and migrates it from here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cursors',
    sa.Column('query_key', sa.String(length=512), nullable=False),
    sa.Column('since_id', sa.BigInteger(), nullable=True),
    sa.Column('next_token', sa.String(length=256), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('query_key', name=op.f('pk_cursors'))
    )
    op.create_table('export_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('ranking_run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_log'))
    )
    op.create_index(op.f('ix_export_log_actor'), 'export_log', ['actor'], unique=False)
    op.create_table('graph_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_graph_state'))
    )
    op.create_table('imported_files',
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mtime_ns', sa.BigInteger(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('path', name=op.f('pk_imported_files'))
    )
    op.create_table('ingest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('command', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('counts', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_runs'))
    )
    op.create_table('outreach',
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('last_contacted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_outreach'))
    )
    op.create_table('outreach_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_events'))
    )
    op.create_index(op.f('ix_outreach_events_user_id'), 'outreach_events', ['user_id'], unique=False)
    op.create_table('ranking_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('window_end', sa.DateTime(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('timings', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_runs'))
    )
    op.create_table('rejected_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_records'))
    )
    op.create_index(op.f('ix_rejected_records_run_id'), 'rejected_records', ['run_id'], unique=False)
    op.create_table('role_overrides',
    sa.Column('tweet_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Boolean(), nullable=False),
    sa.Column('set_by', sa.String(length=255), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('tweet_id', 'role', name=op.f('pk_role_overrides'))
    )
    op.create_table('tweet_roles',
    sa.Column('tweet_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('is_request', sa.Boolean(), nullable=False),
    sa.Column('is_fix', sa.Boolean(), nullable=False),
    sa.Column('is_thanks', sa.Boolean(), nullable=False),
    sa.Column('is_negative', sa.Boolean(), nullable=False),
    sa.Column('has_fix_link', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('tweet_id', name=op.f('pk_tweet_roles'))
    )
    op.create_table('tweet_urls',
    sa.Column('tweet_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('tweet_id', 'url', name=op.f('pk_tweet_urls'))
    )
    op.create_index(op.f('ix_tweet_urls_domain'), 'tweet_urls', ['domain'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('profile_image_url', sa.Text(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=True),
    sa.Column('protected', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('followers_count', sa.Integer(), nullable=True),
    sa.Column('following_count', sa.Integer(), nullable=True),
    sa.Column('tweet_count', sa.Integer(), nullable=True),
    sa.Column('listed_count', sa.Integer(), nullable=True),
    sa.Column('is_stub', sa.Boolean(), nullable=False),
    sa.Column('is_brand', sa.Boolean(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    op.create_table('champion_scores',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('components', sa.Text(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('previous_score', sa.Double(), nullable=True),
    sa.Column('previous_tier', sa.String(length=16), nullable=True),
    sa.Column('community', sa.Integer(), nullable=True),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('flags', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['ranking_runs.id'], name=op.f('fk_champion_scores_run_id_ranking_runs')),
    sa.PrimaryKeyConstraint('run_id', 'user_id', name=op.f('pk_champion_scores'))
    )
    op.create_index('ix_champion_scores_run_rank', 'champion_scores', ['run_id', 'rank'], unique=False)
    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('src_user_id', sa.BigInteger(), nullable=False),
    sa.Column('dst_user_id', sa.BigInteger(), nullable=False),
    sa.Column('key_tweet_id', sa.BigInteger(), nullable=False),
    sa.Column('tweet_id', sa.BigInteger(), nullable=True),
    sa.Column('ref_tweet_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dst_user_id'], ['users.id'], name=op.f('fk_interactions_dst_user_id_users')),
    sa.ForeignKeyConstraint(['src_user_id'], ['users.id'], name=op.f('fk_interactions_src_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions')),
    sa.UniqueConstraint('key_tweet_id', 'kind', 'src_user_id', 'dst_user_id', name='uq_edge')
    )
    op.create_index(op.f('ix_interactions_dst_user_id'), 'interactions', ['dst_user_id'], unique=False)
    op.create_index(op.f('ix_interactions_ref_tweet_id'), 'interactions', ['ref_tweet_id'], unique=False)
    op.create_index('ix_interactions_src_dst_kind', 'interactions', ['src_user_id', 'dst_user_id', 'kind'], unique=False)
    op.create_table('score_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('component', sa.String(length=32), nullable=False),
    sa.Column('tweet_id', sa.BigInteger(), nullable=False),
    sa.Column('other_user_id', sa.BigInteger(), nullable=True),
    sa.Column('points', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['ranking_runs.id'], name=op.f('fk_score_evidence_run_id_ranking_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_evidence'))
    )
    op.create_index('ix_score_evidence_run_user', 'score_evidence', ['run_id', 'user_id'], unique=False)
    op.create_index('ix_users_username_lower', 'users', [sa.text('lower(username)')], unique=False)
    op.create_table('tweets',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('author_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('conversation_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('in_reply_to_tweet_id', sa.BigInteger(), nullable=True),
    sa.Column('in_reply_to_user_id', sa.BigInteger(), nullable=True),
    sa.Column('retweeted_id', sa.BigInteger(), nullable=True),
    sa.Column('quoted_id', sa.BigInteger(), nullable=True),
    sa.Column('retweet_count', sa.Integer(), nullable=True),
    sa.Column('reply_count', sa.Integer(), nullable=True),
    sa.Column('like_count', sa.Integer(), nullable=True),
    sa.Column('quote_count', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_ref', sa.Text(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_tweets_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tweets'))
    )
    op.create_index(op.f('ix_tweets_author_id'), 'tweets', ['author_id'], unique=False)
    op.create_index(op.f('ix_tweets_conversation_id'), 'tweets', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_tweets_created_at'), 'tweets', ['created_at'], unique=False)
    op.create_index(op.f('ix_tweets_in_reply_to_tweet_id'), 'tweets', ['in_reply_to_tweet_id'], unique=False)
    op.create_index('ix_tweets_unlinked_reply', 'tweets', ['in_reply_to_tweet_id'], unique=False, sqlite_where=sa.text('in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL'), postgresql_where=sa.text('in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_users_username_lower', table_name='users')
    op.drop_index('ix_tweets_unlinked_reply', table_name='tweets', sqlite_where=sa.text('in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL'), postgresql_where=sa.text('in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL'))
    op.drop_index(op.f('ix_tweets_in_reply_to_tweet_id'), table_name='tweets')
    op.drop_index(op.f('ix_tweets_created_at'), table_name='tweets')
    op.drop_index(op.f('ix_tweets_conversation_id'), table_name='tweets')
    op.drop_index(op.f('ix_tweets_author_id'), table_name='tweets')
    op.drop_table('tweets')
    op.drop_index('ix_score_evidence_run_user', table_name='score_evidence')
    op.drop_table('score_evidence')
    op.drop_index('ix_interactions_src_dst_kind', table_name='interactions')
    op.drop_index(op.f('ix_interactions_ref_tweet_id'), table_name='interactions')
    op.drop_index(op.f('ix_interactions_dst_user_id'), table_name='interactions')
    op.drop_table('interactions')
    op.drop_index('ix_champion_scores_run_rank', table_name='champion_scores')
    op.drop_table('champion_scores')
    op.drop_table('users')
    op.drop_index(op.f('ix_tweet_urls_domain'), table_name='tweet_urls')
    op.drop_table('tweet_urls')
    op.drop_table('tweet_roles')
    op.drop_table('role_overrides')
    op.drop_index(op.f('ix_rejected_records_run_id'), table_name='rejected_records')
    op.drop_table('rejected_records')
    op.drop_table('ranking_runs')
    op.drop_index(op.f('ix_outreach_events_user_id'), table_name='outreach_events')
    op.drop_table('outreach_events')
    op.drop_table('outreach')
    op.drop_table('ingest_runs')
    op.drop_table('imported_files')
    op.drop_table('graph_state')
    op.drop_index(op.f('ix_export_log_actor'), table_name='export_log')
    op.drop_table('export_log')
    op.drop_table('cursors')
