import Foundation
import Hummingbird
import Logging
import NIOCore

/// The FHIR listener's handlers: what each route does, with the store and the counters.
struct FHIREndpoints: Sendable {
    let store: SimulatorStore
    let stats: StatsRecorder
    let scheme: String
    let maxBodyBytes: Int
    /// `host:port` of the listener, for absolute URLs when a request has no Host header.
    let fallbackAuthority: @Sendable () -> String
    /// Page tokens of `POST _search` searches (FHIREndpoints+Search.swift).
    let postedSearches = PostedSearches()

    /// The service base URL as the client addressed it: `http://host:port/fhir`.
    func baseURL(_ request: Request) -> String {
        "\(scheme)://\(request.head.authority ?? fallbackAuthority())/fhir"
    }

    /// `GET /fhir/metadata`.
    func metadata(_ request: Request, context: SimulatorRequestContext) -> Response {
        FHIRResponse.json(CapabilityStatement.resource)
    }

    /// `GET /fhir/MedicationDispense/{id}`.
    func read(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        stats.record { $0.reads += 1 }
        let id = context.parameters.get("id") ?? ""
        guard IncomingDispense.isValidID(id), let stored = try await store.resource(id: id) else {
            throw FHIRIssue(.notFound, code: "not-found", "MedicationDispense/\(id) is not known")
        }
        return FHIRResponse.json(stored.json, headers: [.eTag: FHIRResponse.etag(stored.versionId)])
    }

    /// The request body, after checking its media type and size.
    func body(of request: Request) async throws -> Data {
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard mediaType == "application/fhir+json" || mediaType == "application/json" else {
                throw FHIRIssue(.unsupportedMediaType, code: "not-supported",
                                "Content-Type must be application/fhir+json or application/json")
            }
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw FHIRIssue(.contentTooLarge, code: "too-costly", "the body exceeds \(maxBodyBytes) bytes")
        } catch {
            throw FHIRIssue(.badRequest, code: "invalid", "the body could not be read")
        }
    }

    /// Applies the `reject` and `reject-all` modes to a valid entry.
    func checkRejection(_ entry: IncomingDispense, mode: FaultMode) throws(FHIRIssue) {
        if mode.mode == .rejectAll {
            throw FHIRIssue(HTTPResponse.Status(code: mode.effectiveRejectStatus), code: "business-rule",
                            "the central record refuses every dispense (reject-all mode)")
        }
        guard mode.mode == .reject, let prefix = mode.rejectIdentifierPrefix, !prefix.isEmpty,
            let value = entry.identifierValue, value.hasPrefix(prefix)
        else { return }
        throw FHIRIssue(.unprocessableContent, code: "business-rule",
                        "the central record refuses this dispense (identifier matches the rejected prefix)")
    }

    /// Closes the connection without an answer (`drop-after-commit`), counting it.
    func drop(_ context: SimulatorRequestContext) async throws -> Never {
        stats.record { $0.droppedResponses += 1 }
        context.logger.info("Response dropped after commit", metadata: ["central.fault": "drop-after-commit"])
        await context.channel.abort()
        throw ResponseDropped(reason: "drop-after-commit")
    }

    /// Counts one stored entry's outcome.
    func count(_ outcome: WriteOutcome) {
        stats.record { stats in
            switch outcome {
            case .created: stats.entriesCreated += 1
            case .updated: stats.entriesUpdated += 1
            case .unchanged: stats.entriesUnchanged += 1
            }
        }
    }
}
