"""The demo generator at size: ``seed_demo --attorneys N`` into a fresh database, timed.

    .venv/bin/python -m benchmarks.demo [--sizes 60,5000] [--as-of 2021-06-14] [--keep-db]

Each size gets its own empty database (migrated: the 204 real courts), then ``manage.py
seed_demo`` runs in a child process under GNU time. Printed per size: wall seconds, attorneys
per second, peak RSS, pairs, history rows and the statuses on the demo date (every status
should be present). A number to read, never asserted by the test suite.
"""

import argparse

from benchmarks import common


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,5000", help="Attorneys per run, comma separated.")
    parser.add_argument("--as-of", default="2021-06-14")
    common.add_isolation_arguments(parser)
    parser.set_defaults(db_name="firmlink_bench_demo")
    args = parser.parse_args()
    env = common.isolate(args, FIRMLINK_AS_OF=args.as_of)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        common.create_database(args.db_name)
        migrate = common.run_measured([common.PYTHON, "manage.py", "migrate", "--verbosity=0"], env=env)
        assert migrate.returncode == 0, "migrate failed"
        out = common.WORK_DIR / f"seed-{size}.txt"
        with out.open("w") as handle:
            result = common.run_measured(
                [common.PYTHON, "manage.py", "seed_demo", f"--attorneys={size}"], env=env, stdout=handle
            )
        lines = out.read_text().splitlines()
        if result.returncode != 0:
            raise SystemExit(f"seed_demo --attorneys {size} failed:\n" + "\n".join(lines[-20:]))
        pair_lines = lines[: next((i for i, line in enumerate(lines) if line.startswith("PACER MFA")), len(lines))]
        statuses = {line.split()[0]: int(line.split()[1]) for line in pair_lines if line.startswith("  ")}
        pairs = sum(statuses.values())
        history = _count(args.db_name, "attorneys_stepchange")
        missing = [status for status, n in statuses.items() if not n]
        rows.append(
            [
                size,
                f"{result.seconds:.1f}",
                f"{size / result.seconds:.0f}",
                f"{result.max_rss_mb:.0f}",
                pairs,
                history,
                ", ".join(missing) or "none",
            ]
        )
        common.say(f"seed_demo --attorneys {size}: {result.seconds:.1f} s, {pairs} pairs, {history} history rows")
    print(
        common.table(
            ["attorneys", "seconds", "attorneys/s", "peak RSS MB", "pairs", "history rows", "statuses missing"],
            rows,
            title=f"\nseed_demo as of {args.as_of} into an empty migrated database (one process, PostgreSQL)",
        )
    )
    if not args.keep_db:
        common.drop_database(args.db_name)


def _count(database: str, table: str) -> int:
    import psycopg

    with psycopg.connect(common.database_url(database)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


if __name__ == "__main__":
    main()
