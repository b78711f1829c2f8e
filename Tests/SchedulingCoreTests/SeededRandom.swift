/// SplitMix64: a small, fast, reproducible generator; a failing property case prints its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func next(below bound: UInt64) -> UInt64 {
        next() % bound
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next(below: UInt64(range.upperBound - range.lowerBound + 1)))
    }

    mutating func chance(_ percent: Int) -> Bool {
        Int(next(below: 100)) < percent
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int(next(below: UInt64(values.count)))]
    }
}
