"""The SQL schema (SQLAlchemy 2.x typed models).

Ids are X's own 64-bit ids. Sources without real X ids (the Kaggle TWCS dataset) are kept in a
separate, negative id space so they can never collide with a real tweet or user; see
``ingest.records.local_id``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "User",
    "Tweet",
    "Interaction",
    "TweetUrl",
    "IngestRun",
    "Cursor",
    "RejectedRecord",
    "ImportedFile",
    "LoadedPage",
    "TweetRole",
    "HelpAct",
    "RoleOverride",
    "CorrectionEvent",
    "AccountLabel",
    "Suppression",
    "AuditEvent",
    "RankingRun",
    "ChampionScore",
    "ScoreEvidence",
    "GraphState",
    "OutreachEntry",
    "OutreachEvent",
    "ExportLog",
    "OUTREACH_STATUSES",
    "EDGE_KINDS",
    "TWEET_KINDS",
]

EDGE_KINDS = ("reply", "mention", "retweet", "quote")
TWEET_KINDS = ("original", "reply", "retweet", "quote")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """The latest profile seen of an account; a stub until the account is seen in full."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    profile_image_url: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool | None] = mapped_column(Boolean)
    protected: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    followers_count: Mapped[int | None] = mapped_column(Integer)
    following_count: Mapped[int | None] = mapped_column(Integer)
    tweet_count: Mapped[int | None] = mapped_column(Integer)
    listed_count: Mapped[int | None] = mapped_column(Integer)
    # True while we only know the account from a mention or a reference.
    is_stub: Mapped[bool] = mapped_column(Boolean, default=True)
    # A brand / support account (TWCS inbound=False authors, configured support handles).
    is_brand: Mapped[bool] = mapped_column(Boolean, default=False)
    # When this profile was observed (page retrieval time, else the carrying tweet's time).
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_users_username_lower", func.lower(username)),
        # The few brand accounts, without reading every user (the ranking asks often).
        Index("ix_users_brand", "id", sqlite_where=sql_text("is_brand"),
              postgresql_where=sql_text("is_brand")),
    )


class Tweet(Base):
    __tablename__ = "tweets"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    author_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    created_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    text: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    conversation_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # one of TWEET_KINDS
    in_reply_to_tweet_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    in_reply_to_user_id: Mapped[int | None] = mapped_column(BigInteger)
    retweeted_id: Mapped[int | None] = mapped_column(BigInteger)
    quoted_id: Mapped[int | None] = mapped_column(BigInteger)
    retweet_count: Mapped[int | None] = mapped_column(Integer)
    reply_count: Mapped[int | None] = mapped_column(Integer)
    like_count: Mapped[int | None] = mapped_column(Integer)
    quote_count: Mapped[int | None] = mapped_column(Integer)
    # Provenance: the format it came from, the file or API query, and the run that first wrote it.
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # A person's tweets in a window, their kind and id from the index alone (the ranking's
        # activity and voice of the people with evidence).
        Index("ix_tweets_author_time", "author_id", "created_at", "kind", "id"),
        # Replies whose parent author is not known yet: the post-load link step reads only these.
        Index(
            "ix_tweets_unlinked_reply",
            "in_reply_to_tweet_id",
            sqlite_where=sql_text("in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL"),
            postgresql_where=sql_text(
                "in_reply_to_user_id IS NULL AND in_reply_to_tweet_id IS NOT NULL"
            ),
        ),
    )


class Interaction(Base):
    """One edge of the graph: who replied to, mentioned, retweeted or quoted whom, by which tweet.

    ``key_tweet_id`` makes the edge's identity: the reply, mention or quote tweet itself; for a
    retweet the *retweeted* tweet, since a person retweets a tweet at most once (this is what lets
    a retweet seen through ``retweeted_by`` and the same retweet seen as a tweet stay one edge).
    """

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # one of EDGE_KINDS
    src_user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    dst_user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    key_tweet_id: Mapped[int] = mapped_column(BigInteger)
    tweet_id: Mapped[int | None] = mapped_column(BigInteger)  # the acting tweet, when known
    ref_tweet_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # the tweet acted on
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("key_tweet_id", "kind", "src_user_id", "dst_user_id", name="uq_edge"),
        # Someone's edges in a time window, from the index alone: the brands' conversations,
        # a candidate's retweets (the ranking reads both per window).
        Index("ix_interactions_src_time", "src_user_id", "created_at", "dst_user_id", "kind"),
    )


class TweetUrl(Base):
    __tablename__ = "tweet_urls"

    tweet_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    domain: Mapped[str | None] = mapped_column(String(255), index=True)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(32))  # file, x, run, schedule
    source: Mapped[str | None] = mapped_column(Text)  # what it read: paths or handles
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # running, ok, partial (some records rejected or a source failed), failed, interrupted,
    # abandoned (its process died; marked by the next run)
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[str | None] = mapped_column(Text)  # JSON object of counters
    error: Mapped[str | None] = mapped_column(Text)


