import MadoguchiCore

/// Small layouts tests build their scenarios on.
public enum TestLayouts {
    /// One office: service A (1–100) with the route 受付 → 審査 → 交付, service B (200–300) with one stage;
    /// counters: c1, c2 (受付 of A and B), c3 (審査), c4 (交付). A second office `other` with one service and counter.
    public static var city: OfficeLayout {
        OfficeLayout(
            offices: [Office(id: "main", name: "本庁舎"), Office(id: "other", name: "支所")],
            services: [
                Service(
                    id: "a", officeID: "main", name: "住民異動", prefix: "A", numberRange: NumberRange(1, 100),
                    route: [Stage(id: "a-1", name: "受付"), Stage(id: "a-2", name: "審査"), Stage(id: "a-3", name: "交付")]),
                Service(
                    id: "b", officeID: "main", name: "証明書", prefix: "B", numberRange: NumberRange(200, 300),
                    route: [Stage(id: "b-1", name: "受付")]),
                Service(
                    id: "x", officeID: "other", name: "支所業務", prefix: "X", numberRange: NumberRange(1, 999),
                    route: [Stage(id: "x-1", name: "受付")])
            ],
            counters: [
                Counter(id: "c1", officeID: "main", name: "1番", stageIDs: ["a-1", "b-1"]),
                Counter(id: "c2", officeID: "main", name: "2番", stageIDs: ["a-1", "b-1"]),
                Counter(id: "c3", officeID: "main", name: "3番", stageIDs: ["a-2"]),
                Counter(id: "c4", officeID: "main", name: "4番", stageIDs: ["a-3"]),
                Counter(id: "x1", officeID: "other", name: "支所1番", stageIDs: ["x-1"])
            ])
    }

    /// `city` with a screen-only kiosk `k1` (weekday menu A and B; Saturdays only B), a kiosk `k2` whose tickets a
    /// print agent prints, and a lobby and a backyard monitor.
    public static var cityWithDevices: OfficeLayout {
        let base = city
        return OfficeLayout(
            offices: base.offices, services: base.services, counters: base.counters,
            kiosks: [
                Kiosk(
                    id: "k1", officeID: "main", name: "発券機1", printMode: .browser,
                    menuSets: [MenuSet(id: "weekday", name: "平日", serviceIDs: ["a", "b"]), MenuSet(id: "saturday", name: "土曜", serviceIDs: ["b"])],
                    schedule: [MenuScheduleRule(weekdays: [7], from: 8 * 60 + 30, until: 12 * 60, menuSetID: "saturday")],
                    defaultMenuSetID: "weekday"),
                Kiosk(
                    id: "k2", officeID: "main", name: "発券機2", printMode: .agent,
                    menuSets: [MenuSet(id: "all", name: "全業務", serviceIDs: ["a", "b"])], defaultMenuSetID: "all")
            ],
            monitors: [
                Monitor(id: "lobby", officeID: "main", kind: .lobby, name: "待合"),
                Monitor(id: "back", officeID: "main", kind: .backyard, name: "バックヤード", amberMinutes: 10, redMinutes: 30)
            ])
    }

    /// One service whose range holds only `size` numbers, to exercise wrapping and exhaustion.
    public static func tiny(size: Int) -> OfficeLayout {
        OfficeLayout(
            offices: [Office(id: "main", name: "本庁舎")],
            services: [Service(id: "t", officeID: "main", name: "小", prefix: "T", numberRange: NumberRange(1, size), route: [Stage(id: "t-1", name: "受付")])],
            counters: [Counter(id: "t1", officeID: "main", name: "1番", stageIDs: ["t-1"])])
    }
}

extension TestLayouts {
    /// `cityWithDevices` with two bookable procedures: `card` (imported IDs; office codes 0001 = main, 0002 = other; Saturdays at
    /// main for every ID; weekday slots 9:00–12:00 of 30 minutes for 8, Saturday 9:00–11:00 at main) and `consult`
    /// (no ID, main only, 10:00–10:30 in one 30-minute slot for 50). Checked-in bookings queue for `b` and `x`.
    public static var cityWithReservations: OfficeLayout {
        let base = cityWithDevices
        let weekdays = [2, 3, 4, 5, 6]
        return OfficeLayout(
            offices: base.offices, services: base.services, counters: base.counters, kiosks: base.kiosks, monitors: base.monitors,
            reservations: ReservationSettings(
                officeCodes: ["0001": "main", "0002": "other"],
                procedures: [
                    ReservationProcedure(
                        id: "card", name: "カード受取", requiresReservationID: true, offices: ["main", "other"], serviceIDs: ["main": "b", "other": "x"],
                        templates: [
                            SlotTemplate(officeID: "main", weekdays: weekdays, from: 540, until: 720, slotMinutes: 30, capacity: 8),
                            SlotTemplate(officeID: "other", weekdays: weekdays, from: 540, until: 720, slotMinutes: 30, capacity: 8),
                            SlotTemplate(officeID: "main", weekdays: [7], from: 540, until: 660, slotMinutes: 30, capacity: 8)
                        ],
                        saturdayOfficeID: "main"),
                    ReservationProcedure(
                        id: "consult", name: "相談", offices: ["main"], serviceIDs: ["main": "a"],
                        templates: [SlotTemplate(officeID: "main", weekdays: weekdays, from: 600, until: 630, slotMinutes: 30, capacity: 50)])
                ]))
    }
}
