import Testing

@testable import Cryptography

@Suite("AES-256-GCM")
struct AESGCMTests {
    /// Known answers from the GCM specification (McGrew & Viega, "The Galois/Counter Mode of
    /// Operation", Appendix B, test cases 13, 14 and 16), which NIST's CAVP vectors include.
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let nonce: String
        let plaintext: String
        let associatedData: String
        let ciphertext: String
        let tag: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "test case 13 (empty)",
            key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: "", associatedData: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"
        ),
        Vector(
            name: "test case 14 (one zero block)",
            key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16), associatedData: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"
        ),
        Vector(
            name: "test case 16 (associated data, partial block)",
            key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            nonce: "cafebabefacedbaddecaf888",
            plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            associatedData: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"
        ),
    ]

    @Test("known-answer vectors seal and open", arguments: vectors)
    func knownAnswer(_ vector: Vector) throws {
        let key = try Hex.decode(vector.key)
        let nonce = try Hex.decode(vector.nonce)
        let plaintext = try Hex.decode(vector.plaintext)
        let associatedData = try Hex.decode(vector.associatedData)

        let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, associatedData: associatedData)
        #expect(Hex.encode(sealed.ciphertext) == vector.ciphertext)
        #expect(Hex.encode(sealed.tag) == vector.tag)

        let opened = try AESGCM.open(
            try Hex.decode(vector.ciphertext), key: key, nonce: nonce, tag: try Hex.decode(vector.tag),
            associatedData: associatedData
        )
        #expect(opened == plaintext)
    }

    @Test func roundTripWithAssociatedData() throws {
        let key = try EncryptionKey.random(id: 7)
        let secret = Array("refresh-token-\(UInt64.random(in: 0 ... .max))".utf8)
        let rowID = Array("integration:42".utf8)

        let box = try AESGCM.seal(secret, using: key, associatedData: rowID)
        #expect(box.keyID == 7)
        #expect(box.nonce.count == 12)
        #expect(box.tag.count == 16)
        #expect(box.ciphertext.count == secret.count)
        #expect(box.ciphertext != secret)

        let serialized = box.serialized
        #expect(serialized.count == AESGCM.SealedBox.overheadByteCount + secret.count)
        #expect(serialized[0] == 1)
        #expect(try AESGCM.SealedBox.keyID(ofSerialized: serialized) == 7)
        #expect(try AESGCM.SealedBox(serialized: serialized) == box)
        #expect(try AESGCM.open(serialized: serialized, using: key, associatedData: rowID) == secret)
    }

    @Test func emptyPlaintextRoundTrips() throws {
        let key = try EncryptionKey.random(id: 1)
        let serialized = try AESGCM.seal([UInt8](), using: key).serialized
        #expect(serialized.count == AESGCM.SealedBox.overheadByteCount)
        #expect(try AESGCM.open(serialized: serialized, using: key) == [])
    }

    @Test func everyNonceIsFresh() throws {
        let key = try EncryptionKey.random(id: 1)
        let plaintext = Array("same message".utf8)
        let boxes = try (0 ..< 200).map { _ in try AESGCM.seal(plaintext, using: key) }
        #expect(Set(boxes.map(\.nonce)).count == boxes.count)
        #expect(Set(boxes.map(\.ciphertext)).count == boxes.count)
    }

    @Test func wrongKeyFails() throws {
        let key = try EncryptionKey.random(id: 3)
        let impostor = try EncryptionKey.random(id: 3)
        let serialized = try AESGCM.seal(Array("secret".utf8), using: key).serialized
        let error = #expect(throws: CryptographyError.self) { try AESGCM.open(serialized: serialized, using: impostor) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test func otherKeyIDIsAMismatch() throws {
        let key = try EncryptionKey.random(id: 3)
        let rotated = try EncryptionKey.random(id: 4)
        let serialized = try AESGCM.seal(Array("secret".utf8), using: key).serialized
        let error = #expect(throws: CryptographyError.self) { try AESGCM.open(serialized: serialized, using: rotated) }
        #expect(error?.kind == .keyMismatch)
    }

    @Test func wrongAssociatedDataFails() throws {
        let key = try EncryptionKey.random(id: 1)
        let serialized = try AESGCM.seal(Array("secret".utf8), using: key, associatedData: Array("row:1".utf8)).serialized
        for associatedData in [Array("row:2".utf8), [], Array("row:1 ".utf8)] {
            let error = #expect(throws: CryptographyError.self) {
                try AESGCM.open(serialized: serialized, using: key, associatedData: associatedData)
            }
            #expect(error?.kind == .authenticationFailed)
        }
    }

    @Test func everyFlippedBitIsDetected() throws {
        let key = try EncryptionKey.random(id: 0x0102_0304)
        let serialized = try AESGCM.seal(Array("a secret of some length".utf8), using: key, associatedData: Array("aad".utf8)).serialized
        for index in serialized.indices {
            for bit in 0 ..< 8 {
                var tampered = serialized
                tampered[index] ^= 1 << bit
                #expect(throws: CryptographyError.self, "byte \(index) bit \(bit)") {
                    try AESGCM.open(serialized: tampered, using: key, associatedData: Array("aad".utf8))
                }
            }
        }
    }

    @Test func truncationIsDetected() throws {
        let key = try EncryptionKey.random(id: 1)
        let serialized = try AESGCM.seal(Array("secret".utf8), using: key).serialized
        for length in 0 ..< serialized.count {
            let error = #expect(throws: CryptographyError.self, "length \(length)") {
                try AESGCM.open(serialized: serialized.prefix(length), using: key)
            }
            let expected: CryptographyError.Kind = length < AESGCM.SealedBox.overheadByteCount ? .malformedSealedBox : .authenticationFailed
            #expect(error?.kind == expected, "length \(length)")
        }
        let extended = serialized + [0]
        #expect(throws: CryptographyError.self) { try AESGCM.open(serialized: extended, using: key) }
    }

    @Test func unknownVersionIsRejected() throws {
        let key = try EncryptionKey.random(id: 1)
        var serialized = try AESGCM.seal(Array("secret".utf8), using: key).serialized
        serialized[0] = 2
        let error = #expect(throws: CryptographyError.self) { try AESGCM.open(serialized: serialized, using: key) }
        #expect(error?.kind == .unsupportedVersion)
    }

    @Test func keySizeIsChecked() throws {
        for length in [0, 16, 31, 33, 64] {
            let error = #expect(throws: CryptographyError.self) { try EncryptionKey(id: 1, bytes: [UInt8](repeating: 1, count: length)) }
            #expect(error?.kind == .invalidKeySize)
        }
        let badNonce = #expect(throws: CryptographyError.self) {
            try AESGCM.seal([1, 2, 3], key: [UInt8](repeating: 0, count: 32), nonce: [0, 0, 0], associatedData: [UInt8]())
        }
        #expect(badNonce?.kind == .invalidNonceSize)
    }

    @Test func descriptionsHideKeyMaterial() throws {
        let key = try EncryptionKey(id: 9, bytes: [UInt8](repeating: 0xAB, count: 32))
        #expect(String(describing: key) == "EncryptionKey(id: 9)")
        #expect(!String(reflecting: key).lowercased().contains("ab"))
        #expect(String(describing: CryptographyError(.authenticationFailed, detail: "secret detail")) == "CryptographyError(authenticationFailed)")
        #expect(String(reflecting: CryptographyError(.authenticationFailed, detail: "secret detail")).contains("secret detail"))
    }
}
