import Foundation

/// A JSON number as written: the literal text is kept, so integers of any size and exact
/// decimals survive until a caller picks the Swift type, and the integer checks work on the
/// digits rather than on a `Double` that may already have rounded them
/// (`9007199254740993` is not `9007199254740992`).
///
/// Two numbers are equal when their literals are: `1` and `1.0` differ, as they do on the wire.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, matching `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    package let literal: String

    /// A number from its literal; `nil` unless `literal` is exactly an RFC 8259 number.
    package init?(literal: String) {
        guard Self.isValidLiteral(literal) else { return nil }
        self.literal = literal
    }

    /// A number the parser has already checked.
    init(validatedLiteral: String) {
        literal = validatedLiteral
    }

    /// The decimal digits of `value`.
    package init(_ value: some BinaryInteger) {
        literal = String(value)
    }

    /// `value` written as `JSONEncoder` writes it (`2` for 2.0, `0.1`, `1e+20`);
    /// `nil` for NaN and the infinities, which JSON cannot carry.
    package init?(_ value: Double) {
        guard value.isFinite else { return nil }
        literal = Self.literal(for: value)
    }

    /// The literal.
    package var description: String { literal }

    /// The nearest `Double`: infinite when the magnitude is beyond `Double.greatestFiniteMagnitude`,
    /// zero (of the literal's sign) when it is below the smallest subnormal.
    package var doubleValue: Double {
        // Swift's parser rounds correctly and accepts every JSON number literal.
        Double(literal) ?? .nan
    }

    /// The nearest `Float`, infinite when out of range.
    package var floatValue: Float {
        Float(literal) ?? .nan
    }

    /// The value as `Decimal`, when Foundation can hold it.
    package var decimalValue: Decimal? {
        Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Whether the value is a whole number (`30`, `30.0`, `1e2`, `-0`), judged on the digits.
    package var isIntegral: Bool {
        switch integerConversion(to: Int8.self) {
        case .value, .outOfRange: return true
        case .notIntegral: return false
        }
    }

    /// The value as `T`, when it is a whole number within `T`'s range; `nil` otherwise.
    package func exactly<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        if case .value(let value) = integerConversion(to: type) { return value }
        return nil
    }

    /// The outcome of reading the literal as an integer type.
    enum IntegerConversion<T> {
        case value(T)
        /// The number has a non-zero fractional part.
        case notIntegral
        /// A whole number outside the type's range.
        case outOfRange
    }

    /// Reads the literal as `T` exactly, from its digits: value = significand × 10^scale.
    func integerConversion<T: FixedWidthInteger>(to type: T.Type) -> IntegerConversion<T> {
        var text = literal
        return text.withUTF8 { Self.integerConversion(of: $0, to: type) }
    }

    private static func integerConversion<T: FixedWidthInteger>(
        of bytes: UnsafeBufferPointer<UInt8>, to type: T.Type
    ) -> IntegerConversion<T> {
        let zero = UInt8(ascii: "0")
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }

        // The common case, a short plain integer, without the general bookkeeping.
        if bytes.count - index <= 18, !bytes[index...].contains(where: { $0 < zero || $0 > zero + 9 }) {
            var magnitude: Int64 = 0
            for byte in bytes[index...] { magnitude = magnitude * 10 + Int64(byte &- zero) }
            let value = negative ? -magnitude : magnitude
            guard let result = T(exactly: value) else { return .outOfRange }
            return .value(result)
        }

        // Digits of the integer and fraction parts, and the exponent.
        let integerStart = index
        while index < bytes.count, bytes[index] >= zero, bytes[index] <= zero + 9 { index += 1 }
        let integerEnd = index
        var fractionStart = index
        var fractionEnd = index
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < bytes.count, bytes[index] >= zero, bytes[index] <= zero + 9 { index += 1 }
            fractionEnd = index
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "-") { exponentNegative = true; index += 1 }
            else if bytes[index] == UInt8(ascii: "+") { index += 1 }
            while index < bytes.count {
                // Saturate: any exponent this large already decides the answer.
                exponent = min(exponent * 10 + Int(bytes[index] &- zero), 1 << 40)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        let integerCount = integerEnd - integerStart
        let fractionCount = fractionEnd - fractionStart
        let digitCount = integerCount + fractionCount
        func digit(_ position: Int) -> UInt8 {
            position < integerCount
                ? bytes[integerStart + position] &- zero
                : bytes[fractionStart + position - integerCount] &- zero
        }
        guard let first = (0..<digitCount).first(where: { digit($0) != 0 }) else {
            return .value(0)  // every zero (`-0`, `0.000e7`) is the integer 0
        }
        let last = (first..<digitCount).last(where: { digit($0) != 0 })!
        // The value is digits[first...last] × 10^scale, with no trailing zero in the digits,
        // so it is whole exactly when the scale is not negative.
        let scale = exponent - fractionCount + (digitCount - 1 - last)
        guard scale >= 0 else { return .notIntegral }
        // UInt128.max has 39 digits: anything longer is out of range for every integer type.
        guard last - first + 1 + scale <= 40 else { return .outOfRange }
        if negative, !T.isSigned { return .outOfRange }

        var result: T = 0
        func push(_ digitValue: UInt8) -> Bool {
            let (shifted, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { return false }
            // Accumulate toward the sign so that T.min itself is reachable.
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(T(digitValue))
                : shifted.addingReportingOverflow(T(digitValue))
            guard !overflow2 else { return false }
            result = next
            return true
        }
        for position in first...last where !push(digit(position)) { return .outOfRange }
        for _ in 0..<scale where !push(0) { return .outOfRange }
        return .value(result)
    }

    /// `Double.description` without a trailing `.0`: `JSONEncoder`'s spelling.
    static func literal(for value: Double) -> String {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Whether `text` is exactly an RFC 8259 number.
    static func isValidLiteral(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
