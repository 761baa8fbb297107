extension SealedJSON {
    /// One object of `members` (of `bytes`) and `clear` (already JSON values), merged in
    /// raw key order as `JSONCoding.encoder`'s sorted keys would write them (for members
    /// already in that order, as the encoder sealed them). No key of `clear` may be one of
    /// `members`' keys: the callers add only keys their documents do not have.
    package static func object(_ bytes: [UInt8], _ members: [Member], with clear: [(key: StaticString, value: [UInt8])]) -> [UInt8] {
        var values: [UInt8] = []
        var ranged = ClearMembers()
        for member in clear { ranged.append(member.key, from: &values) { $0.append(contentsOf: member.value) } }
        return object(bytes, members, values: values, clear: ranged)
    }

    /// `object(_:_:with:)` for members whose values lie in one buffer, `values` (no array per
    /// value: a listing builds one object per row). The object's size is known before it is
    /// written, so it is one allocation and a copy per part (appending slices of the arrays
    /// cost a profile about 5% of its instructions, in retains and capacity checks).
    static func object(_ bytes: [UInt8], _ members: [Member], values: [UInt8], clear: ClearMembers) -> [UInt8] {
        let clear = clear.sortedByKey()
        // "{" "}", a comma between members, and each member's `"key":value`.
        var size = 2 + max(0, members.count + clear.count - 1)
        for member in members { size += member.key.count + 3 + member.value.count }
        for member in clear { size += member.key.utf8CodeUnitCount + 3 + member.range.count }
        return bytes.withUnsafeBufferPointer { source in
            values.withUnsafeBufferPointer { clearValues in
                [UInt8](unsafeUninitializedCapacity: size) { out, count in
                    var at = 0
                    func put(_ byte: UInt8) {
                        out[at] = byte
                        at += 1
                    }
                    func put(_ part: UnsafeBufferPointer<UInt8>) {
                        guard let base = part.baseAddress, !part.isEmpty else { return }
                        (out.baseAddress! + at).initialize(from: base, count: part.count)
                        at += part.count
                    }
                    func putMember(key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
                        if at > 1 { put(UInt8(ascii: ",")) }
                        put(UInt8(ascii: "\""))
                        put(key)
                        put(UInt8(ascii: "\""))
                        put(UInt8(ascii: ":"))
                        put(value)
                    }
                    put(UInt8(ascii: "{"))
                    var next = 0
                    for member in members {
                        let key = UnsafeBufferPointer(rebasing: source[member.key])
                        while next < clear.count, Self.keyBytes(clear[next].key).lexicographicallyPrecedes(key) {
                            putMember(key: Self.keyBytes(clear[next].key), value: UnsafeBufferPointer(rebasing: clearValues[clear[next].range]))
                            next += 1
                        }
                        putMember(key: key, value: UnsafeBufferPointer(rebasing: source[member.value]))
                    }
                    for member in clear[next...] {
                        putMember(key: Self.keyBytes(member.key), value: UnsafeBufferPointer(rebasing: clearValues[member.range]))
                    }
                    put(UInt8(ascii: "}"))
                    precondition(at == size, "the object's size was miscounted")
                    count = at
                }
            }
        }
    }

    /// The members of two JSON objects (each written with sorted keys, as `JSONCoding.encoder`
    /// writes them) as one object, in raw key order: what the encoder writes for a type that
    /// encodes both into one container (`RecordedDispense`). No key may be in both. Nil when
    /// either is not one JSON object.
    package static func merging(_ first: [UInt8], _ second: [UInt8]) -> [UInt8]? {
        guard let firstMembers = try? document(first), let secondMembers = try? document(second) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(first.count + second.count)
        out.append(UInt8(ascii: "{"))
        func append(_ member: Member, of bytes: [UInt8]) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes[member.key])
            out.append(contentsOf: #"":"#.utf8)
            out.append(contentsOf: bytes[member.value])
        }
        var next = 0
        for member in firstMembers {
            while next < secondMembers.count,
                  second[secondMembers[next].key].lexicographicallyPrecedes(first[member.key]) {
                append(secondMembers[next], of: second)
                next += 1
            }
            append(member, of: first)
        }
        for member in secondMembers[next...] { append(member, of: second) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A static key's bytes.
    static func keyBytes(_ key: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
    }
}

/// Members added beside a sealed document's: a static key each, and where its JSON value lies
/// in a buffer the caller fills (`append(_:from:write:)`).
struct ClearMembers {
    struct Member {
        let key: StaticString
        let range: Range<Int>
    }

    private(set) var members: [Member] = []

    init(capacity: Int = 8) {
        members.reserveCapacity(capacity)
    }

    /// Adds `key`, whose value is what `write` appends to `values`.
    mutating func append(_ key: StaticString, from values: inout [UInt8], write: (inout [UInt8]) -> Void) {
        let start = values.count
        write(&values)
        members.append(Member(key: key, range: start..<values.count))
    }

    /// The members in raw key order (an insertion sort: a handful of members).
    func sortedByKey() -> [Member] {
        var sorted = members
        guard sorted.count > 1 else { return sorted }
        for index in 1..<sorted.count {
            let member = sorted[index]
            var slot = index
            while slot > 0, SealedJSON.keyBytes(member.key).lexicographicallyPrecedes(SealedJSON.keyBytes(sorted[slot - 1].key)) {
                sorted[slot] = sorted[slot - 1]
                slot -= 1
            }
            sorted[slot] = member
        }
        return sorted
    }
}
