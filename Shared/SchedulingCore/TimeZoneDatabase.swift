import Foundation

/// The names of the machine's IANA time-zone database: every zone and every link (`Asia/Kolkata`
/// and its old name `Asia/Calcutta`, `US/Pacific`, `CET`, `UTC`, `Etc/GMT+5`, …).
///
/// This is the one list the services accept zone names from. `TimeZone.knownTimeZoneIdentifiers`
/// is not it: that lists ICU's canonical ids only, and leaves out about a quarter of the database,
/// among them the names most people use (`Asia/Kolkata`, `America/Argentina/Buenos_Aires`'s link
/// `America/Buenos_Aires`). `TimeZone(identifier:)` is not it either: it also takes strings that name
/// no zone of the database (`GMT+5`). The database is read once, from the `tzdata` package
/// (`$TZDIR` or `/usr/share/zoneinfo`): its `tzdata.zi` lists every zone (`Z name …`) and link
/// (`L target name`). Reading a constant system file once is no more I/O than `TimeZone` itself does.
package struct TimeZoneDatabase: Sendable {
    /// Every zone and link name of the database that names a zone here (the keys of `zones`).
    package let names: Set<String>
    /// Each link's target (`Asia/Calcutta` → `Asia/Kolkata`).
    package let links: [String: String]
    /// The zone of each name, resolved once: a look-up is a dictionary read, never Foundation's
    /// process-wide time-zone cache (the slots route checks a name on every request). A name the
    /// toolchain's ICU data cannot open, nor its link's target (a zone newer than ICU), is left
    /// out, so no name is listed that the API would then refuse.
    package let zones: [String: TimeZone]

    /// The machine's database, read once (services read it at start: `ServiceApplication`).
    package static let system = TimeZoneDatabase.load()

    package init(names: Set<String>, links: [String: String]) {
        self.links = links
        var zones: [String: TimeZone] = [:]
        for name in names {
            // ICU knows every name of the database but may, in a build older than the tzdata
            // package, lack a new link: then the link's target is the same zone.
            if let zone = TimeZone(identifier: name) ?? links[name].flatMap({ TimeZone(identifier: $0) }) {
                zones[name] = zone
            }
        }
        self.zones = zones
        self.names = Set(zones.keys)
    }

    /// Reads `tzdata.zi` from `directory` (by default `$TZDIR`, else `/usr/share/zoneinfo`); where a
    /// system has no `tzdata.zi`, the TZif files of the folder; where it has neither, ICU's list.
    package static func load(directory: String? = nil) -> TimeZoneDatabase {
        let folder = directory ?? ProcessInfo.processInfo.environment["TZDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/zoneinfo"
        if let text = try? String(contentsOfFile: folder + "/tzdata.zi", encoding: .utf8) {
            let database = parse(tzdataZi: text)
            if !database.names.isEmpty { return database }
        }
        let scanned = scan(folder: folder)
        if !scanned.isEmpty { return TimeZoneDatabase(names: scanned, links: [:]) }
        return TimeZoneDatabase(names: Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC", "Etc/UTC"]), links: [:])
    }

    /// The names in the text of a `tzdata.zi` (zic's compact input format).
    package static func parse(tzdataZi text: String) -> TimeZoneDatabase {
        var names = Set<String>()
        var links: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, fields[0] == "Z" {
                names.insert(String(fields[1]))
            } else if fields.count >= 3, fields[0] == "L" {
                names.insert(String(fields[2]))
                links[String(fields[2])] = String(fields[1])
            }
        }
        return TimeZoneDatabase(names: names, links: links)
    }

    /// The files of `folder` that begin with TZif's magic, named by their relative paths; `posix/`
    /// and `right/` copies, `posixrules` and `localtime` (a pointer to the machine's own zone) are
    /// not zone names.
    private static func scan(folder: String) -> Set<String> {
        let skipped: Set<String> = ["posix", "right", "posixrules", "localtime"]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var names = Set<String>()
        while let path = walker.nextObject() as? String {
            if skipped.contains(path) { walker.skipDescendants(); continue }
            guard let handle = FileHandle(forReadingAtPath: folder + "/" + path) else { continue }
            let magic = (try? handle.read(upToCount: 4)) ?? nil
            try? handle.close()
            if magic == Data("TZif".utf8) { names.insert(path) }
        }
        return names
    }

    /// The zone `name` denotes, or `nil` when the name is not in this database.
    package func zone(named name: String) -> TimeZone? {
        zones[name]
    }
}

/// A time zone together with the name it was given, which is what the API answers with:
/// Foundation reports some zones under another spelling (`UTC` comes back as `GMT`).
package struct NamedTimeZone: Hashable, Sendable {
    /// The tz database name, exactly as given.
    package let name: String
    /// The zone it names.
    package let timeZone: TimeZone

    /// The zone called `name` in the machine's tz database, or `nil` when there is none
    /// (`Mars/Olympus`, `utc+5`, `GMT+5`, an empty string, another letter case).
    package init?(_ name: String, in database: TimeZoneDatabase = .system) {
        guard let zone = database.zone(named: name) else { return nil }
        self.name = name
        self.timeZone = zone
    }

    /// A name read back from storage: one the database no longer has (a zone removed by a newer
    /// tzdata) still opens if Foundation can, so stored data keeps working; nil only when neither can.
    package init?(stored name: String, in database: TimeZoneDatabase = .system) {
        guard let zone = database.zone(named: name) ?? TimeZone(identifier: name) else { return nil }
        self.name = name
        self.timeZone = zone
    }

    /// The message a `validation_failed` entry gives for a name that is not a zone.
    package static let invalidMessage = "must be an IANA time zone name such as America/New_York"
}
