import Foundation
import Testing
@testable import SchedulingCore

@Suite("The tz database: every zone name the machine has, and nothing else")
struct TimeZoneDatabaseTests {
    /// The zone names read independently of `TimeZoneDatabase`: every TZif file under the system's
    /// zoneinfo folder, as Python's `zoneinfo.available_timezones()` finds them, less `localtime`
    /// (Debian's pointer to the machine's own zone, not a name of the database).
    static let zoneFiles: Set<String> = {
        let folder = "/usr/share/zoneinfo"
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var names = Set<String>()
        while let path = walker.nextObject() as? String {
            if ["posix", "right"].contains(path) { walker.skipDescendants(); continue }
            if ["localtime", "posixrules"].contains(path) { continue }
            guard let data = FileManager.default.contents(atPath: folder + "/" + path) else { continue }
            if data.prefix(4) == Data("TZif".utf8) { names.insert(path) }
        }
        return names
    }()

    @Test("the names are exactly the machine's TZif zone files, among them the ones people use")
    func namesAreTheSystemDatabase() {
        let names = TimeZoneDatabase.system.names
        #expect(names.count >= 590, "only \(names.count) names: is the tzdata package installed?")
        #expect(names == Self.zoneFiles, "missing: \(Self.zoneFiles.subtracting(names).sorted()); extra: \(names.subtracting(Self.zoneFiles).sorted())")
        for name in ["Asia/Kolkata", "Asia/Calcutta", "America/Buenos_Aires", "America/Argentina/Buenos_Aires", "Asia/Saigon",
                     "Asia/Ho_Chi_Minh", "Asia/Istanbul", "Europe/Istanbul", "Canada/Pacific", "Australia/NSW", "Brazil/East",
                     "CET", "CST6CDT", "UTC", "Etc/UTC", "GMT", "Etc/GMT+5", "Europe/Kyiv", "America/Ciudad_Juarez", "Factory"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test("every name opens a zone and keeps the spelling it was given")
    func everyNameOpens() {
        var refused: [String] = []
        var renamed: [String] = []
        for name in TimeZoneDatabase.system.names.sorted() {
            guard let zone = NamedTimeZone(name) else { refused.append(name); continue }
            if zone.name != name { renamed.append(name) }
        }
        #expect(refused.isEmpty, "\(refused)")
        #expect(renamed.isEmpty, "\(renamed)")
        // Foundation calls UTC "GMT"; the name stays what the client sent.
        #expect(NamedTimeZone("UTC")?.name == "UTC")
        #expect(NamedTimeZone("UTC")?.timeZone.secondsFromGMT(for: Date()) == 0)
    }

    @Test("a name that is in no tz database is refused", arguments: [
        "", " ", "Mars/Olympus", "utc+5", "UTC+5", "GMT+5", "GMT+05:00", "+05:30", "asia/kolkata", "ASIA/KOLKATA", "utc",
        " UTC", "UTC ", "Europe/", "/Europe/Paris", "Europe//Paris", "Europe/Paris/", "../zoneinfo/UTC", "posix/UTC",
        "right/UTC", "localtime", "posixrules", "zone.tab", "tzdata.zi", "iso3166.tab", "Asia", "America/New York",
        "Etc/GMT+15", "EST5", "PST", "IST", "Asia/Kolkata\u{0}", "Asia/Kolkata\n",
    ])
    func refused(name: String) {
        #expect(NamedTimeZone(name) == nil, "\(name.debugDescription)")
    }

    @Test("every link keeps its target's offsets, transition by transition, from 1970 to 2037")
    func linksMatchTargets() throws {
        let links = TimeZoneDatabase.system.links
        #expect(links.count >= 100, "only \(links.count) links")
        var mismatches: [String] = []
        for (link, target) in links.sorted(by: { $0.key < $1.key }) {
            let a = try #require(NamedTimeZone(link)).timeZone
            let b = try #require(NamedTimeZone(target)).timeZone
            // Every transition of either zone, and the first of every month between them.
            var instants: [Date] = (0..<(68 * 12)).map { Date(timeIntervalSince1970: Double($0) * 2_629_746) }
            for zone in [a, b] {
                var cursor = Date(timeIntervalSince1970: 0)
                while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < 2_145_916_800 {
                    instants += [next.addingTimeInterval(-1), next]
                    cursor = next
                }
            }
            if let first = instants.first(where: { a.secondsFromGMT(for: $0) != b.secondsFromGMT(for: $0) }) {
                mismatches.append("\(link) → \(target) at \(first)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("a host in a link's name gets the same slots as a host in its target's, across both DST changes of a year")
    func linkSlotsMatchTargets() throws {
        let rules = (0...6).flatMap { [Fixtures.rule($0, "00:00", "03:30"), Fixtures.rule($0, "08:00", "17:00"), Fixtures.rule($0, "22:30", "24:00")] }
        let type = Fixtures.meetingType(duration: 45, interval: 15)
        let first = Fixtures.date("2026-01-01")
        let last = Fixtures.date("2026-12-31")
        var mismatches: [String] = []
        for (link, target) in TimeZoneDatabase.system.links.sorted(by: { $0.key < $1.key }) {
            let linkHost = SchedulingHost(id: Fixtures.hostID, zone: try #require(NamedTimeZone(link)))
            let targetHost = SchedulingHost(id: Fixtures.hostID, zone: try #require(NamedTimeZone(target)))
            #expect(linkHost.timeZoneName == link)
            let viaLink = SlotGenerator(meetingType: type, host: linkHost, weeklyRules: rules)
                .slots(from: first, through: last, in: linkHost.timeZone, now: nil)
            let viaTarget = SlotGenerator(meetingType: type, host: targetHost, weeklyRules: rules)
                .slots(from: first, through: last, in: targetHost.timeZone, now: nil)
            if viaLink != viaTarget { mismatches.append("\(link) → \(target)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("tzdata.zi: zones and links are read, rules and comments are not names")
    func parsesTzdataZi() {
        let text = """
            # version 2025b
            R d 1916 o - Ap 30 23 1 S
            Z Asia/Kolkata 5:53:28 - LMT 1854 Jun 28
            5:30 - IST
            Z Etc/UTC 0 - UTC
            L Asia/Kolkata Asia/Calcutta
            L Etc/UTC UTC
            """
        let database = TimeZoneDatabase.parse(tzdataZi: text)
        #expect(database.names == ["Asia/Kolkata", "Asia/Calcutta", "Etc/UTC", "UTC"])
        #expect(database.links == ["Asia/Calcutta": "Asia/Kolkata", "UTC": "Etc/UTC"])
        #expect(NamedTimeZone("Asia/Calcutta", in: database)?.timeZone.secondsFromGMT(for: Date()) == 19_800)
        #expect(NamedTimeZone("America/New_York", in: database) == nil)
    }

    @Test("a folder without tzdata.zi is read from its TZif files")
    func scansFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/Asia", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/posix/Asia", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tzif = Data("TZif2".utf8) + Data(count: 40)
        for path in ["Asia/Kolkata", "UTC", "posix/Asia/Kolkata", "posixrules", "localtime"] {
            FileManager.default.createFile(atPath: folder + "/" + path, contents: tzif)
        }
        FileManager.default.createFile(atPath: folder + "/zone.tab", contents: Data("# not a zone".utf8))
        #expect(TimeZoneDatabase.load(directory: folder).names == ["Asia/Kolkata", "UTC"])
    }
}
