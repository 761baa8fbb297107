import PillboxModel

extension JSONCoding {
    /// What `JSONCoding.encoder` writes for `value`, or nil where it throws: the reference the
    /// tests of the hand-written JSON writers compare with.
    package static func encoderBytes(_ value: some Encodable) -> [UInt8]? {
        (try? encoder.encode(value)).map { Array($0) }
    }
}
