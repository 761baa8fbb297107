import Foundation
import PillboxModel
import PillboxWire

/// Every call of the local API (docs/openapi.yaml), typed by its answer. Adding a route adds
/// one member here and, for the daemon, one line in `RouteTable`.
package enum LocalAPI {
    package static let health = LocalEndpoint<HealthResponse>("GET", "/v1/health")
    package static let status = LocalEndpoint<StatusResponse>("GET", "/v1/status")

    /// Records a dispense (`body`: the JSON of POST /v1/dispenses): 201 created, 200 replayed.
    package static func record(_ body: Data) -> LocalEndpoint<RecordedDispense> {
        LocalEndpoint("POST", "/v1/dispenses", body: body, success: [200, 201])
    }

    package static func correct(id: String, _ body: Data) -> LocalEndpoint<RecordedDispense> {
        LocalEndpoint("POST", "/v1/dispenses/\(escape(id))/corrections", body: body, success: [201])
    }

    /// Checks a prospective dispense (same body as `record`) without recording it.
    package static func checks(_ body: Data) -> LocalEndpoint<CheckResponse> {
        LocalEndpoint("POST", "/v1/checks", body: body)
    }

    package static func cancel(id: String, _ body: Data) -> LocalEndpoint<DispenseRecord> {
        LocalEndpoint("POST", "/v1/dispenses/\(escape(id))/cancel", body: body, success: [201])
    }

    package static func dispense(id: String) -> LocalEndpoint<DispenseRecord> {
        LocalEndpoint("GET", "/v1/dispenses/\(escape(id))")
    }

    package static func history(id: String) -> LocalEndpoint<HistoryResponse> {
        LocalEndpoint("GET", "/v1/dispenses/\(escape(id))/history")
    }

    /// A patient's profile; `since` is a date (YYYY-MM-DD).
    package static func profile(nam: String, since: String? = nil, limit: Int? = nil) -> LocalEndpoint<ProfileResponse> {
        LocalEndpoint("GET", "/v1/patients/\(escape(nam))/medications",
                      query: [("since", since), ("limit", limit.map(String.init))])
    }

    /// One page of the dispenses of a DIN; `from`/`to` are dates or RFC 3339 date-times.
    package static func recall(din: String, lot: String? = nil, from: String? = nil, to: String? = nil, limit: Int? = nil,
                              cursor: String? = nil) -> LocalEndpoint<RecallResponse> {
        LocalEndpoint("GET", "/v1/dispenses", query: [("din", din), ("lot", lot), ("from", from), ("to", to),
                                                      ("limit", limit.map(String.init)), ("cursor", cursor)])
    }

    package static func audit(since: String? = nil, after: Int64? = nil, limit: Int? = nil,
                             verify: Bool = false) -> LocalEndpoint<AuditPage> {
        LocalEndpoint("GET", "/v1/audit", query: [("since", since), ("after", after.map(String.init)),
                                                  ("limit", limit.map(String.init)), ("verify", verify ? "true" : nil)])
    }

    /// The upload queue; `state` is `pending`, `sent` or `failed` (nil: all).
    package static func outbox(state: String? = nil, limit: Int? = nil) -> LocalEndpoint<OutboxPage> {
        LocalEndpoint("GET", "/v1/outbox", query: [("limit", limit.map(String.init)), ("state", state)])
    }

    package static func retry(seq: Int64) -> LocalEndpoint<RetryResponse> {
        LocalEndpoint("POST", "/v1/outbox/\(seq)/retry")
    }

    /// Asks the daemon for a verified backup into the folder `destination` (absolute path).
    package static func backup(destination: String) -> LocalEndpoint<BackupResponse> {
        let body = (try? JSONEncoder().encode(["destination": destination])) ?? Data()
        return LocalEndpoint("POST", "/v1/backups", body: body, success: [201])
    }

    /// Archives the audit entries recorded before `before` (YYYY-MM-DD) into the folder
    /// `destination` (absolute path) and removes them from the store; with `dryRun`, only counts them.
    package static func archiveAudit(before: String, destination: String, dryRun: Bool) -> LocalEndpoint<AuditArchiveResponse> {
        struct Body: Encodable {
            var before: String
            var destination: String
            var dryRun: Bool
        }
        let body = (try? JSONEncoder().encode(Body(before: before, destination: destination, dryRun: dryRun))) ?? Data()
        return LocalEndpoint("POST", "/v1/audit/archive", body: body, success: [200, 201])
    }

    /// Checks the archive file at `path` (absolute) under the box's audit key.
    package static func verifyAuditArchive(path: String) -> LocalEndpoint<AuditArchiveCheckResponse> {
        let body = (try? JSONEncoder().encode(["path": path])) ?? Data()
        return LocalEndpoint("POST", "/v1/audit/archive/verify", body: body)
    }

    /// Every dead letter back in the queue; with `since` (a date, YYYY-MM-DD, or an RFC 3339
    /// date-time), only those dead-lettered since then.
    package static func retryAll(since: String? = nil) -> LocalEndpoint<RetryAllResponse> {
        LocalEndpoint("POST", "/v1/outbox/retry", query: [("since", since)])
    }

    /// A patient's whole local record as a FHIR R4 Bundle (admin).
    package static func export(nam: String) -> LocalEndpoint<ExportBundle> {
        LocalEndpoint("GET", "/v1/patients/\(escape(nam))/export")
    }

    package static let sync = LocalEndpoint<SyncResponse>("POST", "/v1/sync", success: [202])

    /// Checks the daemon's store on a read snapshot; `scope` is `all` (default) or `audit`.
    package static func verify(scope: String? = nil) -> LocalEndpoint<VerifyReport> {
        LocalEndpoint("POST", "/v1/verify", query: [("scope", scope)])
    }
    /// The data folder's keys and the last rotation of the data key.
    package static let keys = LocalEndpoint<KeysResponse>("GET", "/v1/keys")

    /// Starts a rotation of the data key: 202 with the keys; 409 while one is running.
    package static let rotateKeys = LocalEndpoint<KeysResponse>("POST", "/v1/keys/rotate", success: [202])

    /// `text` percent-encoded for a path segment or a query value.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_"])) ?? text
    }
}
