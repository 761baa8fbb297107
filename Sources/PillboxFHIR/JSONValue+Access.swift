import PillboxModel

// Typed access to JSON values, for reading FHIR documents without Codable types that would
// silently drop unknown elements.
extension JSONValue {
    /// The string, if this is a JSON string.
    var asString: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, if this is a JSON number.
    var asNumber: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The elements, if this is a JSON array.
    var asArray: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is a JSON object.
    var asObject: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member `key` if this is an object that has it.
    subscript(member key: String) -> JSONValue? {
        asObject?[key]
    }

    /// A non-empty string member.
    func string(_ key: String) -> String? {
        guard let text = self[member: key]?.asString, !text.isEmpty else { return nil }
        return text
    }

    /// The elements of an array member; empty when the member is absent or not an array.
    func array(_ key: String) -> [JSONValue] {
        self[member: key]?.asArray ?? []
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` only when there is a value, so that absent fields leave no key (FHIR
    /// forbids nulls and empty elements).
    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}
