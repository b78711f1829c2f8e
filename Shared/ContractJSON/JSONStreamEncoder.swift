import Foundation

/// The `Encoder` for one value being written into a `JSONByteSink`; also its own
/// single-value container.
///
/// It writes at the end of the sink's bytes while its `encode(to:)` runs (the sink checks
/// that no other encoder's container writes meanwhile, which only a container kept past its
/// value's `encode(to:)` could do). Coding paths use the types' own keys, as Foundation's do.
final class JSONStreamEncoder: Encoder, SingleValueEncodingContainer {
    enum Contents {
        case nothing
        case single
        case object
        case array
    }

    let sink: JSONByteSink
    let parent: JSONStreamEncoder?
    let key: (any CodingKey)?
    // Unchecked for the same reason as the sink's properties: one thread, no overlapping access.
    @exclusivity(unchecked) private(set) var contents = Contents.nothing
    /// Where the `{` or `[` is in the sink.
    @exclusivity(unchecked) private var start = 0
    /// The object's first member in `sink.members`, and its first sort-key byte.
    @exclusivity(unchecked) private(set) var memberBase = 0
    @exclusivity(unchecked) private var sortKeysBase = 0
    /// The array's element count, and the elements written later into buffers of their own.
    @exclusivity(unchecked) private(set) var elementCount = 0
    @exclusivity(unchecked) private var deferredElements: [(offset: Int, encoder: JSONStreamEncoder)] = []

    init(sink: JSONByteSink, parent: JSONStreamEncoder?, key: (any CodingKey)?) {
        self.sink = sink
        self.parent = parent
        self.key = key
    }

    /// A root encoder with a buffer of its own, for a nested container or super-encoder
    /// whose text is spliced into this encoder's container when it closes.
    func deferredChild(key: (any CodingKey)?) -> JSONStreamEncoder {
        let child = JSONStreamEncoder(sink: JSONByteSink(options: sink.options), parent: self, key: key)
        child.sink.active = ObjectIdentifier(child)
        return child
    }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var encoder: JSONStreamEncoder? = self
        while let current = encoder {
            if let key = current.key { keys.append(key) }
            encoder = current.parent
        }
        return keys.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { sink.options.userInfo }

    var convertsKeys: Bool {
        if case .convertToSnakeCase = sink.options.keyEncoding { return true }
        return false
    }

