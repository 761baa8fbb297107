import Foundation
import PillboxFHIR
import PillboxModel

/// FHIR-level conversations with the central record, over a `CentralTransport`.
package struct CentralClient: Sendable {
    package let transport: any CentralTransport
    package let pharmacy: PharmacyIdentity

    package init(transport: any CentralTransport, pharmacy: PharmacyIdentity) {
        self.transport = transport
        self.pharmacy = pharmacy
    }

    /// How a batch upload came out.
    package enum BatchResult: Sendable {
        /// A batch-response: one outcome per entry, in order.
        case answered([EntryOutcome])
        /// The whole request was answered with an error status.
        case refused(status: Int, retryAfter: Double?, outcome: JSONValue?)
        /// A 2xx that is not a readable batch-response.
        case unreadable(String)
        /// No answer at all.
        case transportFailed(TransportError)
    }

    /// PUTs the given versions in one FHIR `batch` Bundle.
    package func upload(_ records: [DispenseRecord]) async -> BatchResult {
        let bundle = FHIRMapping.batchBundle(records.map { FHIRMapping.medicationDispense($0, pharmacy: pharmacy) })
        // Written directly: the bytes `JSONCoding.encoder` wrote, at a fraction of its cost.
        guard let body = bundle.jsonBytes else { return .unreadable("cannot encode the bundle") }
        let response: CentralResponse
        do {
            response = try await transport.send(CentralRequest(method: "POST", path: "", body: Data(body)))
        } catch let error as TransportError {
            return .transportFailed(error)
        } catch {
            // The HTTP transport throws only `TransportError`; another transport's error is
            // named by its type alone (its text could hold anything).
            return .transportFailed(TransportError("the request failed (\(type(of: error)))"))
        }
        let json = JSONValue.answer(response.body)
        guard (200...299).contains(response.status) else {
            return .refused(status: response.status, retryAfter: response.retryAfter, outcome: json)
        }
        guard let json else { return .unreadable("the answer is not JSON") }
        switch FHIRMapping.batchOutcomes(json, expected: records.count) {
        case .success(let outcomes): return .answered(outcomes)
        case .failure(let error): return .unreadable(error.message)
        }
    }

    /// The credential check: a request that needs the same authorization as an upload (a
    /// `MedicationDispense` search that returns only a count, no resource), unlike
    /// `GET metadata`, which servers usually answer anonymously.
    package static let credentialCheck = CentralRequest(method: "GET", path: "MedicationDispense?_summary=count&_count=0")

    /// True when the central record accepts our credentials: `credentialCheck` answers 2xx.
    package func credentialsAccepted() async -> Bool {
        guard let response = try? await transport.send(Self.credentialCheck) else { return false }
        return (200...299).contains(response.status)
    }

    /// Every central dispense of a patient, following `next` links (at most `maxPages`).
    /// The NAM travels only in request bodies (`POST _search`), never in a URL
    /// (CentralClient+ProfileSearch.swift).
    package func dispenses(nam: String, maxPages: Int = 20) async throws -> [CentralDispense] {
        var request = Self.profileSearch(nam: nam)
        var result: [CentralDispense] = []
        for _ in 0..<maxPages {
            let response = try await transport.send(request)
            guard (200...299).contains(response.status) else {
                throw TransportError("profile search answered HTTP \(response.status)")
            }
            guard let json = JSONValue.answer(response.body),
                  case .success(let page) = FHIRMapping.searchPage(json) else {
                throw TransportError("profile search answer is not a FHIR searchset")
            }
            result += page.resources.compactMap(FHIRMapping.centralDispense(from:))
            guard let next = page.next else { return result }
            request = Self.following(next, nam: nam)
        }
        return result
    }
}
