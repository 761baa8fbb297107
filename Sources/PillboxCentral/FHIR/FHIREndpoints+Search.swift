import Foundation
import Hummingbird

extension FHIREndpoints {
    /// Default and largest page size of a search.
    static let defaultCount = 50
    static let maxCount = 500

    /// `GET /fhir/MedicationDispense?subject:identifier=SYSTEM|VALUE&_count=N&_getpagesoffset=M`:
    /// a `searchset` Bundle with `total`, a `self` link and, when more follow, a `next` link.
    func search(_ request: Request, context: CentralRequestContext) async throws -> Response {
        stats.record { $0.searches += 1 }
        let query = request.uri.queryParameters
        let subject = query.get("subject:identifier").map(SubjectToken.init)
        if let subject, subject.value.isEmpty {
            throw FHIRIssue(.badRequest, code: "invalid", "subject:identifier needs a value (SYSTEM|VALUE)")
        }
        // `_summary=count` (the uploader's credential check): the total only, no resources.
        let summaryCount = query.get("_summary") == "count"
        let count = summaryCount ? 0 : min(try Self.integer(query.get("_count"), name: "_count") ?? Self.defaultCount, Self.maxCount)
        let offset = try Self.integer(query.get("_getpagesoffset"), name: "_getpagesoffset") ?? 0
        let page: SearchPage
        do {
            page = try await store.search(subject: subject, count: count, offset: offset)
        } catch {
            throw FHIRIssue(.internalServerError, code: "exception", "the central store failed: \((error as? CentralError)?.code.rawValue ?? "error")")
        }
        let base = baseURL(request)
        var links: [JSONValue] = [["relation": "self", "url": .string(pageURL(base, subject, count: count, offset: offset))]]
        if count > 0 && offset + count < page.total {
            links.append(["relation": "next", "url": .string(pageURL(base, subject, count: count, offset: offset + count))])
        }
        let entries: [JSONValue] = page.resources.map { stored in
            [
                "fullUrl": .string("\(base)/MedicationDispense/\(stored.id)"),
                "resource": JSONValue.parse(stored.json) ?? .null,
                "search": ["mode": "match"],
            ]
        }
        var bundle: JSONValue = [
            "resourceType": "Bundle", "type": "searchset", "total": .int(Int64(page.total)), "link": .array(links),
        ]
        if !entries.isEmpty { bundle = bundle.setting("entry", to: .array(entries)) }
        return FHIRResponse.json(bundle)
    }

    /// A non-negative integer parameter, or nil when absent.
    static func integer(_ text: String?, name: String) throws(FHIRIssue) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw FHIRIssue(.badRequest, code: "invalid", "\(name) must be a whole number, 0 or more")
        }
        return value
    }

    /// The absolute URL of one page.
    func pageURL(_ base: String, _ subject: SubjectToken?, count: Int, offset: Int) -> String {
        var parameters: [String] = []
        if let subject {
            let token = subject.system.map { "\($0)|\(subject.value)" } ?? subject.value
            parameters.append("subject:identifier=\(Self.percentEncoded(token))")
        }
        parameters.append("_count=\(count)")
        if offset > 0 { parameters.append("_getpagesoffset=\(offset)") }
        return "\(base)/MedicationDispense?" + parameters.joined(separator: "&")
    }

    /// `text` with everything but unreserved ASCII percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
