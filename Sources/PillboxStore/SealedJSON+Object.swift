extension SealedJSON {
    /// One object of `members` (of `bytes`) and `clear` (already JSON values), merged in
    /// raw key order as `JSONCoding.encoder`'s sorted keys would write them (for members
    /// already in that order, as the encoder sealed them). No key of `clear` may be one of
    /// `members`' keys: the callers add only keys their documents do not have.
    package static func object(_ bytes: [UInt8], _ members: [Member], with clear: [(key: StaticString, value: [UInt8])]) -> [UInt8] {
        let clear = clear.sorted { Self.keyBytes($0.key).lexicographicallyPrecedes(Self.keyBytes($1.key)) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 160)
        out.append(UInt8(ascii: "{"))
        var next = 0
        var first = true
        func comma() {
            if first { first = false } else { out.append(UInt8(ascii: ",")) }
        }
        func appendClear(_ member: (key: StaticString, value: [UInt8])) {
            comma()
            JSONBytes.appendKey(member.key, to: &out)
            out.append(contentsOf: member.value)
        }
        for member in members {
            let key = bytes[member.key]
            while next < clear.count, Self.keyBytes(clear[next].key).lexicographicallyPrecedes(key) {
                appendClear(clear[next])
                next += 1
            }
            comma()
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key)
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            out.append(contentsOf: bytes[member.value])
        }
        while next < clear.count {
            appendClear(clear[next])
            next += 1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A static key's bytes.
    static func keyBytes(_ key: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
    }
}
