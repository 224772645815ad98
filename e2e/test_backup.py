"""Backups (S6): taken while tickets are being issued, verified by a restore into a scratch database, generations
kept, and restored into a new database with the same rows."""
import hashlib
import sqlite3
import threading

import requests

from conftest import run_cli


def counts_and_checksum(path):
    database = sqlite3.connect(path)
    counts = {t: database.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ["tickets", "events", "offices", "users"]}
    digest = hashlib.sha256()
    for row in database.execute("SELECT id, number, state, version FROM tickets ORDER BY id"):
        digest.update(repr(row).encode())
    database.close()
    return counts, digest.hexdigest()


def test_a_backup_taken_under_write_load_restores_to_the_same_rows_and_old_generations_are_pruned(workdir, servers):
    server = servers("--demo", cwd=workdir)
    stop = threading.Event()
    issued = []

    cookies = server.sign_in().cookies  # a kiosk's pace is not limited per client; an anonymous script's is

    def load():
        while not stop.is_set():
            answer = requests.post(server.base + "/api/v1/offices/nerima/tickets", json={"service": "nerima-shomei"}, cookies=cookies)
            issued.append(answer.status_code)

    writer = threading.Thread(target=load)
    writer.start()
    try:
        backups = [run_cli("backup", "--to", "backups", "--keep", "2", cwd=workdir) for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    assert all(b.returncode == 0 for b in backups), [b.stderr for b in backups]
    assert set(issued) == {201} and len(issued) > 0
    kept = sorted((workdir / "backups").glob("madoguchi-*.sqlite"))
    assert len(kept) == 2  # three taken, two generations kept
    latest = kept[-1]
    assert "戻せることを確認しました" in backups[-1].stdout and latest.name in backups[-1].stdout

    restored = workdir / "restored.sqlite"
    answer = run_cli("restore", "--from", str(latest), "--database", f"sqlite:///{restored}", cwd=workdir)
    assert answer.returncode == 0, answer.stderr
    assert counts_and_checksum(restored) == counts_and_checksum(latest)
    backup_counts, _ = counts_and_checksum(latest)
    assert 0 < backup_counts["tickets"] <= len(issued)
    assert f"tickets={backup_counts['tickets']}" in backups[-1].stdout

    # a damaged file is refused and nothing is replaced
    broken = workdir / "broken.sqlite"
    broken.write_bytes(latest.read_bytes()[:4096] + b"\x00" * 4096)
    refused = run_cli("restore", "--from", str(broken), "--database", f"sqlite:///{restored}", cwd=workdir)
    assert refused.returncode != 0
    assert counts_and_checksum(restored) == counts_and_checksum(latest)


def test_a_postgresql_backup_is_dumped_verified_and_restored(workdir, servers, postgres_database):
    assert run_cli("migrate", "--database", postgres_database).returncode == 0
    assert run_cli("demo", "--database", postgres_database).returncode == 0
    backup = run_cli("backup", "--database", postgres_database, "--to", "pg-backups", cwd=workdir)
    assert backup.returncode == 0, backup.stderr
    assert "offices=6" in backup.stdout
    dump = next((workdir / "pg-backups").glob("madoguchi-*.dump"))
    restored = run_cli("restore", "--from", str(dump), "--database", postgres_database, cwd=workdir)
    assert restored.returncode == 0, restored.stderr
    server = servers("--database", postgres_database, cwd=workdir)
    assert len(requests.get(server.base + "/api/v1/offices").json()) == 6


def test_the_admin_page_shows_the_last_backup_and_the_audit_log_to_administrators_only(workdir, servers):
    from selenium.webdriver.common.by import By
    from browser import axe_violations, chromium

    server = servers("--demo", cwd=workdir)
    anonymous = requests.get(server.base + "/admin", allow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/staff/sign-in?next=/admin"
    clerk = server.sign_in("nerima-staff")
    assert clerk.get(server.base + "/admin").status_code == 403
    admin = server.sign_in()
    assert "バックアップの記録はまだありません" in admin.get(server.base + "/admin").text
    taken = run_cli("backup", "--to", "backups", cwd=workdir)
    assert taken.returncode == 0, taken.stderr
    page = admin.get(server.base + "/admin").text
    assert "✔ 最後のバックアップは確認済みです" in page and "madoguchi-" in page
    assert "session.sign_in" in page and "nerima-staff" in page
    filtered = admin.get(server.base + "/admin?actor=nerima-staff").text
    assert "<td>nerima-staff</td>" in filtered and "<td>admin</td>" not in filtered

    driver = chromium()
    try:
        driver.get(server.base + "/staff/sign-in?next=/admin")
        driver.find_element(By.ID, "login").send_keys("admin")
        driver.find_element(By.ID, "password").send_keys("madoguchi-demo\n")
        driver.find_element(By.ID, "backup-state")
        assert axe_violations(driver) == []
    finally:
        driver.quit()
