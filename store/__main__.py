"""``python -m store``: the schema step by hand (cron and deploy scripts call it before the
dashboard starts on a new release)."""

from __future__ import annotations

import argparse
import sys

from settings import add_common_args, database_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store",
                                     description="Create or migrate the database schema.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("upgrade", help="create or migrate the schema to the newest revision",
                       description="Create the schema in an empty database, adopt a database "
                       "made before migrations existed, and apply every newer migration. Takes "
                       "the ingest run lock, so it never races an import.")
    add_common_args(p)
    p = sub.add_parser("current", help="print the schema revision, and the one the code needs",
                       description="Print the database's schema revision and the newest one.")
    add_common_args(p)
    args = parser.parse_args(argv)
    # Imported here, not above: `--help` should not wait for SQLAlchemy and Alembic.
    from store.db import make_engine
    from store.migrate import current, head, upgrade

    engine = make_engine(database_url(args.db))
    if args.command == "current":
        print(f"database: {current(engine) or 'none'}; code: {head()}")
        return 0
    from store.lock import RunLockedError, run_lock

    try:
        with run_lock(engine):
            before, after = upgrade(engine)
    except RunLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    print(f"schema at {after}" + (f" (was {before or 'none'})" if before != after else
                                  " (already current)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
