import MadoguchiCore

/// A demo city modelled on Nerima ward (seed 000 §6.1.1, §6.1.2): the main office with a three-stage resident
/// registration service and a MyNumber-card corner, and five branch offices with two to four services each.
public enum DemoCity {
    public static var layout: OfficeLayout {
        var offices: [Office] = []
        var services: [Service] = []
        var counters: [Counter] = []

        func service(_ office: String, _ id: String, _ name: String, _ prefix: String, _ range: ClosedRange<Int>, _ stages: [(String, String)]) {
            services.append(
                Service(
                    id: "\(office)-\(id)", officeID: office, name: name, prefix: prefix, numberRange: NumberRange(range.lowerBound, range.upperBound),
                    route: stages.map { Stage(id: "\(office)-\(id)-\($0.0)", name: $0.1, names: stageNames[$0.0]) },
                    names: translations[id] ?? .empty,
                    // Moving in or out takes several steps: the stub lets the first counter keep the paperwork with the number.
                    ticketStyle: id == "juki" ? .twoPart : .single, procedure: id,
                    // Certificates can be taken from home; the visitor checks in on arrival.
                    webTicketing: id == "shomei" ? WebTicketingRules(dailyQuota: 60, hourlyQuota: 15, checkInRequired: true, holdMinutes: 10) : nil))
            services[services.count - 1].icon = looks[id]?.icon
            services[services.count - 1].colour = looks[id]?.colour
        }
        func counter(_ office: String, _ number: Int, _ name: String, _ stages: [String], names: LocalizedText? = nil) {
            counters.append(
                Counter(
                    id: "\(office)-\(number)", officeID: office, name: name, stageIDs: stages.map { "\(office)-\($0)" },
                    names: names ?? LocalizedText(ja: name, en: "Counter \(number)", zhHans: "\(number)号窗口", ko: "\(number)번 창구")))
        }
        func counterNames(_ number: Int, _ stage: String) -> LocalizedText {
            let names = stageNames[stage]
            return LocalizedText(
                ja: "\(number)番窓口（\(names?.text(.ja) ?? "")）", en: "Counter \(number) (\(names?.text(.en) ?? ""))",
                zhHans: "\(number)号窗口（\(names?.text(.zhHans) ?? "")）", ko: "\(number)번 창구(\(names?.text(.ko) ?? ""))")
        }
        func cardCounterNames(_ number: Int) -> LocalizedText {
            LocalizedText(ja: "マイナンバーカード\(number)番", en: "My Number Card \(number)", zhHans: "个人编号卡\(number)号", ko: "마이넘버 카드 \(number)번")
        }

        // 練馬区民事務所（本庁舎1階）
        offices.append(Office(id: "nerima", name: "練馬区民事務所", names: officeNames["nerima"] ?? .empty))
        service("nerima", "juki", "住民異動届（転入・転出・転居）", "A", 1...299, [("uketsuke", "受付"), ("shinsa", "審査"), ("kofu", "交付")])
        service("nerima", "shomei", "住民票・印鑑証明", "B", 300...599, [("uketsuke", "受付"), ("kofu", "交付")])
        service("nerima", "inkan", "印鑑登録", "C", 600...799, [("uketsuke", "受付"), ("kofu", "交付")])
        service("nerima", "mynumber", "マイナンバーカード交付コーナー", "M", 800...999, [("uketsuke", "受付"), ("kofu", "交付")])
        for n in 1...4 { counter("nerima", n, "\(n)番窓口（受付）", ["juki-uketsuke", "shomei-uketsuke", "inkan-uketsuke"], names: counterNames(n, "uketsuke")) }
        for n in 5...8 { counter("nerima", n, "\(n)番窓口（審査）", ["juki-shinsa"], names: counterNames(n, "shinsa")) }
        for n in 9...11 { counter("nerima", n, "\(n)番窓口（交付）", ["juki-kofu", "shomei-kofu", "inkan-kofu"], names: counterNames(n, "kofu")) }
        for n in 12...13 { counter("nerima", n, "マイナンバーカード\(n - 11)番", ["mynumber-uketsuke"], names: cardCounterNames(n - 11)) }
        for n in 14...15 { counter("nerima", n, "マイナンバーカード\(n - 11)番", ["mynumber-kofu"], names: cardCounterNames(n - 11)) }

        // Branch offices: 区民事務所 with 2–4 services each.
        let branches: [(String, String, [(String, String, String)], Int)] = [
            ("hikarigaoka", "光が丘区民事務所", [("juki", "住民異動届", "A"), ("shomei", "住民票・印鑑証明", "B"), ("koseki", "戸籍証明", "C"), ("mynumber", "マイナンバーカード", "M")], 6),
            ("shakujii", "石神井区民事務所", [("juki", "住民異動届", "A"), ("shomei", "住民票・印鑑証明", "B"), ("mynumber", "マイナンバーカード", "M")], 5),
            ("oizumi", "大泉区民事務所", [("juki", "住民異動届", "A"), ("shomei", "住民票・印鑑証明", "B"), ("mynumber", "マイナンバーカード", "M")], 4),
            ("hayamiya", "早宮区民事務所", [("juki", "住民異動届", "A"), ("shomei", "住民票・印鑑証明", "B")], 3),
            ("seki", "関区民事務所", [("juki", "住民異動届", "A"), ("shomei", "住民票・印鑑証明", "B")], 3)
        ]
        for (office, name, offered, counterCount) in branches {
            offices.append(Office(id: office, name: name, names: officeNames[office] ?? .empty))
            for (index, (id, serviceName, prefix)) in offered.enumerated() {
                let start = index * 200 + 1
                let stages = id == "juki" ? [("uketsuke", "受付"), ("kofu", "交付")] : [("uketsuke", "受付")]
                service(office, id, serviceName, prefix, start...(start + 198), stages)
            }
            let allStages = services.filter { $0.officeID == office }.flatMap { $0.route.map(\.id) }
                .map { String($0.dropFirst(office.count + 1)) }
            for n in 1...counterCount {
                // The last counter of a branch hands out documents; the others take every first stage.
                let stages =
                    n == counterCount
                    ? allStages.filter { $0.hasSuffix("-kofu") } + ["shomei-uketsuke"]
                    : allStages.filter { $0.hasSuffix("-uketsuke") }
                counter(office, n, "\(n)番窓口", stages)
            }
        }
        return OfficeLayout(
            offices: offices, services: services, counters: counters,
            kiosks: offices.map { kiosk(for: $0, services: services) } + [secondFloorKiosk(services: services)],
            monitors: offices.flatMap(monitors(for:)), reservations: reservations,
            // A made-up emblem: the demo is modelled on Nerima but is not the ward's own.
            city: CityProfile(
                name: "練馬区（デモ）",
                names: LocalizedText(
                    ja: "練馬区（デモ）", en: "Nerima City (demo)",
                    zhHans: "练马区（演示）", ko: "네리마구(데모)"),
                emblem: "/static/demo-emblem.svg"))
    }

