import CAMQP

/// C memory for the arguments of one rabbitmq-c call: strings, tables and their entries.
///
/// A pointer taken from a Swift `String` lives only for the closure that produced it, so every
/// string and table handed to rabbitmq-c is copied into an `amqp_pool_t` owned here and freed
/// when the arena goes away (after the call returned). Used on the connection's thread only.
final class AMQPCallArena {
    private let pool: UnsafeMutablePointer<amqp_pool_t>

    init() {
        pool = .allocate(capacity: 1)
        init_amqp_pool(pool, 4096)
    }

    deinit {
        empty_amqp_pool(pool)
        pool.deallocate()
    }

    /// A C copy of the UTF-8 of `text`.
    func bytes(_ text: String) -> amqp_bytes_t {
        bytes(Array(text.utf8))
    }

    /// A C copy of `data`.
    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        guard !data.isEmpty else { return amqp_bytes_t(len: 0, bytes: nil) }
        var output = amqp_bytes_t()
        amqp_pool_alloc_bytes(pool, data.count, &output)
        guard let destination = output.bytes else { fatalError("rabbitmq-c pool allocation failed") }
        data.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress!, byteCount: data.count)
        }
        return output
    }

    /// A C table with copies of every key and value.
    func table(_ entries: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !entries.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let memory = allocate(amqp_table_entry_t.self, count: entries.count)
        for (index, (key, value)) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
            memory[index] = amqp_table_entry_t(key: bytes(key), value: field(value))
        }
        return amqp_table_t(num_entries: Int32(entries.count), entries: memory)
    }

    /// A C field value (nested tables and arrays copied too).
    func field(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let text):
            field.kind = UInt8(ascii: "S")
            field.value.bytes = bytes(text)
        case .int(let number):
            field.kind = UInt8(ascii: "l")
            field.value.i64 = number
        case .bool(let flag):
            field.kind = UInt8(ascii: "t")
            field.value.boolean = flag ? 1 : 0
        case .double(let number):
            field.kind = UInt8(ascii: "d")
            field.value.f64 = number
        case .timestamp(let seconds):
            field.kind = UInt8(ascii: "T")
            field.value.u64 = seconds
        case .bytes(let data):
            field.kind = UInt8(ascii: "x")
            field.value.bytes = bytes(data)
        case .array(let elements):
            field.kind = UInt8(ascii: "A")
            let memory = allocate(amqp_field_value_t.self, count: max(elements.count, 1))
            for (index, element) in elements.enumerated() {
                memory[index] = self.field(element)
            }
            field.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: memory)
        case .table(let entries):
            field.kind = UInt8(ascii: "F")
            field.value.table = table(entries)
        case .void:
            field.kind = UInt8(ascii: "V")
        }
        return field
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = amqp_pool_alloc(pool, MemoryLayout<T>.stride * count) else {
            fatalError("rabbitmq-c pool allocation failed")
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }
}

extension amqp_bytes_t {
    /// The bytes as a Swift array (empty for a null pointer).
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    /// The bytes decoded as UTF-8.
    var string: String {
        String(decoding: array, as: UTF8.self)
    }
}

extension amqp_table_t {
    /// The table as Swift values (copied; the C memory may be released afterwards).
    var swiftValue: [String: AMQPFieldValue] {
        guard num_entries > 0, let entries else { return [:] }
        var result: [String: AMQPFieldValue] = [:]
        for index in 0..<Int(num_entries) {
            result[entries[index].key.string] = entries[index].value.swiftValue
        }
        return result
    }
}

extension amqp_field_value_t {
    /// The value as a Swift value (copied).
    var swiftValue: AMQPFieldValue {
        switch kind {
        case UInt8(ascii: "t"): return .bool(value.boolean != 0)
        case UInt8(ascii: "b"): return .int(Int64(value.i8))
        case UInt8(ascii: "B"): return .int(Int64(value.u8))
        case UInt8(ascii: "s"): return .int(Int64(value.i16))
        case UInt8(ascii: "u"): return .int(Int64(value.u16))
        case UInt8(ascii: "I"): return .int(Int64(value.i32))
        case UInt8(ascii: "i"): return .int(Int64(value.u32))
        case UInt8(ascii: "l"): return .int(value.i64)
        case UInt8(ascii: "L"): return .int(Int64(truncatingIfNeeded: value.u64))
        case UInt8(ascii: "f"): return .double(Double(value.f32))
        case UInt8(ascii: "d"): return .double(value.f64)
        case UInt8(ascii: "D"):
            var number = Double(value.decimal.value)
            for _ in 0..<value.decimal.decimals { number /= 10 }
            return .double(number)
        case UInt8(ascii: "S"): return .string(value.bytes.string)
        case UInt8(ascii: "x"): return .bytes(value.bytes.array)
        case UInt8(ascii: "T"): return .timestamp(value.u64)
        case UInt8(ascii: "F"): return .table(value.table.swiftValue)
        case UInt8(ascii: "A"):
            guard value.array.num_entries > 0, let entries = value.array.entries else { return .array([]) }
            return .array((0..<Int(value.array.num_entries)).map { entries[$0].swiftValue })
        default: return .void
        }
    }
}
