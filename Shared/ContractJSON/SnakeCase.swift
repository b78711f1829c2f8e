import Foundation

/// Foundation's key conversions, reproduced exactly, so that our keys match what
/// `JSONEncoder`'s `.convertToSnakeCase` and `JSONDecoder`'s `.convertFromSnakeCase` produce.
///
/// Camel to snake (`durationMinutes` → `duration_minutes`, `meetingTypeID` → `meeting_type_id`,
/// `myURLValue` → `my_url_value`): split before an upper-case letter that follows a lower-case
/// one, split a run of capitals before its last capital when a lower-case letter follows,
/// join with `_`, lower-case everything. The first character never starts a new word.
/// Snake to camel (`duration_minutes` → `durationMinutes`): keep leading and trailing `_`,
/// drop the inner ones, lower-case the first word and capitalize the others
/// (`meeting_type_id` → `meetingTypeId`, which is why decoding looks keys up the other way).
package enum SnakeCase {
    /// `key` as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it.
    package static func fromCamelCase(_ key: String) -> String {
        var key = key
        let ascii: String? = key.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // A word break adds one `_` after at least one character, so 2n bytes always do.
            return String(unsafeUninitializedCapacity: max(2 * bytes.count, 1)) { buffer in
                var count = 0
                forEachSnakeCaseByte(ofASCII: bytes) { byte in
                    buffer[count] = byte
                    count += 1
                }
                return count
            }
        }
        return ascii ?? unicodeFromCamelCase(key)
    }

    /// `key` as `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase` reads it.
    package static func toCamelCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        guard let firstNonUnderscore = key.firstIndex(where: { $0 != "_" }) else { return key }
        var lastNonUnderscore = key.index(before: key.endIndex)
        while lastNonUnderscore > firstNonUnderscore, key[lastNonUnderscore] == "_" {
            key.formIndex(before: &lastNonUnderscore)
        }
        let leading = key[key.startIndex..<firstNonUnderscore]
        let trailing = key[key.index(after: lastNonUnderscore)...]
        let components = key[firstNonUnderscore...lastNonUnderscore].split(separator: "_")
        let joined = components.count == 1
            ? String(key[firstNonUnderscore...lastNonUnderscore])
            : ([components[0].lowercased()] + components.dropFirst().map(\.capitalized)).joined()
        return leading + joined + trailing
    }

    /// Appends the snake-case form of an ASCII `key` to `output`, ready to sit between quotes
    /// in JSON (no byte needs escaping); `false`, with `output` untouched, for any other key.
    /// The encoder's path: no `String` is made for the key.
    static func appendFromCamelCase(_ key: String, to output: inout [UInt8]) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(2 * bytes.count, 1)) { buffer in
                var count = 0
                forEachSnakeCaseByte(ofASCII: bytes) { byte in
                    buffer[count] = byte
                    count += 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
            }
            return true
        }
    }

    /// Foundation's loop on ASCII bytes, where only A-Z are upper case and only a-z lower case.
    @inline(__always)
    private static func forEachSnakeCaseByte(ofASCII bytes: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) {
        guard !bytes.isEmpty else { return }
        @inline(__always) func isUpper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
        @inline(__always) func isLower(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }
        var firstWord = true
        @inline(__always) func word(_ start: Int, _ end: Int) {
            if !firstWord { emit(UInt8(ascii: "_")) }
            firstWord = false
            var position = start
            while position < end {
                let byte = bytes[position]
                emit(isUpper(byte) ? byte | 0x20 : byte)
                position += 1
            }
        }
        let end = bytes.count
        var wordStart = 0
        var upper = 1
        while true {
            // The next capital at or after `upper`.
            while upper < end, !isUpper(bytes[upper]) { upper += 1 }
            guard upper < end else { break }
            word(wordStart, upper)
            var lower = upper
            while lower < end, !isLower(bytes[lower]) { lower += 1 }
            guard lower < end else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                // A run of capitals is a word of its own, up to the capital before the lower case.
                word(upper, lower - 1)
                wordStart = lower - 1
            }
            upper = lower + 1
        }
        word(wordStart, end)
    }

    /// Foundation's loop over Unicode scalars, for keys outside ASCII.
    private static func unicodeFromCamelCase(_ key: String) -> String {
        let scalars = key.unicodeScalars
        guard !scalars.isEmpty else { return key }
        func first(in range: Range<String.Index>, _ set: CharacterSet) -> String.Index? {
            scalars[range].indices.first { set.contains(scalars[$0]) }
        }
        var words: [Range<String.Index>] = []
        var wordStart = scalars.startIndex
        var searchRange = scalars.index(after: wordStart)..<scalars.endIndex
        while let upper = first(in: searchRange, .uppercaseLetters) {
            words.append(wordStart..<upper)
            searchRange = upper..<searchRange.upperBound
            guard let lower = first(in: searchRange, .lowercaseLetters) else {
                wordStart = searchRange.lowerBound
                break
            }
            if lower == scalars.index(after: upper) {
                wordStart = upper
            } else {
                let beforeLower = scalars.index(before: lower)
                words.append(upper..<beforeLower)
                wordStart = beforeLower
            }
            searchRange = scalars.index(after: lower)..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { String(scalars[$0]).lowercased() }.joined(separator: "_")
    }
}
