"""The offline audit of the lock files matches pins against advisories as OSV ranges say, no more, no less."""
from __future__ import annotations

from pathlib import Path

import yaml

from ops.dependency_audit import audit, main, pins


def advisory(folder: Path, package: str, ident: str, **affected) -> None:
    (folder / "vulns" / package).mkdir(parents=True, exist_ok=True)
    body = {"id": ident, "summary": f"{ident} summary", "aliases": [f"CVE-{ident}"],
            "affected": [{"package": {"name": package, "ecosystem": "PyPI"}, **affected}]}
    (folder / "vulns" / package / f"{ident}.yaml").write_text(yaml.safe_dump(body))


def test_a_pin_inside_a_range_is_found_and_one_past_the_fix_is_not(tmp_path):
    advisory(tmp_path, "aiohttp", "A-1", ranges=[{"type": "ECOSYSTEM", "events": [
        {"introduced": "0"}, {"fixed": "3.9.2"}, {"introduced": "3.10.0"}, {"fixed": "3.10.11"}]}])
    lock = tmp_path / "lock.txt"
    for version, found in (("3.9.1", True), ("3.9.2", False), ("3.9.5", False), ("3.10.3", True), ("3.10.11", False)):
        lock.write_text(f"aiohttp=={version}\n")
        assert bool(audit(tmp_path, [lock])) is found, version
    lock.write_text("aiohttp==3.10.3\n")
    assert audit(tmp_path, [lock])[0].fixed == ("3.9.2", "3.10.11")


def test_listed_versions_last_affected_names_and_withdrawn_advisories(tmp_path):
    advisory(tmp_path, "pyjwt", "B-1", versions=["2.3.0"])
    advisory(tmp_path, "sanic-cors", "B-2", ranges=[{"type": "ECOSYSTEM", "events": [
        {"introduced": "1.0"}, {"last_affected": "2.0.1"}]}])
    advisory(tmp_path, "redis", "B-3", ranges=[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}])
    withdrawn = yaml.safe_load((tmp_path / "vulns/redis/B-3.yaml").read_text())
    (tmp_path / "vulns/redis/B-3.yaml").write_text(yaml.safe_dump({**withdrawn, "withdrawn": "2024-01-01T00:00:00Z"}))
    lock = tmp_path / "lock.txt"
    lock.write_text("# comment\n-r other.txt\nPyJWT==2.3.0\nSanic_Cors==2.0.1\nredis==4.6.0\n")
    assert pins(lock) == {"pyjwt": "2.3.0", "sanic-cors": "2.0.1", "redis": "4.6.0"}
    assert [f.advisory for f in audit(tmp_path, [lock])] == ["B-1", "B-2"]
    lock.write_text("Sanic-Cors==2.0.2\n")
    assert audit(tmp_path, [lock]) == []


def test_the_command_fails_on_a_finding_and_names_the_database_date(tmp_path, capsys):
    advisory(tmp_path, "requests", "C-1", ranges=[{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                                                   {"fixed": "2.32.0"}]}])
    clean, dirty = tmp_path / "clean.txt", tmp_path / "dirty.txt"
    clean.write_text("requests==2.34.2\n")
    dirty.write_text("requests==2.31.0\n")
    assert main(["--database", str(tmp_path), str(clean)]) == 0
    assert main(["--database", str(tmp_path), str(dirty)]) == 1
    said = capsys.readouterr().out
    assert "advisory database of" in said and "requests==2.31.0 C-1 (CVE-C-1) fixed in 2.32.0" in said
