"""Hostile and oversized roster files against ``manage.py import_roster``: refused whole, fast.

    .venv/bin/python -m benchmarks.hostile_rosters [--rows 100000] [--keep-db]

Each file is written under /tmp/firmlink-bench and imported by a child process (Django start-up
included, measured with GNU time). Printed: seconds, peak RSS, exit status, and the first and
last lines the command wrote. The limits are the defaults (20 MB, 100,000 rows, 50 problems
listed). A number to read, never asserted by the test suite.
"""

import argparse

from benchmarks import common


def files(rows: int) -> dict[str, bytes]:
    header = "attorney_name,attorney_email,court_id\n"
    return {
        f"{rows:,} rows, every court unknown": (
            header + "".join(f"Attorney {i},a{i}@firm.example,zz{i % 997}\n" for i in range(rows))
        ).encode(),
        f"{rows:,} rows, control characters": (
            header + "".join(f"Attorney\x1b{i},a{i}@firm.example,canb\n" for i in range(rows))
        ).encode(),
        f"{rows // 2:,} rows, 300-character names (16 MB)": (
            header + "".join(f"{'N' * 300},a{i}@firm.example,canb\n" for i in range(rows // 2))
        ).encode(),
        f"{rows:,} rows, every email invalid": (
            header + "".join(f"Attorney {i},a{i}@@firm,canb\n" for i in range(rows))
        ).encode(),
        f"{rows:,} rows, a password in every row": (
            header.replace("\n", ",pacer_username\n")
            + "".join(f"Attorney {i},a{i}@firm.example,canb,password: Secret{i}!\n" for i in range(rows))
        ).encode(),
        f"{rows + 1:,} rows (one over the limit)": (
            header + "".join(f"A{i},a{i}@firm.example,canb\n" for i in range(rows + 1))
        ).encode(),
        "21 MB (over the size limit)": header.encode() + b"x" * (21 * 1024 * 1024),
        "a NUL byte at the end": (header + "A,a@firm.example,canb\n" * 1000).encode() + b"\x00",
        f"{rows:,} valid rows (dry run)": (
            header + "".join(f"Attorney {i},a{i}@firm.example,{('canb', 'nysd', 'alnb')[i % 3]}\n" for i in range(rows))
        ).encode(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    common.add_isolation_arguments(parser)
    parser.set_defaults(db_name="firmlink_bench_roster")
    args = parser.parse_args()
    env = common.isolate(args)
    common.create_database(args.db_name)
    assert common.run_measured([common.PYTHON, "manage.py", "migrate", "--verbosity=0"], env=env).returncode == 0
    table = []
    for name, data in files(args.rows).items():
        path = common.WORK_DIR / "hostile.csv"
        path.write_bytes(data)
        out = common.WORK_DIR / "hostile.out"
        with out.open("w") as handle:
            command = [common.PYTHON, "manage.py", "import_roster", str(path), "--dry-run"]
            result = common.run_measured(command, env=env, stdout=handle, stderr=handle)
        lines = [line.strip() for line in out.read_text().splitlines() if line.strip()]
        table.append(
            [
                name,
                f"{len(data) / 1e6:.1f}",
                f"{result.seconds:.2f}",
                f"{result.max_rss_mb:.0f}",
                result.returncode,
                (lines[1] if len(lines) > 1 else lines[0] if lines else "")[:70],
                (lines[-1] if lines else "")[:60],
            ]
        )
        common.say(f"{name}: {result.seconds:.2f} s, exit {result.returncode}")
    print(
        common.table(
            ["file", "MB", "seconds", "peak RSS MB", "exit", "first problem", "last line"],
            table,
            title="\nimport_roster --dry-run in a child process (Django start-up included)",
        )
    )
    if not args.keep_db:
        common.drop_database(args.db_name)


if __name__ == "__main__":
    main()
