import Cryptography
import Foundation

/// The one cursor format of every list: the sort key of the last item of a page, its fields
/// joined with `|` and base64url-encoded, so clients treat it as opaque (`next_cursor` in, `cursor=`
/// back) and the services can change what is inside without a contract change.
package enum PageCursor {
    /// The cursor of `fields` (none may contain `|`).
    package static func encode(_ fields: [String]) -> String {
        Base64URL.encode(Array(fields.joined(separator: "|").utf8))
    }

    /// The `count` fields of a cursor this API returned, or nil for anything else.
    package static func decode(_ text: String, count: Int) -> [String]? {
        guard text.utf8.count <= 512, let bytes = try? Base64URL.decode(text) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        return fields.count == count ? fields : nil
    }

    /// The message of a `cursor` that is not one.
    package static let invalidMessage = "must be a next_cursor this API returned"
}
