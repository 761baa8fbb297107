import Foundation
import PillboxFHIR

/// The profile search keeps the patient's NAM out of every URL: URLs end up in proxy and
/// server access logs, a request body does not.
extension CentralClient {
    /// Media type of a FHIR `POST _search` body.
    static let formMediaType = "application/x-www-form-urlencoded"

    /// `POST [base]/MedicationDispense/_search` with `subject:identifier` and `_count` in a
    /// form-encoded body (FHIR R4, RESTful API, search with POST).
    static func profileSearch(nam: String) -> CentralRequest {
        let body = formEncoded([("subject:identifier", "\(FHIRMapping.namSystem)|\(nam)"), ("_count", "200")])
        return CentralRequest(method: "POST", path: "MedicationDispense/_search", body: Data(body.utf8),
                              contentType: formMediaType)
    }

    /// How to fetch a search's `next` page. A server that pages with a token (HAPI's
    /// `_getpages`, the simulator after a POST search) gives a link without the NAM: it is
    /// fetched with GET as given. A server that repeats the search parameters in the link
    /// puts the NAM in it: then the link's query is POSTed to `_search` instead, so the NAM
    /// still never travels in a URL.
    static func following(_ next: String, nam: String) -> CentralRequest {
        guard let components = URLComponents(string: next), let query = components.percentEncodedQuery,
              carries(nam: nam, in: next) else {
            return CentralRequest(method: "GET", path: next)
        }
        return CentralRequest(method: "POST", path: "MedicationDispense/_search", body: Data(query.utf8),
                              contentType: formMediaType)
    }

    /// Whether `url` holds `nam`, in clear or percent-encoded, in any letter case.
    static func carries(nam: String, in url: String) -> Bool {
        let decoded = (url.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? url).uppercased()
        return decoded.contains(nam.uppercased()) || url.uppercased().contains(nam.uppercased())
    }

    /// `name=value&…` with everything but unreserved characters percent-encoded.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        return fields.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? name) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value)
        }.joined(separator: "&")
    }
}
