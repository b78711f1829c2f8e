import Testing

@testable import Cryptography

@Suite("SHA-256 and HMAC-SHA256")
struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(message: String, digest: String) {
        #expect(Hex.encode(SHA256.hash(message.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(Hex.encode(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// RFC 4231 §4 (test case 5 truncates the output and is left out).
    struct HMACVector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let mac: String
        var testDescription: String { name }
    }

    static let hmacVectors: [HMACVector] = [
        HMACVector(name: "RFC 4231 case 1", key: [UInt8](repeating: 0x0B, count: 20), data: Array("Hi There".utf8),
                   mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(name: "RFC 4231 case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
                   mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(name: "RFC 4231 case 3", key: [UInt8](repeating: 0xAA, count: 20), data: [UInt8](repeating: 0xDD, count: 50),
                   mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(name: "RFC 4231 case 4", key: Array(1 ... 25), data: [UInt8](repeating: 0xCD, count: 50),
                   mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector(name: "RFC 4231 case 6", key: [UInt8](repeating: 0xAA, count: 131),
                   data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                   mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(name: "RFC 4231 case 7", key: [UInt8](repeating: 0xAA, count: 131),
                   data: Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                       + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
                   mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        HMACVector(name: "empty key and message", key: [], data: [],
                   mac: "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ]

    @Test(arguments: hmacVectors)
    func hmacSHA256(_ vector: HMACVector) {
        #expect(Hex.encode(HMACSHA256.authenticationCode(for: vector.data, key: vector.key)) == vector.mac)
    }

    @Test func hmacAcceptsSlicesAndStrings() {
        let key = Array("Jefe".utf8)
        let expected = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: key)
        #expect(HMACSHA256.authenticationCode(for: "what do ya want for nothing?".utf8, key: key[...]) == expected)
        #expect(HMACSHA256.authenticationCode(for: Array("xxwhat do ya want for nothing?".utf8).dropFirst(2), key: "Jefe".utf8) == expected)
    }

    /// RFC 7636 Appendix B: the S256 code challenge is base64url(SHA-256(verifier)).
    @Test func pkceS256Challenge() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(Base64URL.encode(SHA256.hash(verifier.utf8)) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }
}
