import Testing

@testable import Cryptography

@Suite("Random bytes, constant-time compare, encodings")
struct PrimitivesTests {
    @Test func randomBytesHaveTheRequestedLengthAndDiffer() throws {
        #expect(try SecureRandom.bytes(count: 0) == [])
        #expect(try SecureRandom.bytes(count: 1).count == 1)
        let samples = try (0 ..< 1_000).map { _ in try SecureRandom.bytes(count: 32) }
        #expect(samples.allSatisfy { $0.count == 32 })
        #expect(Set(samples).count == samples.count)
    }

    @Test func randomBytesCoverEveryValue() throws {
        // 64 KiB of uniform bytes miss one of 256 values with probability about 256·e⁻²⁵⁶.
        let bytes = try SecureRandom.bytes(count: 65_536)
        #expect(Set(bytes).count == 256)
    }

    @Test(arguments: [
        ([UInt8](), [UInt8](), true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 3], [1, 2, 4], false),
        ([0, 2, 3], [1, 2, 3], false),
        ([1, 2, 3], [1, 2], false),
        ([1, 2], [1, 2, 3], false),
        ([], [0], false),
    ] as [([UInt8], [UInt8], Bool)])
    func constantTimeEquals(lhs: [UInt8], rhs: [UInt8], equal: Bool) {
        #expect(ConstantTime.equals(lhs, rhs) == equal)
    }

    @Test func constantTimeEqualsAcceptsOtherCollections() {
        #expect(ConstantTime.equals("token".utf8, Array("token".utf8)))
        #expect(!ConstantTime.equals("token".utf8, "tokeN".utf8))
        #expect(ConstantTime.equals([9, 1, 2, 3][1...], [1, 2, 3]))
    }

    /// RFC 4648 §10 vectors, which need no padding characters in the url alphabet either.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func base64URLVectors(plain: String, encoded: String) throws {
        #expect(Base64URL.encode(plain.utf8) == encoded)
        #expect(try Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64URLUsesTheURLAlphabet() throws {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFB, 0xEF, 0xBE]) == "----")
        #expect(Base64URL.encode([0xFF, 0xFF, 0xFF]) == "____")
        #expect(try Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func base64URLRoundTripsEveryLength() throws {
        for length in 0 ..< 70 {
            let bytes = try SecureRandom.bytes(count: length)
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(try Base64URL.decode(encoded) == bytes)
        }
    }

    @Test(arguments: ["Zg==", "Zm8=", "Z", "Zm9vY", "+/8", "Zm 9v", "Zh", "Zm9", "Zm\u{e9}v"])
    func base64URLRejects(_ text: String) {
        let error = #expect(throws: CryptographyError.self) { try Base64URL.decode(text) }
        #expect(error?.kind == .invalidEncoding)
    }

    @Test func hexRoundTrips() throws {
        #expect(Hex.encode([0x00, 0x01, 0xAB, 0xFF]) == "0001abff")
        #expect(try Hex.decode("0001abff") == [0x00, 0x01, 0xAB, 0xFF])
        #expect(try Hex.decode("0001ABFF") == [0x00, 0x01, 0xAB, 0xFF])
        #expect(try Hex.decode("") == [])
        for bad in ["0", "0g", "zz", "0 1"] {
            #expect(throws: CryptographyError.self) { try Hex.decode(bad) }
        }
    }
}
