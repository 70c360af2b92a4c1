"""Known vulnerabilities in the pinned lock files, checked offline against the PyPA advisory database.

    python -m ops.dependency_audit --database ../advisory-database requirements/rasa.txt requirements/app.txt

pip-audit asks PyPI's or OSV's web service, which these machines cannot reach; this reads the same advisories
(github.com/pypa/advisory-database, OSV format, the data behind PyPI's vulnerability API) from a local copy and
matches every pinned `name==version` against their affected ranges. It prints one line per finding and the
copy's date, since advisories published after it are not seen. Exit status 1 when anything is found.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class Finding:
    lock: str
    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]
    summary: str


def canonical(name: str) -> str:
    """PEP 503 names: the advisory database's folders are named this way."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (comments, options and -r lines skipped)."""
    found = {}
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            found[canonical(name.split("[", 1)[0])] = version.split(";", 1)[0].strip()
    return found


def _event_version(event: dict) -> Version:
    return Version(next(str(value) for key, value in event.items() if key in ("introduced", "fixed", "last_affected")))


def _in_range(version: Version, events: list[dict]) -> bool:
    """OSV's ECOSYSTEM range: affected when the last event at or below `version` introduced it."""
    affected = False
    for event in sorted(events, key=_event_version):
        if "introduced" in event and version >= _event_version(event):
            affected = True
        elif ("fixed" in event and version >= _event_version(event)
              or "last_affected" in event and version > _event_version(event)):
            affected = False
    return affected


def affects(advisory: dict, package: str, version: str) -> tuple[bool, tuple[str, ...]]:
    """Whether `advisory` affects package==version, and the versions that fix it."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False, ()
    for entry in advisory.get("affected") or []:
        if canonical(entry.get("package", {}).get("name", "")) != package:
            continue
        fixed = tuple(event["fixed"] for r in entry.get("ranges") or [] if r.get("type") == "ECOSYSTEM"
                      for event in r.get("events") or [] if "fixed" in event)
        if version in (entry.get("versions") or []):
            return True, fixed
        for r in entry.get("ranges") or []:
            if r.get("type") == "ECOSYSTEM":
                try:
                    if _in_range(parsed, r.get("events") or []):
                        return True, fixed
                except InvalidVersion:
                    continue
    return False, ()


def audit(database: Path, locks: list[Path]) -> list[Finding]:
    findings = []
    for lock in locks:
        for package, version in sorted(pins(lock).items()):
            folder = database / "vulns" / package
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                advisory = yaml.safe_load(path.read_text())
                if advisory.get("withdrawn"):
                    continue
                hit, fixed = affects(advisory, package, version)
                if hit:
                    summary = (advisory.get("summary") or advisory.get("details") or "").strip().splitlines()[0][:100]
                    findings.append(Finding(lock.name, package, version, advisory["id"],
                                            tuple(advisory.get("aliases") or ()), fixed, summary))
    return findings


def database_date(database: Path) -> str:
    answer = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=database, capture_output=True, text=True,
                            check=False)
    return answer.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="a clone of github.com/pypa/advisory-database")
    parser.add_argument("locks", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if not (args.database / "vulns").is_dir():
        raise SystemExit(f"{args.database}: not a copy of the PyPA advisory database (no vulns/)")
    findings = audit(args.database, args.locks)
    counts = {lock.name: len(pins(lock)) for lock in args.locks}
    print(f"advisory database of {database_date(args.database)}; packages: "
          + ", ".join(f"{name} {count}" for name, count in counts.items()))
    for f in findings:
        print(f"{f.lock}: {f.package}=={f.version} {f.advisory} ({', '.join(f.aliases) or '-'}) "
              f"fixed in {', '.join(f.fixed) or 'no release'}: {f.summary}")
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
