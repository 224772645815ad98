"""What a new user does: run the server with the demo city, use it, stop it, start it again."""
from conftest import run_cli
import requests


def test_serve_demo_creates_the_database_loads_the_city_and_prints_the_screens(workdir, servers):
    # given an empty directory, as after a fresh clone (the default database is ./data/madoguchi.sqlite)
    server = servers("--demo", cwd=workdir)

    # then the database file exists and the URLs were printed
    assert (workdir / "data" / "madoguchi.sqlite").exists()
    assert "/api/v1/offices/nerima/status" in server.output()
    assert "http://127.0.0.1:" in server.output()
    assert "/display/counter/nerima-1" in server.output()
    # what a newcomer wants first: the public site, booking, staff, administration, a kiosk, a lobby, a console,
    # and all five demo accounts (issue 15, item 22)
    first = server.output().split("すべての画面")[0]
    for address in ["/\n", "/reserve", "/staff\n", "/admin", "/kiosk/", "/display/lobby/", "/staff/counter/"]:
        assert server.base + address in first or (server.base + address.strip()) in first, address
    for login in ["admin", "nerima-staff", "nerima-manager", "statistics", "reservations"]:
        assert f"  {login} " in first, login

    offices = requests.get(server.base + "/api/v1/offices").json()
    assert len(offices) >= 5
    main = next(o for o in offices if o["id"] == "nerima")
    assert main["name"] == "練馬区民事務所"
    juki = next(s for s in main["services"] if s["id"] == "nerima-juki")
    assert [stage["name"] for stage in juki["stages"]] == ["受付", "審査", "交付"]
    assert any("マイナンバー" in s["name"] for s in main["services"])
    served = {stage for counter in main["counters"] for stage in counter["stages"]}
    assert all(stage["id"] in served for s in main["services"] for stage in s["stages"]), "every stage needs a counter"
    for office in offices[1:]:
        assert 2 <= len(office["services"]) <= 4


def test_state_survives_a_restart_of_the_process(workdir, servers):
    first = servers("--demo", cwd=workdir)
    tickets = [requests.post(first.base + "/api/v1/offices/nerima/tickets", json={"service": "nerima-juki"}).json() for _ in range(3)]
    staff = first.sign_in()
    assert staff.post(first.base + "/api/v1/counters/nerima-1/call-next").json()["id"] == tickets[0]["id"]
    status_before = requests.get(first.base + "/api/v1/offices/nerima/status").json()
    assert first.stop() == 0, first.output()

    second = servers("--demo", cwd=workdir)  # --demo does not load twice into a filled database
    status_after = requests.get(second.base + "/api/v1/offices/nerima/status").json()
    assert status_after["services"] == status_before["services"]
    third_ticket = requests.get(second.base + f"/api/v1/tickets/{tickets[2]['token']}").json()
    assert third_ticket["peopleAhead"] == 1 and third_ticket["state"] == "waiting"
    # the session is stored in the database: still signed in after the restart
    assert staff.post(second.base + "/api/v1/counters/nerima-1/call-next").json()["id"] == tickets[1]["id"]


def test_migrate_demo_and_users_add(workdir):
    url = f"sqlite://{workdir}/city.sqlite"
    migrate = run_cli("migrate", "--database", url)
    assert migrate.returncode == 0, migrate.stderr
    assert run_cli("migrate", "--database", url).stdout.strip().startswith("スキーマは最新です")

    demo = run_cli("demo", "--database", url)
    assert demo.returncode == 0 and "デモの市を読み込みました" in demo.stdout
    again = run_cli("demo", "--database", url)
    assert again.returncode != 0 and "空ではありません" in again.stderr

    added = run_cli("users", "add", "--login", "tanaka", "--role", "staff", "--office", "nerima", "hikarigaoka",
                    "--password-stdin", "--database", url, stdin="kyou-mo-ganbarimasu\n")
    assert added.returncode == 0, added.stderr
    duplicate = run_cli("users", "add", "--login", "tanaka", "--role", "staff", "--password-stdin", "--database", url, stdin="another-long-one\n")
    assert duplicate.returncode != 0 and "既に使われています" in duplicate.stderr
    weak = run_cli("users", "add", "--login", "sato", "--role", "staff", "--password-stdin", "--database", url, stdin="short\n")
    assert weak.returncode != 0 and "10文字以上" in weak.stderr
    bad_role = run_cli("users", "add", "--login", "sato", "--role", "boss", "--password-stdin", "--database", url, stdin="long enough pass\n")
    assert bad_role.returncode != 0 and "役割" in bad_role.stderr
    bad_office = run_cli("users", "add", "--login", "sato", "--role", "staff", "--office", "atlantis", "--password-stdin", "--database", url, stdin="long enough pass\n")
    assert bad_office.returncode != 0 and "atlantis" in bad_office.stderr


def test_users_add_password_works_for_sign_in_and_limits_offices(workdir, servers):
    url = f"sqlite://{workdir}/city.sqlite"
    assert run_cli("demo", "--database", url).returncode == 0
    assert run_cli("users", "add", "--login", "kimura", "--role", "staff", "--office", "seki", "--password-stdin",
                   "--database", url, stdin="seki no madoguchi\n").returncode == 0
    server = servers("--database", url)
    staff = server.sign_in("kimura", "seki no madoguchi")
    assert staff.post(server.base + "/api/v1/counters/seki-1/call-next").status_code == 204
    refused = staff.post(server.base + "/api/v1/counters/nerima-1/call-next")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_database_url_from_the_environment_and_bad_urls(workdir):
    env_url = f"sqlite://{workdir}/from-env.sqlite"
    assert run_cli("migrate", env={"MADOGUCHI_DATABASE_URL": env_url}).returncode == 0
    assert (workdir / "from-env.sqlite").exists()
    bad = run_cli("migrate", "--database", "mysql://somewhere/db")
    assert bad.returncode != 0 and "データベースURLの形式" in bad.stderr