class Cursor(Base):
    """Where an incremental X API query stopped; advanced only after its run committed.

    Everything up to ``since_id`` is stored. A query cut short by ``max_pages`` leaves a gap:
    the posts between ``since_id`` and ``until_id`` (exclusive) are still to fetch, and
    ``newest_id`` becomes ``since_id`` once the gap is closed. ``seen_count`` is the retweet or
    quote count a fix tweet had when its retweeters or quotes were last fetched.
    """

    __tablename__ = "cursors"

    query_key: Mapped[str] = mapped_column(String(512), primary_key=True)
    since_id: Mapped[int | None] = mapped_column(BigInteger)
    next_token: Mapped[str | None] = mapped_column(String(256))  # unused since 0001
    until_id: Mapped[int | None] = mapped_column(BigInteger)
    newest_id: Mapped[int | None] = mapped_column(BigInteger)
    seen_count: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(Integer)


class RejectedRecord(Base):
    __tablename__ = "rejected_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(16))  # format
    location: Mapped[str] = mapped_column(Text)  # file:line, or the API query
    reason: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ImportedFile(Base):
    """Files a scheduled run already loaded in full, so it skips them while they are unchanged."""

    __tablename__ = "imported_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[int | None] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    # A whole-document file (archive, TWCS CSV, JSON array) loaded in full, by content: an
    # identical file is skipped even if its mtime changed; its tweets count as present.
    content_hash: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    tweets: Mapped[int | None] = mapped_column(Integer)


class LoadedPage(Base):
    """A page (one line of a twarc2 or v1.1 JSON-lines file) whose rows are stored, by a hash
    of its bytes (``ingest.parallel.page_digest``): an import skips it without parsing it.
    Written in the transaction that stores the page's rows, so a crash never leaves a hash
    without its rows. A page with a rejected record or an unresolved mention is not kept."""

    __tablename__ = "loaded_pages"

    digest: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    tweets: Mapped[int] = mapped_column(Integer)  # counted as already present when skipped
    run_id: Mapped[int | None] = mapped_column(Integer)


class TweetRole(Base):
    """What a tweet does in a support conversation, as classified by ``graph.roles`` (one row
    per classified tweet; staff overrides live in ``RoleOverride`` and win). A cache of the
    text and the settings' phrases: dropped and rebuilt when the phrases change."""

    __tablename__ = "tweet_acts"

    tweet_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    is_request: Mapped[bool] = mapped_column(Boolean)  # a problem or a question
    is_fix: Mapped[bool] = mapped_column(Boolean)  # steps, or a pointer to a fix
    is_answer: Mapped[bool] = mapped_column(Boolean)  # a fix, an explanation or a fact
    is_thanks: Mapped[bool] = mapped_column(Boolean)  # thanks or "that worked", not negated
    is_negative: Mapped[bool] = mapped_column(Boolean)  # "didn't work", sarcasm
    is_chatter: Mapped[bool] = mapped_column(Boolean)  # "me too", jokes, empty offers
    is_agent: Mapped[bool] = mapped_column(Boolean)  # a brand agent's voice or sign-off
    is_business: Mapped[bool] = mapped_column(Boolean)  # an organisation's product talk
    is_we: Mapped[bool] = mapped_column(Boolean)  # speaks as "we", never as "I"
    is_me: Mapped[bool] = mapped_column(Boolean)  # speaks as "I"
    # A link to a fix domain, or a quote of a brand's fix: a pointer to a fix.
    has_fix_link: Mapped[bool] = mapped_column(Boolean, default=False)
    # The help model's probability that this reply to another customer's request is help
    # (graph.helpmodel); NULL where the model did not read it.
    help_p: Mapped[float | None] = mapped_column(Float)
    # Roles new or changed since ``help_acts`` last looked (``graph.helpacts``).
    help_pending: Mapped[bool] = mapped_column(Boolean, server_default=sql_text("true"),
                                               default=True)

    __table_args__ = (
        Index("ix_tweet_acts_help_pending", "tweet_id", sqlite_where=sql_text("help_pending"),
              postgresql_where=sql_text("help_pending")),
        Index("ix_tweet_acts_fix", "tweet_id", sqlite_where=sql_text("is_fix"),
              postgresql_where=sql_text("is_fix")),
        Index("ix_tweet_acts_fix_link", "tweet_id", sqlite_where=sql_text("has_fix_link"),
              postgresql_where=sql_text("has_fix_link")),
    )


