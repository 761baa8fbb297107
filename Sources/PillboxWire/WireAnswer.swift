import PillboxModel

/// A body the local API answers with: the daemon encodes only these (`JSONIO.response`), the
/// tool decodes them (`LocalEndpoint`). An answer that is not one of these does not compile,
/// and `WireRoundTripTests` checks that each decodes back to the JSON the daemon sent.
package protocol WireAnswer: Codable, Sendable {}

extension DispenseRecord: WireAnswer {}
extension StatusResponse: WireAnswer {}
extension HealthResponse: WireAnswer {}
extension HistoryResponse: WireAnswer {}
extension ProfileResponse: WireAnswer {}
extension RecallResponse: WireAnswer {}
extension AuditPage: WireAnswer {}
extension OutboxPage: WireAnswer {}
extension RetryResponse: WireAnswer {}
extension RetryAllResponse: WireAnswer {}
extension ExportBundle: WireAnswer {}
extension SyncResponse: WireAnswer {}
extension ProblemDetails: WireAnswer {}
extension CheckResponse: WireAnswer {}
extension RecordedDispense: WireAnswer {}
extension VerifyReport: WireAnswer {}
extension KeysResponse: WireAnswer {}
