import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// Read-only handlers: single dispenses, history, profiles, recalls.
struct QueryRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func dispense(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        context.audit.concerns(dispense: id)
        // The record's answer object spliced from its opened payload (no decode, no encode).
        guard let record = try await mapStoreError({ try await store.dispenseAnswer(id: id) }) else {
            throw Problem.notFound(.dispense)
        }
        context.audit.concerns(patient: record.nam)
        return JSONIO.response(json: record.bytes)
    }

    func history(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        context.audit.concerns(dispense: id)
        let versions = try await mapStoreError { try await store.history(id: id) }
        guard let last = versions.last else { throw Problem.notFound(.dispense) }
        // Every patient the versions name (a correction may have changed it), the current one first.
        context.audit.concerns(patients: [last.dispense.patient.nam] + versions.reversed().map(\.dispense.patient.nam))
        return try JSONIO.response(HistoryResponse(versions: versions))
    }

    func profile(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let raw = try context.parameters.require("nam")
        let decoded = raw.removingPercentEncoding ?? raw
        guard decoded.count <= 32, let nam = Identifiers.normalizedNAM(decoded) else {
            throw Problem.badQuery("nam", .namShape)
        }
        context.audit.concerns(patient: nam)
        let since = try request.uri.queryParameters["since"].map { text -> Date in
            guard let date = Timestamps.parseDate(String(text), timeZone: .current) else { throw Problem.badQuery("since", .dateShape) }
            return date
        }
        let limit = try request.pageSize(default: 200, limits: dependencies.limits)
        // Ready bytes end to end: each local record's answer object is spliced from its opened
        // payload, each central entry comes encoded from the cache (docs/performance.md, "profile").
        let listing = try await mapStoreError {
            try await store.profileAnswer(nam: nam, since: since, limit: limit, extra: [("source", "local")])
        }
        let central = await dependencies.central.profileFragments(nam: nam, localDispenseIDs: listing.pharmacyDispenseIds)
        let answer = ProfileAnswer(nam: nam, local: listing, central: central, since: since, limit: limit)
        return JSONIO.response(json: answer.bytes)
    }

    func recall(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let din = query["din"].map(String.init), Identifiers.isDIN(din) else {
            throw Problem.badQuery("din", Phrase("is required: the product's 8-digit DIN", fr: "est obligatoire : le DIN du produit, 8 chiffres"))
        }
        let from = try request.periodBound("from", endOfDay: false)
        let to = try request.periodBound("to", endOfDay: true)
        let lot = query["lot"].map { String($0).trimmingCharacters(in: .whitespaces) }
        if let lot, lot.isEmpty || lot.count > 64 { throw Problem.badQuery("lot", Phrase("must be 1 to 64 characters", fr: "doit compter de 1 à 64 caractères")) }
        let page = try await mapStoreError {
            try await store.recall(RecallQuery(din: din, lot: lot, from: from, to: to,
                                               limit: try request.pageSize(default: 100, limits: dependencies.limits),
                                               cursor: query["cursor"].map(String.init)))
        }
        context.audit.concerns(patients: page.records.map(\.dispense.patient.nam))
        let dispenses = page.entries.map { listed -> RecallEntry in
            switch listed {
            case .record(let record): .record(record)
            case .unreadable(let flag): .unreadable(UnreadableEntry(flag, source: nil))
            }
        }
        return try JSONIO.response(RecallResponse(dispenses: dispenses, unreadableEntries: page.entries.count - page.records.count,
                                                  nextCursor: page.nextCursor))
    }
}