    /// Bookable procedures (R1, R4): MyNumber-card pickup with imported IDs at the four offices with a card corner
    /// (Saturdays at 練馬 for every ID), and a moving-in consultation at 練馬 without an ID.
    static var reservations: ReservationSettings {
        let cardOffices = ["nerima", "hikarigaoka", "shakujii", "oizumi"]
        let weekdays = [2, 3, 4, 5, 6]
        let cardBands =
            cardOffices.flatMap { office in
                [
                    SlotTemplate(officeID: office, weekdays: weekdays, from: 9 * 60, until: 12 * 60, slotMinutes: 30, capacity: 8),
                    SlotTemplate(officeID: office, weekdays: weekdays, from: 13 * 60, until: 16 * 60 + 30, slotMinutes: 30, capacity: 8)
                ]
            } + [SlotTemplate(officeID: "nerima", weekdays: [7], from: 9 * 60, until: 16 * 60, slotMinutes: 30, capacity: 10)]
        return ReservationSettings(
            officeCodes: ["1201": "nerima", "1202": "hikarigaoka", "1203": "shakujii", "1204": "oizumi"],
            procedures: [
                ReservationProcedure(
                    id: "mynumber-card", name: "マイナンバーカードの受け取り",
                    names: LocalizedText(ja: "マイナンバーカードの受け取り", en: "My Number Card pickup", zhHans: "领取个人编号卡", ko: "마이넘버 카드 수령"),
                    requiresReservationID: true, offices: cardOffices,
                    serviceIDs: Dictionary(uniqueKeysWithValues: cardOffices.map { ($0, "\($0)-mynumber") }),
                    templates: cardBands, saturdayOfficeID: "nerima",
                    bring: LocalizedText(
                        ja: "交付通知書（はがき）\n本人確認書類（運転免許証・パスポートなど）\n通知カード・住民基本台帳カード（お持ちの方）\n今お持ちのマイナンバーカード（更新の方）",
                        en:
                            "The notice of issue (postcard)\nProof of identity (driver's licence, passport, …)\nNotification card or Basic Resident Register card, if you have one\nYour current My Number Card, if you are renewing it",
                        zhHans: "交付通知书（明信片）\n身份证明文件（驾驶证、护照等）\n通知卡·住民基本台账卡（如持有）\n现有的个人编号卡（更新者）",
                        ko: "교부 통지서(엽서)\n본인 확인 서류(운전면허증·여권 등)\n통지 카드·주민기본대장 카드(소지자)\n현재 마이넘버 카드(갱신하는 분)")),
                ReservationProcedure(
                    id: "moving-consultation", name: "転入・転出の事前相談",
                    names: LocalizedText(ja: "転入・転出の事前相談", en: "Moving in / out consultation", zhHans: "迁入·迁出事先咨询", ko: "전입·전출 사전 상담"),
                    offices: ["nerima"], serviceIDs: ["nerima": "nerima-juki"],
                    templates: [
                        SlotTemplate(officeID: "nerima", weekdays: weekdays, from: 9 * 60, until: 11 * 60 + 30, slotMinutes: 15, capacity: 2),
                        SlotTemplate(officeID: "nerima", weekdays: weekdays, from: 14 * 60, until: 16 * 60, slotMinutes: 15, capacity: 2)
                    ],
                    openDaysAhead: 30, closeBusinessDays: 1,
                    bring: LocalizedText(
                        ja: "本人確認書類（運転免許証・マイナンバーカードなど）\n転出証明書（他の市区町村から転入する方）",
                        en: "Proof of identity (driver's licence, My Number Card, …)\nCertificate of moving out, if you move in from another municipality",
                        zhHans: "身份证明文件（驾驶证、个人编号卡等）\n迁出证明书（从其他市区町村迁入者）",
                        ko: "본인 확인 서류(운전면허증·마이넘버 카드 등)\n전출 증명서(다른 시구정촌에서 전입하는 분)"))
            ])
    }

