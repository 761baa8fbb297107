import Foundation
import Hummingbird
import NIOCore

extension FHIREndpoints {
    /// Default and largest page size of a search.
    static let defaultCount = 50
    static let maxCount = 500
    /// Largest `POST _search` body accepted.
    static let maxSearchBodyBytes = 16 * 1024

    /// `GET /fhir/MedicationDispense?subject:identifier=SYSTEM|VALUE&_count=N&_getpagesoffset=M`:
    /// a `searchset` Bundle with `total`, a `self` link and, when more follow, a `next` link.
    /// The links repeat the query, the subject included, as many FHIR servers do.
    ///
    /// `GET /fhir/MedicationDispense?_getpages=TOKEN&_count=N&_getpagesoffset=M` continues a
    /// search made with `POST _search` (its links carry the token, never the subject).
    func search(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var parameters: [String: String] = [:]
        for name in ["subject:identifier", "_count", "_getpagesoffset", "_getpages", "_summary"] {
            if let value = query.get(name) { parameters[name] = value }
        }
        return try await search(parameters, base: baseURL(request))
    }

    /// `POST /fhir/MedicationDispense/_search` with the parameters in an
    /// `application/x-www-form-urlencoded` body (FHIR R4 3.1.0.8.1), so that the subject
    /// (a patient's health number) is not in the URL. The answer's `self` and `next` links
    /// carry a page token (`_getpages`) instead of the subject.
    func postSearch(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw FHIRIssue(.unsupportedMediaType, code: "not-supported",
                            "POST _search needs Content-Type application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxSearchBodyBytes)
        } catch {
            throw FHIRIssue(.contentTooLarge, code: "too-costly", "the search body exceeds \(Self.maxSearchBodyBytes) bytes")
        }
        var parameters = Self.formFields(String(decoding: body.readableBytesView, as: UTF8.self))
        // Parameters in the URL are allowed too (FHIR merges both); the body wins.
        for name in ["_count", "_getpagesoffset"] where parameters[name] == nil {
            if let value = request.uri.queryParameters.get(name) { parameters[name] = value }
        }
        if parameters["_getpages"] == nil {
            let subject = parameters["subject:identifier"].map(SubjectToken.init)
            if let subject, subject.value.isEmpty {
                throw FHIRIssue(.badRequest, code: "invalid", "subject:identifier needs a value (SYSTEM|VALUE)")
            }
            parameters["subject:identifier"] = nil
            parameters["_getpages"] = postedSearches.remember(subject)
        }
        return try await search(parameters, base: baseURL(request))
    }

    /// Runs a search from its parameters and answers the searchset Bundle.
    private func search(_ parameters: [String: String], base: String) async throws -> Response {
        stats.record { $0.searches += 1 }
        let token = parameters["_getpages"]
        let subject: SubjectToken?
        if let token {
            guard let remembered = postedSearches.subject(for: token) else {
                throw FHIRIssue(.gone, code: "not-found", "this search's pages are no longer kept; search again")
            }
            subject = remembered
        } else {
            subject = parameters["subject:identifier"].map(SubjectToken.init)
            if let subject, subject.value.isEmpty {
                throw FHIRIssue(.badRequest, code: "invalid", "subject:identifier needs a value (SYSTEM|VALUE)")
            }
        }
        // `_summary=count` (the uploader's credential check): the total only, no resources.
        let summaryCount = parameters["_summary"] == "count"
        let count = summaryCount ? 0 : min(try Self.integer(parameters["_count"], name: "_count") ?? Self.defaultCount, Self.maxCount)
        let offset = try Self.integer(parameters["_getpagesoffset"], name: "_getpagesoffset") ?? 0
        let page: SearchPage
        do {
            page = try await store.search(subject: subject, count: count, offset: offset)
        } catch {
            throw FHIRIssue(.internalServerError, code: "exception", "the central store failed: \((error as? SimulatorError)?.code.rawValue ?? "error")")
        }
        let link = { (offset: Int) -> String in
            token.map { pageURL(base, token: $0, count: count, offset: offset) }
                ?? pageURL(base, subject, count: count, offset: offset)
        }
        var links: [JSONValue] = [["relation": "self", "url": .string(link(offset))]]
        if count > 0 && offset + count < page.total {
            links.append(["relation": "next", "url": .string(link(offset + count))])
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

    /// The fields of an `application/x-www-form-urlencoded` body (`+` is a space); the first
    /// of a repeated name wins.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    /// The absolute URL of one page of a GET search.
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

    /// The absolute URL of one page of a posted search: the page token, never the subject.
    func pageURL(_ base: String, token: String, count: Int, offset: Int) -> String {
        var url = "\(base)/MedicationDispense?_getpages=\(token)&_count=\(count)"
        if offset > 0 { url += "&_getpagesoffset=\(offset)" }
        return url
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
