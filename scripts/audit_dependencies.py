"""Audit the installed Python packages for known vulnerabilities (pip-audit), honestly.

    .venv/bin/python scripts/audit_dependencies.py    (what `make audit` and CI run)

pip-audit asks a vulnerability service on the internet (pypi.org's JSON API by default, or
api.osv.dev). A machine that reaches neither cannot audit anything: pip-audit then reports each
package as "not found" or fails to connect, which must not read as "no known vulnerabilities".
This script says which of three things happened:

- exit 0, "no known vulnerabilities in N packages": every package was checked;
- exit 1: vulnerabilities found (listed), or some packages could not be checked;
- "AUDIT NOT DONE": no service reachable. Exit 0 so that CI on a machine without internet
  keeps running the tests, unless FIRMLINK_AUDIT_REQUIRED=1 (exit 2): set it where the
  internet is reachable, so that an unreachable service fails the build.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
UNREACHABLE = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "Failed to resolve")


def verdict(stdout: str, stderr: str, *, service: str, required: bool) -> tuple[int, list[str]]:
    """(exit status, lines to print) for what pip-audit wrote."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        report = None
    dependencies = (report or {}).get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if report is None or (dependencies and len(skipped) == len(dependencies)):
        if any(marker in stderr for marker in UNREACHABLE) or skipped:
            return 2 if required else 0, [
                f"AUDIT NOT DONE: the vulnerability service ({service}) cannot be reached from this machine, so "
                f"nothing is known about vulnerabilities in the {len(dependencies) or 'installed'} packages. "
                "Run `make audit` where pypi.org or api.osv.dev is reachable (FIRMLINK_AUDIT_SERVICE=osv to "
                "use OSV)."
            ]
        return 1, [f"pip-audit failed: {(stderr or stdout).strip()[-2000:]}"]
    lines = []
    for dependency in dependencies:
        if dependency.get("vulns"):
            ids = ", ".join(
                vuln["id"] + (f" (fixed in {', '.join(vuln['fix_versions'])})" if vuln.get("fix_versions") else "")
                for vuln in dependency["vulns"]
            )
            lines.append(f"VULNERABLE {dependency['name']} {dependency['version']}: {ids}")
    for dependency in skipped:
        lines.append(f"NOT CHECKED {dependency['name']} {dependency.get('version', '')}: {dependency['skip_reason']}")
    if lines:
        return 1, lines
    return 0, [f"No known vulnerabilities in {len(dependencies)} packages ({service})."]


def main() -> int:
    service = os.environ.get("FIRMLINK_AUDIT_SERVICE", "pypi")
    command = [str(PIP_AUDIT), "--local", "--vulnerability-service", service, "--format", "json"]
    command += ["--progress-spinner", "off", "--timeout", "20"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    required = os.environ.get("FIRMLINK_AUDIT_REQUIRED", "") in ("1", "true", "yes")
    status, lines = verdict(result.stdout, result.stderr, service=service, required=required)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
