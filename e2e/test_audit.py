"""The audit log from the command line: `madoguchi audit verify` passes on an intact log and names the first broken
link after someone edits the database by hand."""
import sqlite3

import requests

from conftest import run_cli


def test_audit_verify_detects_tampering_and_names_the_first_broken_entry(workdir, servers):
    server = servers("--demo", cwd=workdir)
    staff = server.sign_in()
    requests.post(server.base + "/api/v1/offices/seki/tickets", json={"service": "seki-juki"})
    assert staff.post(server.base + "/api/v1/counters/seki-1/call-next").status_code == 200
    assert staff.post(server.base + "/api/v1/counters/seki-1/finish").status_code == 200
    staff.delete(server.base + "/api/v1/session")
    server.stop()

    ok = run_cli("audit", "verify", cwd=workdir)
    assert ok.returncode == 0 and "監査ログは正常です（4 件）" in ok.stdout, ok.stdout + ok.stderr

    database = sqlite3.connect(workdir / "data" / "madoguchi.sqlite")
    rows = database.execute("SELECT sequence, action FROM audit_log ORDER BY sequence").fetchall()
    assert [action for _, action in rows] == ["session.sign_in", "POST /api/v1/counters/{counter}/call-next",
                                              "POST /api/v1/counters/{counter}/finish", "session.sign_out"]
    database.execute("UPDATE audit_log SET actor = 'someone-else' WHERE sequence = 2")
    database.commit()
    database.close()
    broken = run_cli("audit", "verify", cwd=workdir)
    assert broken.returncode != 0
    assert "2 番で切れています" in broken.stderr and "書き換え" in broken.stderr
