import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("/admin/users: offices ticked by name (issue 15, item 18)")
struct UserPageTests {
    @Test("each office is a named check box; ticked boxes give the user those offices; a refused form keeps what was typed")
    func officeCheckBoxes() async throws {
        try await APITestHarness.run { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            // when the page opens, then every office of the city is a check box with its name
            let page = try await h.page("/admin/users", cookie: admin)
            for office in h.t.runtime.layout.current.offices {
                #expect(
                    page.html.contains(
                        #"<label for="new-office-\#(office.id)"><input type="checkbox" id="new-office-\#(office.id)" name="offices" value="\#(office.id)">\#(office.name)</label>"#
                    ))
            }
            // when two boxes are ticked, then the new user serves both offices
            let added = try await h.post(
                form: "login=two-offices&role=staff&offices=main&offices=other&password=initial+pass+99", to: "/admin/users", cookie: admin)
            #expect(added.status == .seeOther)
            let user = try #require(try await h.t.runtime.staffAccess.users.allUsers().first { $0.login == "two-offices" })
            #expect(Set(user.officeIDs) == ["main", "other"])
            // and its row shows both ticked
            let after = try await h.page("/admin/users", cookie: admin)
            #expect(after.html.contains(#"id="offices-\#(user.id)-main" name="offices" value="main" checked"#))
            #expect(after.html.contains(#"id="offices-\#(user.id)-other" name="offices" value="other" checked"#))
            // when a clerk is added without an office, then the error says so and the form keeps login, role and nothing ticked wrongly
            let refused = try await h.post(form: "login=no-office&role=office_manager&password=initial+pass+99", to: "/admin/users", cookie: admin)
            let html = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == .unprocessableContent && html.contains("担当の窓口を1つ以上"))
            #expect(html.contains(#"value="no-office""#) && html.contains(#"<option value="office_manager" selected>"#))
        }
    }

    @Test("/staff lists counters under their office; /staff/devices groups devices by office and gives each a state")
    func groupedByOffice() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            // when the staff menu opens, then each office's counters sit under its name
            let home = try await h.page("/staff", cookie: admin)
            let main = try #require(home.html.range(of: #"<h3 id="counters-main">本庁舎</h3>"#))
            let other = try #require(home.html.range(of: #"<h3 id="counters-other">支所</h3>"#))
            let c1 = try #require(home.html.range(of: #"href="/staff/counter/c1""#))
            let x1 = try #require(home.html.range(of: #"href="/staff/counter/x1""#))
            #expect(main.upperBound < c1.lowerBound && c1.lowerBound < other.lowerBound && other.upperBound < x1.lowerBound)
            // when the devices page opens, then the main office's devices are in its own table, each with a state
            let devices = try await h.page("/staff/devices", cookie: admin)
            #expect(devices.html.contains(#"<table class="device-table device-group" id="devices-main">"#))
            #expect(devices.html.contains("<caption><h2>本庁舎</h2></caption>"))
            // a device never connected says what to do; one that reported says it is fine
            #expect(devices.html.contains("未登録（この端末で「登録して開く」を押してください）"))
            try await h.t.runtime.devices.recordPresence(DevicePresence(kind: .lobby, deviceID: "lobby", lastSeenAt: h.t.clock.now(), connected: true))
            try await h.t.runtime.devices.recordPresence(
                DevicePresence(
                    kind: .backyard, deviceID: "back", lastSeenAt: h.t.clock.now().addingTimeInterval(-86_400),
                    connected: false))
            let seen = try await h.page("/staff/devices", cookie: admin)
            #expect(seen.html.contains("<td>● 接続中</td>") && seen.html.contains("<td>正常</td>"))
            #expect(seen.html.contains("⚠ 応答がありません"))
        }
    }
}
