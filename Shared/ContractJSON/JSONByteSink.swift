import Foundation

/// The output of one encoding: the bytes written so far, and the members of the objects
/// still open (innermost last), kept so each object can be put in key order when it closes.
final class JSONByteSink {
    /// A member written into `bytes` whose object has not closed yet.
    struct PendingMember {
        /// Where the `,` before the member is, or would be (to undo a failed member).
        var commaOffset: Int
        /// The member's text, `"key":value`, in `bytes`.
        var start: Int
        var end: Int
        /// The raw (unescaped) key bytes, in `bytes` or, for keys that needed escaping, in `sortKeys`.
        var keyStart: Int
        var keyEnd: Int
        var keyInSortKeys: Bool
        /// A nested container or super-encoder whose text follows the `:` when the object closes.
        var deferred: JSONStreamEncoder?
    }

    let options: ContractJSONEncoder
    // Only one encoding touches a sink, on one thread, and no access overlaps another:
    // the runtime exclusivity checks on these hot properties were a third of the encode time.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var members: [PendingMember] = []
    @exclusivity(unchecked) var sortKeys: [UInt8] = []
    /// A copy of an object's text while its members are rewritten in order.
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// The encoder whose `encode(to:)` is running: only it may write.
    @exclusivity(unchecked) var active: ObjectIdentifier?

    init(options: ContractJSONEncoder) {
        self.options = options
        bytes.reserveCapacity(512)
        members.reserveCapacity(16)
    }

    // MARK: Values

    /// Writes `value` at the end of `bytes`: the types with a JSON meaning of their own
    /// directly, anything else through its `encode(to:)` with a fresh encoder.
    func encodeValue<T: Encodable>(_ value: T, parent: JSONStreamEncoder?, key: (any CodingKey)?, emptyAsObject: Bool = true) throws {
        if T.self == String.self { return writeString(value as! String) }
        if T.self == Int.self { return writeInteger(value as! Int) }
        if T.self == Bool.self { return writeBool(value as! Bool) }
        if T.self == Double.self { return try writeDouble(value as! Double, path: { Self.path(parent, key) }) }
        if T.self == UUID.self { return writeUUID(value as! UUID) }
        if T.self == Date.self { return writeString(options.dateEncoding(value as! Date)) }
        if T.self == JSONValue.self { return writeJSONValue(value as! JSONValue) }
        if T.self == URL.self { return writeString((value as! URL).absoluteString) }
        if T.self == Decimal.self { return bytes.append(contentsOf: (value as! Decimal).description.utf8) }
        if T.self == Data.self { return writeString((value as! Data).base64EncodedString()) }

        let encoder = JSONStreamEncoder(sink: self, parent: parent, key: key)
        let previous = active
        active = ObjectIdentifier(encoder)
        defer { active = previous }
        if let dictionary = value as? any StringKeyedDictionaryEncodable {
            encoder.openObject()
            try dictionary.encodeRawKeys(with: encoder)
        } else {
            try value.encode(to: encoder)
        }
        encoder.close(emptyAsObject: emptyAsObject)
    }

    static func path(_ parent: JSONStreamEncoder?, _ key: (any CodingKey)?) -> [any CodingKey] {
        (parent?.codingPath ?? []) + (key.map { [$0] } ?? [])
    }

