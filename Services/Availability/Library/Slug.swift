import Foundation

/// URL slugs of users and meeting types: `[a-z0-9-]`, 1 to 64 characters.
enum Slug {
    static let maximumLength = 64

    /// First path segments the gateway serves itself (`/api`, `/assets/…`, `/host/…`, `/bookings/…`):
    /// a host with one of them as its slug would have a booking link that opens something else.
    static let reservedForHosts: Set<String> = ["api", "assets", "host", "bookings"]

    /// Whether `text` is a valid slug.
    static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumLength
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
    }

    /// Whether `text` is a valid slug for a host: valid, and not a path the gateway keeps.
    static func isValidForHost(_ text: String) -> Bool {
        isValid(text) && !reservedForHosts.contains(text)
    }

    /// A slug made from a person's name (`"Ada Lovelace"` → `ada-lovelace`); `user` when nothing is left.
    static func derived(from name: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased().unicodeScalars {
            let value = scalar.value
            let isAllowed = (value >= 0x61 && value <= 0x7a) || (value >= 0x30 && value <= 0x39)
            if isAllowed {
                if pendingDash && !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(scalar)
                pendingDash = false
            } else {
                pendingDash = true
            }
            if out.utf8.count >= 40 { break }
        }
        if out.isEmpty { return "user" }
        return reservedForHosts.contains(out) ? out + "-1" : out
    }
}
