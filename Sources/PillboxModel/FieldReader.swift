/// Reads typed fields out of a JSON object while collecting every problem with its path.
///
/// Used by the request parsers so that one response lists all failing fields, and so that
/// unknown fields are refused rather than ignored.
struct FieldReader {
    private(set) var errors: [FieldError] = []
    let limits: ValidationLimits

    init(limits: ValidationLimits) { self.limits = limits }

    mutating func fail(_ path: String, _ message: Phrase) {
        errors.append(FieldError(path: path, message))
    }

    /// The object at `value`, with keys outside `allowed` reported as unknown.
    ///
    /// An unknown key is caller text and can carry anything, a NAM included, so it is never
    /// echoed: the error is reported at the object's own path (`$` for the body) with how
    /// many unknown fields it has and which fields are allowed.
    mutating func object(_ value: JSONValue?, path: String, allowed: Set<String>, required: Bool) -> [String: JSONValue]? {
        guard let value, value != .null else {
            if required { fail(path.isEmpty ? "$" : path, Self.required) }
            return nil
        }
        guard case .object(let object) = value else {
            fail(path.isEmpty ? "$" : path, Phrase("must be an object, not \(value.typeName)", fr: "doit être un objet, pas \(value.typeName)"))
            return nil
        }
        let unknown = object.keys.filter { !allowed.contains($0) }.count
        if unknown > 0 {
            let known = allowed.sorted().joined(separator: ", ")
            fail(path.isEmpty ? "$" : path, unknown == 1
                ? Phrase("has an unknown field (not named here); the known fields are: \(known)",
                         fr: "contient un champ inconnu (non nommé ici); les champs connus sont : \(known)")
                : Phrase("has \(unknown) unknown fields (not named here); the known fields are: \(known)",
                         fr: "contient \(unknown) champs inconnus (non nommés ici); les champs connus sont : \(known)"))
        }
        return object
    }

    /// A string field of at most `maxLength` characters as sent, trimmed of surrounding white
    /// space; empty counts as missing.
    mutating func string(_ object: [String: JSONValue], _ key: String, path: String,
                         required: Bool = false, maxLength: Int) -> String? {
        let fieldPath = Self.join(path, key)
        guard let value = object[key], value != .null else {
            if required { fail(fieldPath, Self.required) }
            return nil
        }
        guard case .string(let raw) = value else {
            fail(fieldPath, Phrase("must be a string, not \(value.typeName)", fr: "doit être une chaîne de caractères, pas \(value.typeName)"))
            return nil
        }
        // The length counts the string as sent, surrounding white space included, as the
        // OpenAPI document's maxLength does.
        if raw.count > maxLength {
            fail(fieldPath, Phrase("must be at most \(maxLength) characters", fr: "doit compter au plus \(maxLength) caractères"))
            return nil
        }
        let text = raw.trimmingWhitespace()
        if text.isEmpty {
            if required { fail(fieldPath, Phrase("must not be empty", fr: "ne doit pas être vide")) }
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail(fieldPath, Phrase("must not contain control characters", fr: "ne doit pas contenir de caractères de contrôle"))
            return nil
        }
        return text
    }

    /// A number field.
    mutating func number(_ object: [String: JSONValue], _ key: String, path: String, required: Bool = false) -> Double? {
        let fieldPath = Self.join(path, key)
        guard let value = object[key], value != .null else {
            if required { fail(fieldPath, Self.required) }
            return nil
        }
        guard case .number(let number) = value, number.isFinite else {
            fail(fieldPath, Phrase("must be a number, not \(value.typeName)", fr: "doit être un nombre, pas \(value.typeName)"))
            return nil
        }
        return number
    }

    /// A whole-number field.
    mutating func integer(_ object: [String: JSONValue], _ key: String, path: String) -> Int? {
        guard let number = number(object, key, path: path) else { return nil }
        guard number.rounded() == number, abs(number) < 1e9 else {
            fail(Self.join(path, key), Phrase("must be a whole number", fr: "doit être un nombre entier"))
            return nil
        }
        return Int(number)
    }

    /// "is required", the commonest message.
    static let required = Phrase("is required", fr: "est obligatoire")

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
