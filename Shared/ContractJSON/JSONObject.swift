/// The members of a JSON object, in document order, each key once.
///
/// Lookup by key is constant time: small objects (the usual request body) are scanned,
/// which beats hashing at that size; larger ones keep a hash index.
/// Keys compare with Swift `String` equality (canonical equivalence), as a `[String: V]` would.
/// Two objects are equal when they hold the same keys with equal values, in any order.
package struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member: a key and its value.
    package typealias Member = (key: String, value: JSONValue)

    /// Objects with more members than this keep a hash index.
    static let indexThreshold = 12

    private var members: [Member]
    private var index: [String: Int]?
    /// Whether every key is ASCII: then a key of another length cannot be equal, and the
    /// scan skips most `String` comparisons. (Outside ASCII, lengths say nothing:
    /// U+212A KELVIN SIGN equals "K".)
    private var allKeysASCII: Bool

    /// An empty object.
    package init() {
        members = []
        allKeysASCII = true
    }

    /// An object of `members`; when a key repeats, the last value wins at the first position.
    package init(_ members: some Sequence<Member>) {
        self.init()
        for member in members { self[member.key] = member.value }
    }

    /// An object from a literal; a repeated key keeps the last value.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.lazy.map { (key: $0.0, value: $0.1) })
    }

    /// Members the parser has already checked for duplicates, with the index it built if any.
    init(uniqueMembers: [Member], index: [String: Int]?, allKeysASCII: Bool) {
        members = uniqueMembers
        self.allKeysASCII = allKeysASCII
        self.index = uniqueMembers.count > Self.indexThreshold
            ? (index ?? Self.buildIndex(uniqueMembers))
            : nil
    }

    private static func buildIndex(_ members: [Member]) -> [String: Int] {
        var index = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { index[member.key] = position }
        return index
    }

    /// The number of members.
    package var count: Int { members.count }

    /// Whether the object has no members.
    package var isEmpty: Bool { members.isEmpty }

    /// The keys in document order.
    package var keys: [String] { members.map(\.key) }

    /// The position of `key` among the members, if present.
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        if allKeysASCII, Self.isASCII(key) {
            let length = key.utf8.count
            return members.firstIndex { $0.key.utf8.count == length && $0.key == key }
        }
        return members.firstIndex { $0.key == key }
    }

    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in utf8.allSatisfy { $0 < 0x80 } }
    }

    /// The value of `key`; setting `nil` removes the member, setting a new key appends it.
    package subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { members[$0].value }
        }
        set {
            switch (position(of: key), newValue) {
            case (let position?, let value?):
                members[position].value = value
            case (let position?, nil):
                members.remove(at: position)
                index = members.count > Self.indexThreshold ? Self.buildIndex(members) : nil
            case (nil, let value?):
                members.append((key, value))
                allKeysASCII = allKeysASCII && Self.isASCII(key)
                if index != nil {
                    index![key] = members.count - 1
                } else if members.count > Self.indexThreshold {
                    index = Self.buildIndex(members)
                }
            case (nil, nil):
                break
            }
        }
    }

    /// Iterates the members in document order.
    package func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    /// Whether both objects hold the same keys with equal values, in any order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}