    /// Stops a container that outlived its value from writing into someone else's text.
    @inline(__always)
    func checkActive() {
        precondition(sink.active == ObjectIdentifier(self),
                     "a container was used after its value's encode(to:) returned, or while another value was being encoded")
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if contents != .object { openObject() }
        return KeyedEncodingContainer(ObjectEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if contents != .array { openArray() }
        return ArrayEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func openObject() {
        precondition(contents == .nothing, "a keyed container was requested where a value or another container was already encoded")
        checkActive()
        contents = .object
        start = sink.bytes.count
        memberBase = sink.members.count
        sortKeysBase = sink.sortKeys.count
        sink.bytes.append(UInt8(ascii: "{"))
    }

    func openArray() {
        precondition(contents == .nothing, "an unkeyed container was requested where a value or another container was already encoded")
        checkActive()
        contents = .array
        start = sink.bytes.count
        sink.bytes.append(UInt8(ascii: "["))
    }

    /// Writes the closing bytes; an encoder that wrote nothing writes `{}` when
    /// `emptyAsObject` (as Foundation does for nested values), nothing otherwise.
    func close(emptyAsObject: Bool) {
        switch contents {
        case .nothing:
            if emptyAsObject { sink.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        case .single:
            break
        case .object:
            sink.closeObject(start: start, memberBase: memberBase, sortKeysBase: sortKeysBase)
        case .array:
            closeArray()
        }
    }

    /// Closes a deferred root and hands over its text.
    func closeDeferred() -> [UInt8] {
        close(emptyAsObject: true)
        return sink.bytes
    }

    private func closeArray() {
        guard !deferredElements.isEmpty else {
            sink.bytes.append(UInt8(ascii: "]"))
            return
        }
        let body = Array(sink.bytes[(start + 1)...])
        sink.bytes.removeSubrange((start + 1)...)
        var copied = 0
        for (offset, encoder) in deferredElements {
            let relative = offset - start - 1
            sink.bytes.append(contentsOf: body[copied..<relative])
            sink.bytes.append(contentsOf: encoder.closeDeferred())
            copied = relative
        }
        sink.bytes.append(contentsOf: body[copied...])
        sink.bytes.append(UInt8(ascii: "]"))
    }

    // MARK: Members and elements

    /// Writes one member of this encoder's object; `write` puts the value.
    @inline(__always)
    func member(_ key: String, convert: Bool, _ write: () throws -> Void) rethrows {
        checkActive()
        let index = sink.beginMember(key, convert: convert, memberBase: memberBase)
        do {
            try write()
        } catch {
            sink.abandonMember(index)
            throw error
        }
        sink.endMember(index)
    }

    /// A member whose value is written later, by the returned root encoder.
    func deferredMember(_ key: String, convert: Bool, codingKey: any CodingKey) -> JSONStreamEncoder {
        checkActive()
        let index = sink.beginMember(key, convert: convert, memberBase: memberBase)
        let child = deferredChild(key: codingKey)
        sink.members[index].deferred = child
        return child
    }

    /// Writes one element of this encoder's array; `write` puts the value.
    @inline(__always)
    func element(_ write: () throws -> Void) rethrows {
        checkActive()
        let mark = (bytes: sink.bytes.count, members: sink.members.count, sortKeys: sink.sortKeys.count)
        if elementCount > 0 { sink.bytes.append(UInt8(ascii: ",")) }
        do {
            try write()
        } catch {
            // Drop the element's text and whatever members its objects had pending.
            sink.bytes.removeSubrange(mark.bytes...)
            sink.members.removeSubrange(mark.members...)
            sink.sortKeys.removeSubrange(mark.sortKeys...)
            throw error
        }
        elementCount += 1
    }

    /// An element whose value is written later, by the returned root encoder.
    func deferredElement() -> JSONStreamEncoder {
        checkActive()
        if elementCount > 0 { sink.bytes.append(UInt8(ascii: ",")) }
        let child = deferredChild(key: JSONCodingKey(intValue: elementCount))
        deferredElements.append((sink.bytes.count, child))
        elementCount += 1
        return child
    }

    // MARK: SingleValueEncodingContainer

    @inline(__always)
    private func single(_ write: () throws -> Void) rethrows {
        precondition(contents == .nothing, "a single value was encoded where a value or a container was already encoded")
        checkActive()
        try write()
        contents = .single
    }

    func encodeNil() throws { single { sink.writeNull() } }
    func encode(_ value: Bool) throws { single { sink.writeBool(value) } }
    func encode(_ value: String) throws { single { sink.writeString(value) } }
    func encode(_ value: Double) throws { try single { try sink.writeDouble(value, path: { codingPath }) } }
    func encode(_ value: Float) throws { try single { try sink.writeFloat(value, path: { codingPath }) } }
    func encode(_ value: Int) throws { single { sink.writeInteger(value) } }
    func encode(_ value: Int8) throws { single { sink.writeInteger(value) } }
    func encode(_ value: Int16) throws { single { sink.writeInteger(value) } }
    func encode(_ value: Int32) throws { single { sink.writeInteger(value) } }
    func encode(_ value: Int64) throws { single { sink.writeInteger(value) } }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func encode(_ value: Int128) throws { single { sink.writeInteger(value) } }
    func encode(_ value: UInt) throws { single { sink.writeInteger(value) } }
    func encode(_ value: UInt8) throws { single { sink.writeInteger(value) } }
    func encode(_ value: UInt16) throws { single { sink.writeInteger(value) } }
    func encode(_ value: UInt32) throws { single { sink.writeInteger(value) } }
    func encode(_ value: UInt64) throws { single { sink.writeInteger(value) } }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func encode(_ value: UInt128) throws { single { sink.writeInteger(value) } }
    func encode<T: Encodable>(_ value: T) throws { try single { try sink.encodeValue(value, parent: self, key: nil) } }
}
