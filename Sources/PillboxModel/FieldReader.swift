/// Reads typed fields out of a JSON object while collecting every problem with its path.
///
/// Used by the request parsers so that one response lists all failing fields, and so that
/// unknown fields are refused rather than ignored.
struct FieldReader {
    private(set) var errors: [FieldError] = []
    let limits: ValidationLimits

    init(limits: ValidationLimits) { self.limits = limits }

    mutating func fail(_ path: String, _ message: String) {
        errors.append(FieldError(path: path, message: message))
    }

    /// The object at `value`, with keys outside `allowed` reported as unknown.
    ///
    /// An unknown key is caller text and can carry anything, a NAM included, so it is never
    /// echoed: the error is reported at the object's own path (`$` for the body) with how
    /// many unknown fields it has and which fields are allowed.
    mutating func object(_ value: JSONValue?, path: String, allowed: Set<String>, required: Bool) -> [String: JSONValue]? {
        guard let value, value != .null else {
            if required { fail(path.isEmpty ? "$" : path, "is required") }
            return nil
        }
        guard case .object(let object) = value else {
            fail(path.isEmpty ? "$" : path, "must be an object, not \(value.typeName)")
            return nil
        }
        let unknown = object.keys.filter { !allowed.contains($0) }.count
        if unknown > 0 {
            let what = unknown == 1 ? "an unknown field" : "\(unknown) unknown fields"
            fail(path.isEmpty ? "$" : path,
                 "has \(what) (not named here); the known fields are: \(allowed.sorted().joined(separator: ", "))")
        }
        return object
    }

    /// A string field of at most `maxLength` characters as sent, trimmed of surrounding white
    /// space; empty counts as missing.
    mutating func string(_ object: [String: JSONValue], _ key: String, path: String,
                         required: Bool = false, maxLength: Int) -> String? {
        let fieldPath = Self.join(path, key)
        guard let value = object[key], value != .null else {
            if required { fail(fieldPath, "is required") }
            return nil
        }
        guard case .string(let raw) = value else {
            fail(fieldPath, "must be a string, not \(value.typeName)")
            return nil
        }
        // The length counts the string as sent, surrounding white space included, as the
        // OpenAPI document's maxLength does.
        if raw.count > maxLength {
            fail(fieldPath, "must be at most \(maxLength) characters")
            return nil
        }
        let text = raw.trimmingWhitespace()
        if text.isEmpty {
            if required { fail(fieldPath, "must not be empty") }
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail(fieldPath, "must not contain control characters")
            return nil
        }
        return text
    }

    /// A number field.
    mutating func number(_ object: [String: JSONValue], _ key: String, path: String, required: Bool = false) -> Double? {
        let fieldPath = Self.join(path, key)
        guard let value = object[key], value != .null else {
            if required { fail(fieldPath, "is required") }
            return nil
        }
        guard case .number(let number) = value, number.isFinite else {
            fail(fieldPath, "must be a number, not \(value.typeName)")
            return nil
        }
        return number
    }

    /// A whole-number field.
    mutating func integer(_ object: [String: JSONValue], _ key: String, path: String) -> Int? {
        guard let number = number(object, key, path: path) else { return nil }
        guard number.rounded() == number, abs(number) < 1e9 else {
            fail(Self.join(path, key), "must be a whole number")
            return nil
        }
        return Int(number)
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