class HelpAct(Base):
    """One answer by a customer to another customer's help request (``graph.features``'s
    ``HELP_FROM``), and the reactions to it: the asker's latest thanks or "didn't work" reply,
    and a brand account's latest thanks. Kept by ``graph.helpacts`` from ``tweet_acts``; a
    cache, rebuilt whole when the roles or the brand accounts change."""

    __tablename__ = "help_acts"

    answer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    helper_id: Mapped[int] = mapped_column(BigInteger)
    asker_id: Mapped[int] = mapped_column(BigInteger, index=True)
    request_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    request_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_fix: Mapped[bool] = mapped_column(Boolean)
    lang: Mapped[str | None] = mapped_column(String(16))
    thanks_id: Mapped[int | None] = mapped_column(BigInteger)
    thanks_at: Mapped[datetime | None] = mapped_column(DateTime)
    denied_id: Mapped[int | None] = mapped_column(BigInteger)
    denied_at: Mapped[datetime | None] = mapped_column(DateTime)
    brand_thanks_id: Mapped[int | None] = mapped_column(BigInteger)
    brand_thanks_by: Mapped[int | None] = mapped_column(BigInteger)
    brand_thanks_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # The answer's help probability (tweet_acts.help_p); NULL: certain (a fix link, a quote).
    confidence: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_help_acts_helper", "helper_id", "created_at"),)


class AccountLabel(Base):
    """A staff decision about an account the ranking flagged as likely staff or a business:
    ``staff`` / ``business`` confirm the flag (left out), ``customer`` overrules it (ranked)."""

    __tablename__ = "account_labels"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(16))
    set_by: Mapped[str | None] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class Suppression(Base):
    """An account or a tweet that must stay out: forgotten at someone's request, or deleted,
    protected, suspended or withheld per an X compliance event. Imports skip it, rankings and
    exports never see it. Keyed by X's id; it holds no content."""

    __tablename__ = "suppressions"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # user / tweet
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(String(64))  # forgotten, compliance:delete, ...
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who did what to whose data, and when: forgetting a person, applying compliance events.
    Subjects are ids; never the forgotten content."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON counts


class RoleOverride(Base):
    """A staff decision about one tweet's role, e.g. "this is a fix" or "this is not a fix"."""

    __tablename__ = "role_overrides"

    tweet_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)  # request/fix/thanks/negative
    value: Mapped[bool] = mapped_column(Boolean)
    set_by: Mapped[str | None] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class CorrectionEvent(Base):
    """Every staff correction of a tweet's reading (a ``RoleOverride`` set or forgotten): who,
    when, which tweet and role, the mark before and after, and whose page it was made on."""

    __tablename__ = "correction_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # the person's page
    tweet_id: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[str] = mapped_column(String(16))
    old: Mapped[bool | None] = mapped_column(Boolean)  # None: no mark (the text decided)
    new: Mapped[bool | None] = mapped_column(Boolean)
    actor: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime)


class RankingRun(Base):
    __tablename__ = "ranking_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    window_end: Mapped[datetime] = mapped_column(DateTime)
    params: Mapped[str] = mapped_column(Text)  # JSON: weights, window, handles
    timings: Mapped[str | None] = mapped_column(Text)  # JSON: seconds per stage


class ChampionScore(Base):
    """One ranked person in one ranking run: score, its components, tier and trend."""

    __tablename__ = "champion_scores"

    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("ranking_runs.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    rank: Mapped[int | None] = mapped_column(Integer)  # None: excluded (flags say why)
    score: Mapped[float] = mapped_column()
    components: Mapped[str] = mapped_column(Text)  # JSON {component: points}
    tier: Mapped[str] = mapped_column(String(16))  # champion, rising, occasional, lapsed
    previous_score: Mapped[float | None] = mapped_column()
    previous_tier: Mapped[str | None] = mapped_column(String(16))
    community: Mapped[int | None] = mapped_column(Integer)
    lang: Mapped[str | None] = mapped_column(String(16))
    flags: Mapped[str | None] = mapped_column(Text)  # JSON list: why someone is left out
    # JSON: the counts behind the score (people helped, thanked, fixes spread, reach, active
    # weeks, median minutes to answer) and each component's true total of evidence acts
    facts: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_champion_scores_run_rank", "run_id", "rank"),)


class ScoreEvidence(Base):
    """The tweets that earned a component of someone's score."""

    __tablename__ = "score_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("ranking_runs.id"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    component: Mapped[str] = mapped_column(String(32))
    tweet_id: Mapped[int] = mapped_column(BigInteger)
    other_user_id: Mapped[int | None] = mapped_column(BigInteger)  # who was helped / who thanked
    points: Mapped[float | None] = mapped_column()

    __table_args__ = (Index("ix_score_evidence_run_user", "run_id", "user_id"),)


class GraphState(Base):
    """Small facts the ranking keeps between runs (e.g. which settings classified the roles)."""

    __tablename__ = "graph_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


OUTREACH_STATUSES = ("to contact", "contacted", "responded", "recognised", "declined",
                     "do-not-contact")


class OutreachEntry(Base):
    """Where staff are with one person: status, owner, notes, dates."""

    __tablename__ = "outreach"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))  # one of OUTREACH_STATUSES
    owner: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    last_contacted_at: Mapped[datetime | None] = mapped_column(DateTime)


class OutreachEvent(Base):
    """Every change to the outreach pipeline: who, when, what."""

    __tablename__ = "outreach_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(255))
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class ExportLog(Base):
    """Exports of user data, per person, so X's daily cap on them can be enforced."""

    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    users: Mapped[int] = mapped_column(Integer)
    ranking_run_id: Mapped[int | None] = mapped_column(Integer)
