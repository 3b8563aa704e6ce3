"""Find the PostgreSQL and Redis the tests use; print shell exports for the Makefile.

Defaults: PostgreSQL at 127.0.0.1:5432 as user postgres, Redis at 127.0.0.1:6379 (database
15, so tests never meet a development worker). Override with TEST_DATABASE_URL and
TEST_REDIS_URL. With CI=true both are required: a missing service fails the run.
What is used is said on stderr; the exports go to stdout.
"""

import os
import shlex
import sys

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/firmlink"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def postgres_ok(url: str) -> str | None:
    import psycopg
    from environ import Env

    config = Env.db_url_config(url)
    try:
        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ) as connection:
            return connection.execute("show server_version").fetchone()[0]
    except psycopg.Error as exc:
        print(f"  PostgreSQL at {url}: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return None


def redis_ok(url: str) -> str | None:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=3).info("server")["redis_version"]
    except redis.RedisError as exc:
        print(f"  Redis at {url}: {exc}", file=sys.stderr)
        return None


def main() -> int:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    database_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    exports = {}
    missing = []

    pg_version = postgres_ok(database_url)
    if pg_version:
        exports["DATABASE_URL"] = database_url
        print(f"tests use PostgreSQL {pg_version} at {database_url}", file=sys.stderr)
    else:
        missing.append("PostgreSQL")
        exports["DATABASE_URL"] = "sqlite:///var/test.sqlite3"
        print("tests use SQLite (PostgreSQL not reachable): PostgreSQL-only tests are skipped", file=sys.stderr)

    redis_version = redis_ok(redis_url)
    if redis_version:
        exports["FIRMLINK_TEST_REDIS_URL"] = redis_url
        print(f"tests use Redis {redis_version} at {redis_url}", file=sys.stderr)
    else:
        missing.append("Redis")
        print("Redis not reachable: tests that need a real broker are skipped", file=sys.stderr)

    if ci and missing:
        print(f"CI=true and {' and '.join(missing)} missing: failing, not skipping.", file=sys.stderr)
        return 1
    exports["FIRMLINK_TEST_SERVICES"] = ",".join(
        name for name, ok in (("postgres", pg_version), ("redis", redis_version)) if ok
    )
    for name, value in exports.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
