import PillboxCrypto
import PillboxModel

extension FHIRMapping {
    /// A `batch` Bundle with one `PUT {resourceType}/{id}` entry per resource, in order.
    ///
    /// `fullUrl` is `urn:uuid:` + a UUID derived from the resource type and id
    /// (``fullURL(resourceType:id:)``): R4 requires a fullUrl on every entry but a POST and
    /// requires it to be absolute, and the central record's base URL is not known here.
    ///
    /// - Precondition: every resource is an object with a string `resourceType` and `id`,
    ///   as ``medicationDispense(_:pharmacy:)`` returns.
    package static func batchBundle(_ resources: [JSONValue]) -> JSONValue {
        let entries: [JSONValue] = resources.map { resource in
            guard let type = resource.string("resourceType"), let id = resource.string("id") else {
                preconditionFailure("batchBundle needs resources with resourceType and id")
            }
            return .object([
                "fullUrl": .string(fullURL(resourceType: type, id: id)),
                "resource": resource,
                "request": .object(["method": .string("PUT"), "url": .string("\(type)/\(id)")]),
            ])
        }
        var bundle: [String: JSONValue] = ["resourceType": .string("Bundle"), "type": .string("batch")]
        if !entries.isEmpty { bundle["entry"] = .array(entries) }
        return .object(bundle)
    }

    /// `urn:uuid:` + an RFC 9562 version 8 UUID made of the first 16 bytes of
    /// SHA-256(`"pillbox-fullurl-v1|" + resourceType + "/" + id`), with the version and
    /// variant bits set. Deterministic, so a resent batch is byte-for-byte the same.
    package static func fullURL(resourceType: String, id: String) -> String {
        var bytes = Array(SHA256Digest.hash(Array("pillbox-fullurl-v1|\(resourceType)/\(id)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = Array(Hex.encode(bytes))
        let groups = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]]
        return "urn:uuid:" + groups.map { String($0) }.joined(separator: "-")
    }

    /// Reads a `batch-response` Bundle: one outcome per request entry, in order.
    ///
    /// Fails when the document is not a Bundle of type `batch-response`, when its entry count
    /// differs from `expected`, or when an entry lacks `response.status` or its status does
    /// not start with a three-digit code. The OperationOutcome is `response.outcome`, or the
    /// entry's `resource` when that is an OperationOutcome (some servers put it there).
    package static func batchOutcomes(_ bundle: JSONValue, expected: Int) -> Result<[EntryOutcome], FHIRFormatError> {
        if let error = checkBundle(bundle, type: "batch-response") { return .failure(error) }
        guard let entries = entryArray(bundle) else { return .failure(FHIRFormatError("Bundle.entry must be an array")) }
        guard entries.count == expected else {
            return .failure(FHIRFormatError("batch-response has \(entries.count) entries, expected \(expected)"))
        }
        var outcomes: [EntryOutcome] = []
        outcomes.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard let response = entry[member: "response"], response.asObject != nil else {
                return .failure(FHIRFormatError("Bundle.entry[\(index)] has no response"))
            }
            guard let statusText = response.string("status") else {
                return .failure(FHIRFormatError("Bundle.entry[\(index)].response has no status"))
            }
            guard let status = httpStatus(statusText) else {
                return .failure(FHIRFormatError("Bundle.entry[\(index)].response.status must start with a 3-digit code"))
            }
            var outcome = response[member: "outcome"]
            if outcome == nil, entry[member: "resource"]?.string("resourceType") == "OperationOutcome" {
                outcome = entry[member: "resource"]
            }
            outcomes.append(EntryOutcome(status: status, location: response.string("location"), outcome: outcome))
        }
        return .success(outcomes)
    }

    /// Reads a `searchset` Bundle: its `MedicationDispense` resources and the `next` link.
    ///
    /// Fails when the document is not a Bundle of type `searchset`, or when an entry or link
    /// is malformed. Entries with other resource types are skipped.
    package static func searchPage(_ bundle: JSONValue) -> Result<SearchPage, FHIRFormatError> {
        if let error = checkBundle(bundle, type: "searchset") { return .failure(error) }
        guard let entries = entryArray(bundle) else { return .failure(FHIRFormatError("Bundle.entry must be an array")) }
        var resources: [JSONValue] = []
        for (index, entry) in entries.enumerated() {
            guard let resource = entry[member: "resource"], let type = resource.string("resourceType") else {
                return .failure(FHIRFormatError("Bundle.entry[\(index)] has no resource with a resourceType"))
            }
            if type == "MedicationDispense" { resources.append(resource) }
        }
        var next: String?
        if let links = bundle[member: "link"] {
            guard let links = links.asArray else { return .failure(FHIRFormatError("Bundle.link must be an array")) }
            for (index, link) in links.enumerated() {
                guard let relation = link.string("relation"), let url = link.string("url") else {
                    return .failure(FHIRFormatError("Bundle.link[\(index)] needs relation and url"))
                }
                if relation == "next", next == nil { next = url }
            }
        }
        return .success(SearchPage(resources: resources, next: next))
    }

    /// The codes of the R4 BundleType value set.
    static let bundleTypes: Set<String> = [
        "document", "message", "transaction", "transaction-response", "batch", "batch-response",
        "history", "searchset", "collection",
    ]

    /// Nil when `bundle` is a Bundle of the given type, otherwise why not.
    static func checkBundle(_ bundle: JSONValue, type: String) -> FHIRFormatError? {
        guard bundle.asObject != nil else { return FHIRFormatError("expected a Bundle, not a JSON \(bundle.typeName)") }
        guard bundle.string("resourceType") == "Bundle" else { return FHIRFormatError("resourceType must be \"Bundle\"") }
        guard let actual = bundle.string("type") else { return FHIRFormatError("Bundle.type is missing") }
        guard actual == type else {
            // Only codes of the R4 BundleType value set are echoed: nothing else from the
            // document reaches an error message.
            let shown = bundleTypes.contains(actual) ? "\"\(actual)\"" : "an unknown type"
            return FHIRFormatError("Bundle.type must be \"\(type)\", not \(shown)")
        }
        return nil
    }

    /// `Bundle.entry` as objects; empty when absent, nil when not an array of objects.
    static func entryArray(_ bundle: JSONValue) -> [JSONValue]? {
        guard let value = bundle[member: "entry"] else { return [] }
        guard let entries = value.asArray, entries.allSatisfy({ $0.asObject != nil }) else { return nil }
        return entries
    }

    /// The status code at the start of `"201 Created"` (or a bare `"201"`).
    static func httpStatus(_ text: String) -> Int? {
        let digits = text.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let rest = text.dropFirst(3)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return Int(digits)
    }
}