    func writeNull() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    func writeBool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    func writeInteger<T: FixedWidthInteger>(_ value: T) {
        guard T.bitWidth <= 64 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    func writeDouble(_ value: Double, path: () -> [any CodingKey]) throws {
        guard value.isFinite else { throw Self.nonConforming(value, path: path()) }
        writeNumberDescription(value.description)
    }

    func writeFloat(_ value: Float, path: () -> [any CodingKey]) throws {
        guard value.isFinite else { throw Self.nonConforming(value, path: path()) }
        writeNumberDescription(value.description)
    }

    /// A float's `description` less a trailing `.0`: `JSONEncoder`'s spelling.
    private func writeNumberDescription(_ description: String) {
        var text = description
        text.withUTF8 { utf8 in
            var count = utf8.count
            if count >= 2, utf8[count - 2] == UInt8(ascii: "."), utf8[count - 1] == UInt8(ascii: "0") { count -= 2 }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count]))
        }
    }

    private static func nonConforming<T: BinaryFloatingPoint>(_ value: T, path: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, EncodingError.Context(
            codingPath: path, debugDescription: "Unable to encode \(T.self).\(value) directly in JSON."
        ))
    }

    /// `value` in lower case (RFC 9562), where `JSONEncoder` writes `uuidString`'s upper case.
    func writeUUID(_ value: UUID) {
        bytes.append(UInt8(ascii: "\""))
        UUIDText.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        writeEscaped(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The UTF-8 of `value` with `"`, `\` and control characters escaped as `JSONEncoder`
    /// escapes them (`\n`, `\u001f`); `/` and everything else as is.
    func writeEscaped(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for position in 0..<utf8.count {
                let byte = utf8[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                runStart = position + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
    }

    /// A parsed value as it came (number literals untouched), object keys raw and sorted.
    func writeJSONValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let bool): writeBool(bool)
        case .number(let number): bytes.append(contentsOf: number.literal.utf8)
        case .string(let string): writeString(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeJSONValue(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            let sorted = object.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                writeJSONValue(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    // MARK: Objects

    /// Starts a member of the object open in `encoder`: the comma, the key (converted when
    /// `convert`), the colon. Returns its index in `members`.
    func beginMember(_ key: String, convert: Bool, memberBase: Int) -> Int {
        let commaOffset = bytes.count
        if members.count > memberBase { bytes.append(UInt8(ascii: ",")) }
        let start = bytes.count
        bytes.append(UInt8(ascii: "\""))
        var member = PendingMember(
            commaOffset: commaOffset, start: start, end: 0,
            keyStart: start + 1, keyEnd: 0, keyInSortKeys: false, deferred: nil
        )
        if convert, SnakeCase.appendFromCamelCase(key, to: &bytes) {
            member.keyEnd = bytes.count
        } else {
            let name = convert ? SnakeCase.fromCamelCase(key) : key
            let escapedStart = bytes.count
            writeEscaped(name)
            if bytes.count - escapedStart == name.utf8.count {
                member.keyEnd = bytes.count  // nothing escaped: the written bytes are the key
            } else {
                member.keyInSortKeys = true
                member.keyStart = sortKeys.count
                sortKeys.append(contentsOf: name.utf8)
                member.keyEnd = sortKeys.count
            }
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        member.end = bytes.count
        members.append(member)
        return members.count - 1
    }

    /// Records where member `index`'s value ended.
    func endMember(_ index: Int) {
        members[index].end = bytes.count
    }

    /// Undoes member `index` and everything written after it (its value threw), so a caller
    /// that catches the error can go on writing.
    func abandonMember(_ index: Int) {
        bytes.removeSubrange(members[index].commaOffset...)
        members.removeSubrange(index...)
    }

    /// Closes the object that starts at `start` and owns `members[memberBase...]`: when the
    /// keys are not already strictly ascending (or a member is deferred), the members are
    /// rewritten in key order, the last of equal keys kept, deferred text spliced in.
    func closeObject(start: Int, memberBase: Int, sortKeysBase: Int) {
        let count = members.count - memberBase
        defer {
            members.removeSubrange(memberBase...)
            sortKeys.removeSubrange(sortKeysBase...)
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count, 1)) { order in
            let kept = bytes.withUnsafeBufferPointer { output in
                sortKeys.withUnsafeBufferPointer { side in
                    members.withUnsafeBufferPointer { members in
                        Self.order(members[memberBase...], keysIn: output, side, into: order)
                    }
                }
            }
            guard kept > 0 else {
                bytes.append(UInt8(ascii: "}"))
                return
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: bytes[(start + 1)...])
            bytes.removeSubrange((start + 1)...)
            for position in 0..<kept {
                let member = members[order[position]]
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: scratch[(member.start - start - 1)..<(member.end - start - 1)])
                if let deferred = member.deferred {
                    bytes.append(contentsOf: deferred.closeDeferred())
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Fills `order` with the indices of `members` to write, in key order, and returns how
    /// many; 0 when they are already written in strictly ascending order with none deferred.
    private static func order(
        _ members: Slice<UnsafeBufferPointer<PendingMember>>,
        keysIn output: UnsafeBufferPointer<UInt8>, _ side: UnsafeBufferPointer<UInt8>,
        into order: UnsafeMutableBufferPointer<Int>
    ) -> Int {
        @inline(__always) func compare(_ left: Int, _ right: Int) -> Int32 {
            let a = members[left], b = members[right]
            let aBase = (a.keyInSortKeys ? side : output).baseAddress! + a.keyStart
            let bBase = (b.keyInSortKeys ? side : output).baseAddress! + b.keyStart
            let aCount = a.keyEnd - a.keyStart, bCount = b.keyEnd - b.keyStart
            let common = min(aCount, bCount)
            if common > 0 {
                let result = memcmp(aBase, bBase, common)
                if result != 0 { return result }
            }
            return aCount < bCount ? -1 : (aCount > bCount ? 1 : 0)
        }
        let indices = members.indices
        guard !indices.isEmpty else { return 0 }
        var inOrder = true
        for index in indices where members[index].deferred != nil || (index > indices.lowerBound && compare(index - 1, index) >= 0) {
            inOrder = false
            break
        }
        if inOrder { return 0 }
        // Equal keys stay in writing order, so the last written is the last among them.
        func precedes(_ left: Int, _ right: Int) -> Bool {
            let result = compare(left, right)
            return result < 0 || (result == 0 && left < right)
        }
        var count = 0
        for index in indices {
            order[count] = index
            count += 1
        }
        if count <= 24 {
            // Insertion sort: objects are small, and this needs no allocation.
            for position in 1..<max(count, 1) {
                let index = order[position]
                var hole = position
                while hole > 0, precedes(index, order[hole - 1]) {
                    order[hole] = order[hole - 1]
                    hole -= 1
                }
                order[hole] = index
            }
        } else {
            var prefix = UnsafeMutableBufferPointer(rebasing: order[0..<count])
            prefix.sort(by: precedes)
        }
        // Keep the last of each run of equal keys.
        var kept = 0
        for position in 0..<count {
            if position + 1 < count, compare(order[position], order[position + 1]) == 0 { continue }
            order[kept] = order[position]
            kept += 1
        }
        return kept
    }
}
