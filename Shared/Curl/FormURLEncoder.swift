/// `application/x-www-form-urlencoded` bodies (WHATWG URL §5), as OAuth 2.0 token endpoints
/// take them (RFC 6749 Appendix B).
package enum FormURLEncoder {
    /// Encodes `fields` in order as `name=value` pairs joined by `&`: space becomes `+`,
    /// `*-._`, digits and ASCII letters stay, every other UTF-8 byte becomes `%XX`.
    package static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(encode(component: $0.0))=\(encode(component: $0.1))" }.joined(separator: "&")
    }

    /// Encodes one name or value.
    package static func encode(component: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(component.utf8.count)
        for byte in component.utf8 {
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                output.append(byte)
            case UInt8(ascii: " "):
                output.append(UInt8(ascii: "+"))
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
