/// Lower-case hexadecimal text for bytes.
package enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes `data` as lower-case hex, two characters a byte.
    package static func encode(_ data: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 2)
        for byte in data {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes hex text (either case); throws `invalidEncoding` for an odd length or a non-hex character.
    package static func decode(_ text: some StringProtocol) throws -> [UInt8] {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { throw CryptographyError(.invalidEncoding, detail: "hex length") }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(of: characters[index]), let low = value(of: characters[index + 1]) else {
                throw CryptographyError(.invalidEncoding, detail: "hex character")
            }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