    /// Reservation IDs as if imported from the card centre's list (R4); the first two ask for a date of birth.
    public static let reservationIDs: [ImportedReservationID] = [
        ImportedReservationID(id: "NRM10001", officeCode: "1201", birthDate: "1985-04-12"),
        ImportedReservationID(id: "HKR20002", officeCode: "1202", birthDate: "1952-11-03"),
        ImportedReservationID(id: "NRM10003", officeCode: "1201"),
        ImportedReservationID(id: "SKJ30004", officeCode: "1203"),
        ImportedReservationID(id: "OIZ40005", officeCode: "1204")
    ]

    /// Office names for visitors.
    static let officeNames: [String: LocalizedText] = [
        "nerima": LocalizedText(ja: "練馬区民事務所", en: "Nerima Residents' Office", zhHans: "练马区民事务所", ko: "네리마 구민사무소"),
        "hikarigaoka": LocalizedText(ja: "光が丘区民事務所", en: "Hikarigaoka Residents' Office", zhHans: "光之丘区民事务所", ko: "히카리가오카 구민사무소"),
        "shakujii": LocalizedText(ja: "石神井区民事務所", en: "Shakujii Residents' Office", zhHans: "石神井区民事务所", ko: "샤쿠지이 구민사무소"),
        "oizumi": LocalizedText(ja: "大泉区民事務所", en: "Oizumi Residents' Office", zhHans: "大泉区民事务所", ko: "오이즈미 구민사무소"),
        "hayamiya": LocalizedText(ja: "早宮区民事務所", en: "Hayamiya Residents' Office", zhHans: "早宫区民事务所", ko: "하야미야 구민사무소"),
        "seki": LocalizedText(ja: "関区民事務所", en: "Seki Residents' Office", zhHans: "关区民事务所", ko: "세키 구민사무소")
    ]

    /// Stage names for visitors, by the demo's stage key.
    static let stageNames: [String: LocalizedText] = [
        "uketsuke": LocalizedText(ja: "受付", en: "Reception", zhHans: "受理", ko: "접수"),
        "shinsa": LocalizedText(ja: "審査", en: "Review", zhHans: "审查", ko: "심사"),
        "kofu": LocalizedText(ja: "交付", en: "Pickup", zhHans: "领取", ko: "교부")
    ]

