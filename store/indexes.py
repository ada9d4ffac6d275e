"""The read-only indexes a first bulk load drops and builds again at its end
(``store.migrate.bulk_load_indexes``), by name: ``ingest status`` (which reads without
SQLAlchemy) reports those missing after a load that was killed (tests/test_trust_round2.py
keeps this list equal to the models')."""

READ_INDEXES = (
    "ix_champion_scores_run_rank", "ix_correction_events_tweet_id",
    "ix_correction_events_user_id", "ix_export_log_actor", "ix_help_acts_asker_id",
    "ix_help_acts_brand_thanks_at", "ix_help_acts_created_at", "ix_help_acts_helper",
    "ix_interactions_dst_user_id", "ix_interactions_ref_tweet_id", "ix_interactions_src_time",
    "ix_outreach_events_user_id", "ix_rejected_records_run_id", "ix_score_evidence_run_user",
    "ix_tweet_acts_fix", "ix_tweet_acts_fix_link", "ix_tweet_acts_help_pending",
    "ix_tweet_urls_domain", "ix_tweets_author_time", "ix_tweets_conversation_id",
    "ix_tweets_created_at", "ix_tweets_in_reply_to_tweet_id", "ix_tweets_unlinked_reply",
    "ix_users_brand",
)


def missing_note(count: int) -> str:
    """What ``count`` missing read indexes mean, and the repair (said by ``ingest status``,
    ``graph rank`` and the dashboard)."""
    return (f"{count} of the database's read indexes are missing: an import into an empty"
            " database is running, or was stopped before it rebuilt them. Rankings and pages"
            " are slow until that import ends, the next import, or `python -m store upgrade`"
            " builds them.")


def missing(engine) -> list[str]:
    """The read indexes the database lacks, by name (none, normally)."""
    from sqlalchemy import text

    query = ("SELECT name FROM sqlite_master WHERE type = 'index'"
             if engine.dialect.name == "sqlite" else
             "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    with engine.connect() as conn:
        present = {r[0] for r in conn.execute(text(query))}
    return [n for n in READ_INDEXES if n not in present]
