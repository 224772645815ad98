"""Japan Post's KEN_ALL imported from the command line (Shift_JIS, all or nothing, line errors) and looked up by staff."""
import requests

from conftest import run_cli

GOOD = (
    '13120,"176  ","1760002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","練馬区","桜台",0,0,1,0,0,0\r\n'
    '01101,"060  ","0600042","ﾎｯｶｲﾄﾞｳ","ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ","ｵｵﾄﾞｵﾘﾆｼ(1-19ﾁｮｳﾒ)","北海道","札幌市中央区","大通西（１～１９丁目）",1,0,1,0,0,0\r\n'
    '13103,"105  ","1056090","ﾄｳｷｮｳﾄ","ﾐﾅﾄｸ","ﾄﾗﾉﾓﾝﾋﾙｽﾞﾓﾘﾀﾜｰ","東京都","港区","虎ノ門ヒルズ森タワー（地階・",0,0,0,0,0,0\r\n'
    '13103,"105  ","1056090","ﾄｳｷｮｳﾄ","ﾐﾅﾄｸ","","東京都","港区","階層不明）",0,0,0,0,0,0\r\n'
)


def test_ken_all_is_imported_all_or_nothing_and_staff_look_addresses_up(workdir, servers):
    database = f"sqlite://{workdir}/addresses.sqlite"
    assert run_cli("demo", "--database", database, cwd=workdir).returncode == 0
    bad = workdir / "KEN_ALL_BAD.CSV"
    bad.write_bytes((GOOD + '13120,"176  ","17600","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ﾈﾘﾏ","東京都","練馬区","練馬",0,0,1,0,0,0\r\n').encode("cp932"))
    refused = run_cli("addresses", "import", str(bad), "--database", database, cwd=workdir)
    assert refused.returncode != 0 and "5行3列" in refused.stderr and "何も変更していません" in refused.stderr

    server = servers("--database", database, cwd=workdir)
    staff = server.sign_in("nerima-staff")
    # The demo's sample is still there after the refused import.
    demo = staff.get(server.base + "/api/v1/addresses", params={"postal": "176-0002"}, timeout=10).json()["addresses"]
    assert [a["city"] + a["town"] for a in demo] == ["練馬区桜台"]
    assert requests.get(server.base + "/api/v1/addresses", params={"postal": "1760002"}, timeout=10).status_code == 401
    server.stop()

    good = workdir / "KEN_ALL.CSV"
    good.write_bytes(GOOD.encode("cp932"))
    imported = run_cli("addresses", "import", str(good), "--database", database, cwd=workdir)
    assert imported.returncode == 0, imported.stderr
    assert "3 件" in imported.stdout and "書き込み" in imported.stderr  # the progress bar goes to standard error

    server = servers("--database", database, cwd=workdir)
    staff = server.sign_in("nerima-staff")
    assert staff.get(server.base + "/api/v1/addresses/prefectures", timeout=10).json() == {"prefectures": ["北海道", "東京都"]}
    found = staff.get(server.base + "/api/v1/addresses/search", params={"prefecture": "北", "town": "大通"}, timeout=10).json()["addresses"]
    assert [(a["postalCode"], a["town"], a["townNote"]) for a in found] == [("0600042", "大通西", "１～１９丁目")]
    joined = staff.get(server.base + "/api/v1/addresses", params={"postal": "1056090"}, timeout=10).json()["addresses"]
    assert [(a["town"], a["townNote"]) for a in joined] == [("虎ノ門ヒルズ森タワー", "地階・階層不明")]
    bad_code = staff.get(server.base + "/api/v1/addresses", params={"postal": "12-34"}, timeout=10)
    assert bad_code.status_code == 422 and bad_code.json()["error"]["code"] == "invalid_postal_code"