    /// The kiosk's icon and button colour per service (each dark enough for white text at 7:1 or more).
    static let looks: [String: (icon: String, colour: String)] = [
        "juki": ("🏠", "#0031d8"), "shomei": ("📄", "#1b5e20"), "inkan": ("🖋", "#5b2a86"),
        "koseki": ("📜", "#7a3300"), "mynumber": ("💳", "#004d5a")
    ]

    /// Service names for visitors, by the demo's service key.
    static let translations: [String: LocalizedText] = [
        "juki": LocalizedText(ja: "住民異動届", en: "Moving in / out notification", zhHans: "住址变更申报", ko: "전입·전출 신고"),
        "shomei": LocalizedText(ja: "住民票・印鑑証明", en: "Residence & seal certificates", zhHans: "住民票及印章证明", ko: "주민표·인감 증명"),
        "inkan": LocalizedText(ja: "印鑑登録", en: "Seal registration", zhHans: "印章登记", ko: "인감 등록"),
        "koseki": LocalizedText(ja: "戸籍証明", en: "Family register certificates", zhHans: "户籍证明", ko: "호적 증명"),
        "mynumber": LocalizedText(ja: "マイナンバーカード", en: "My Number Card", zhHans: "个人编号卡", ko: "마이넘버 카드")
    ]

    /// One kiosk per office (`{office}-kiosk`): every service on weekdays; on Saturdays (土曜開庁) only certificates
    /// and My Number cards where the office offers them.
    static func kiosk(for office: Office, services: [Service]) -> Kiosk {
        let offered = services.filter { $0.officeID == office.id }.map(\.id)
        let saturday = offered.filter { $0.hasSuffix("-shomei") || $0.hasSuffix("-mynumber") }
        return Kiosk(
            id: "\(office.id)-kiosk", officeID: office.id, name: "\(office.name) 発券機", printMode: .browser,
            announcement: LocalizedText(
                ja: "マイナンバーカードの交付は予約制です。", en: "My Number Card pickup requires a reservation.",
                zhHans: "个人编号卡的领取需要预约。", ko: "마이넘버 카드 교부는 예약제입니다."),
            menuSets: [MenuSet(id: "weekday", name: "平日", serviceIDs: offered), MenuSet(id: "saturday", name: "土曜開庁", serviceIDs: saturday)],
            schedule: [MenuScheduleRule(weekdays: [7], from: 0, until: 24 * 60, menuSetID: "saturday")],
            defaultMenuSetID: "weekday")
    }

    /// 練馬's second kiosk prints on a thermal printer through `madoguchi print-agent` (Q4's ESC/POS path).
    static func secondFloorKiosk(services: [Service]) -> Kiosk {
        let offered = services.filter { $0.officeID == "nerima" }.map(\.id)
        return Kiosk(
            id: "nerima-kiosk-2", officeID: "nerima", name: "練馬区民事務所 発券機（2）", printMode: .agent,
            ticketFooter: LocalizedText(ja: "番号をお呼びするまで、お近くでお待ちください。\nQRコードから待ち状況を確認できます。"),
            menuSets: [MenuSet(id: "weekday", name: "平日", serviceIDs: offered)], defaultMenuSetID: "weekday")
    }

    /// A lobby monitor (`{office}-lobby`) and a backyard monitor (`{office}-backyard`) per office.
    static func monitors(for office: Office) -> [Monitor] {
        [
            Monitor(
                id: "\(office.id)-lobby", officeID: office.id, kind: .lobby, name: "待合モニター",
                ticker: LocalizedText(ja: "番号をお呼びしたら窓口へお越しください。", en: "Please come to the counter when your number is called."),
                voiceGender: .female, volume: 0.8, announceLanguages: [.ja, .en], rotationSeconds: 8),  // languages alternate every 8 s
            Monitor(
                id: "\(office.id)-backyard", officeID: office.id, kind: .backyard, name: "バックヤード", rotationSeconds: 10,
                amberMinutes: 20, redMinutes: 40)
        ]
    }

    /// Demo sign-ins, created only by `madoguchi demo` / `serve --demo` into an empty database.
    public static let users: [(login: String, role: Role, offices: [String], password: String)] = [
        ("admin", .admin, [], "madoguchi-demo"),
        ("nerima-staff", .staff, ["nerima"], "madoguchi-demo"),
        ("nerima-manager", .officeManager, ["nerima"], "madoguchi-demo"),
        ("statistics", .statisticsViewer, ["nerima", "hikarigaoka", "shakujii", "oizumi", "hayamiya", "seki"], "madoguchi-demo"),
        ("reservations", .reservationStaff, ["nerima"], "madoguchi-demo")
    ]
}
