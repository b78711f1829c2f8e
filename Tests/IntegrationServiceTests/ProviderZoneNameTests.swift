import Foundation
import ICalendar
import SchedulingCore
import Testing
@testable import IntegrationService

/// Zones as calendar providers name them: Google and CalDAV servers write tz database names, Graph
/// and Outlook may write Windows names.
@Suite("Provider zone names")
struct ProviderZoneNameTests {
    @Test("every name of the tz database, as a Google or Graph zone and as an iCalendar TZID, is that zone")
    func everyName() throws {
        let instants = (0..<24).map { Date(timeIntervalSince1970: 1_767_225_600 + Double($0) * 1_314_873) }  // 2026 to 2027, twice a month
        let calendar = ICalendarTimeZones(hostTimeZone: TimeZone(secondsFromGMT: 0)!)
        var wrong: [String] = []
        for name in TimeZoneDatabase.system.names.sorted() {
            let expected = try #require(NamedTimeZone(name)).timeZone
            for (source, zone) in [("provider", ProviderTime.zone(name)), ("TZID", calendar.zone(for: name))] {
                guard let zone else { wrong.append("\(source) \(name): none"); continue }
                if instants.contains(where: { zone.secondsFromGMT(for: $0) != expected.secondsFromGMT(for: $0) }) { wrong.append("\(source) \(name)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    @Test("Graph's Windows names and its UTC", arguments: [
        ("Pacific Standard Time", "America/Los_Angeles"), ("India Standard Time", "Asia/Kolkata"), ("tzone://Microsoft/Utc", "UTC"),
    ])
    func windowsNames(windows: String, iana: String) throws {
        let zone = try #require(ProviderTime.zone(windows))
        let expected = try #require(NamedTimeZone(iana)).timeZone
        for day in 0..<365 {
            let instant = Date(timeIntervalSince1970: 1_767_225_600 + Double(day) * 86_400)
            #expect(zone.secondsFromGMT(for: instant) == expected.secondsFromGMT(for: instant))
        }
    }

    @Test("names of no zone are none", arguments: ["", "Mars/Olympus", "utc+5", "GMT+5"])
    func unknown(name: String) {
        #expect(ProviderTime.zone(name) == nil)
    }
}
