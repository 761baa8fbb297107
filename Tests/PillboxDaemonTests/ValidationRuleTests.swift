import Foundation
@testable import PillboxDaemon
import PillboxModel
import Testing

@Suite("Each validation rule refuses its setting by key path")
struct ValidationRuleTests {
    static let central = #""url": "http://127.0.0.1:1/fhir", "pharmacySystem": "https://p.example/ids", "pharmacyId": "1""#

    /// The error `check()` gives for the configuration `json` decodes to.
    static func refusal(_ json: String) throws -> ConfigurationError? {
        let configuration = try JSONDecoder().decode(DaemonConfiguration.self, from: Data(json.utf8))
        do {
            try configuration.check()
            return nil
        } catch {
            return error
        }
    }

    @Test("Each rule, at its bounds, names the setting; the value just inside passes")
    func everyRule() throws {
        let cases: [(refused: String, accepted: String, path: String)] = [
            (#"{"dataDir": ""}"#, #"{"dataDir": "d"}"#, "dataDir"),
            (#"{"socket": "\#(String(repeating: "s", count: 108))"}"#, #"{"socket": "\#(String(repeating: "s", count: 107))"}"#, "socket"),
            (#"{"socket": ""}"#, #"{"socket": "s"}"#, "socket"),
            (#"{"logLevel": "loud"}"#, #"{"logLevel": "critical"}"#, "logLevel"),
            (#"{"socketMode": "1000"}"#, #"{"socketMode": "0777"}"#, "socketMode"),
            (#"{"auditFlushMilliseconds": 9}"#, #"{"auditFlushMilliseconds": 10}"#, "auditFlushMilliseconds"),
            (#"{"auditFlushMilliseconds": 60001}"#, #"{"auditFlushMilliseconds": 60000}"#, "auditFlushMilliseconds"),
            (#"{"healthProbeSeconds": 0.09}"#, #"{"healthProbeSeconds": 0.1}"#, "healthProbeSeconds"),
            (#"{"healthProbeSeconds": 3600.5}"#, #"{"healthProbeSeconds": 3600}"#, "healthProbeSeconds"),
            (#"{"roles": {"users": {"no-such-user-pillbox-test": "read"}}}"#, #"{"roles": {"users": {"0": "read"}}}"#, "roles.users"),
            (#"{"roles": {"groups": {"no-such-group-pillbox-test": "read"}}}"#, #"{"roles": {"groups": {"0": "read"}}}"#, "roles.groups"),
            (#"{"limits": {"maxBodyBytes": 1023}}"#, #"{"limits": {"maxBodyBytes": 1024}}"#, "limits.maxBodyBytes"),
            (#"{"limits": {"maxBodyBytes": 16777217}}"#, #"{"limits": {"maxBodyBytes": 16777216}}"#, "limits.maxBodyBytes"),
            (#"{"limits": {"maxHeaderBytes": 1048577}}"#, #"{"limits": {"maxHeaderBytes": 1048576}}"#, "limits.maxHeaderBytes"),
            (#"{"limits": {"requestTimeoutSeconds": 0}}"#, #"{"limits": {"requestTimeoutSeconds": 0.001}}"#, "limits.requestTimeoutSeconds"),
            (#"{"limits": {"idleTimeoutSeconds": 86401}}"#, #"{"limits": {"idleTimeoutSeconds": 86400}}"#, "limits.idleTimeoutSeconds"),
            (#"{"limits": {"maxConnections": 0}}"#, #"{"limits": {"maxConnections": 1}}"#, "limits.maxConnections"),
            (#"{"limits": {"maxPageSize": 10001}}"#, #"{"limits": {"maxPageSize": 10000}}"#, "limits.maxPageSize"),
            (#"{"limits": {"maxExportDispenses": 0}}"#, #"{"limits": {"maxExportDispenses": 1}}"#, "limits.maxExportDispenses"),
            (#"{"limits": {"maxExportDispenses": 1000001}}"#, #"{"limits": {"maxExportDispenses": 1000000}}"#, "limits.maxExportDispenses"),
            (#"{"limits": {"maxOpenConnections": 100001}}"#, #"{"limits": {"maxOpenConnections": 100000}}"#, "limits.maxOpenConnections"),
            (#"{"limits": {"maxConnections": 257}}"#, #"{"limits": {"maxConnections": 256}}"#, "limits.maxOpenConnections"),
            (#"{"limits": {"maxConnectionsPerPeer": 10001}}"#, #"{"limits": {"maxConnectionsPerPeer": 10000}}"#, "limits.maxConnectionsPerPeer"),
            (#"{"limits": {"responseTimeoutSeconds": 3601}}"#, #"{"limits": {"responseTimeoutSeconds": 3600}}"#, "limits.responseTimeoutSeconds"),
            (#"{"limits": {"listenBacklog": 65536}}"#, #"{"limits": {"listenBacklog": 65535}}"#, "limits.listenBacklog"),
            (#"{"limits": {"maxShortText": 15}}"#, #"{"limits": {"maxShortText": 16}}"#, "limits.maxShortText"),
            (#"{"limits": {"maxLongText": 63}}"#, #"{"limits": {"maxLongText": 64}}"#, "limits.maxLongText"),
            (#"{"central": {"url": "central"}}"#, #"{"central": {"url": ""}}"#, "central.url"),
            (#"{"central": {"url": "ftp://127.0.0.1/fhir"}}"#, #"{"central": {\#(Self.central)}}"#, "central.url"),
            (#"{"central": {"url": "http://central.example/fhir"}}"#, #"{"central": {\#(Self.central)}}"#, "central.url"),
            (#"{"central": {"url": "https://central.example/fhir"}}"#,
             #"{"central": {"url": "https://central.example/fhir", "pharmacySystem": "https://p.example/ids", "pharmacyId": "1", "tls": {"certificate": "c", "privateKey": "k", "caBundle": "b"}}}"#,
             "central.tls"),
            (#"{"central": {"url": "http://127.0.0.1:1/fhir", "pharmacyId": "1"}}"#, #"{"central": {\#(Self.central)}}"#, "central.pharmacySystem"),
            (#"{"central": {"url": "http://127.0.0.1:1/fhir", "pharmacySystem": "not a uri", "pharmacyId": "1"}}"#, #"{"central": {\#(Self.central)}}"#, "central.pharmacySystem"),
            (#"{"central": {"url": "http://127.0.0.1:1/fhir", "pharmacySystem": "https://p.example/a|b", "pharmacyId": "1"}}"#, #"{"central": {\#(Self.central)}}"#, "central.pharmacySystem"),
            (#"{"central": {"url": "http://127.0.0.1:1/fhir", "pharmacySystem": "https://p.example/ids", "pharmacyId": "1|2"}}"#, #"{"central": {\#(Self.central)}}"#, "central.pharmacyId"),
            (#"{"central": {\#(Self.central), "batchSize": 1001}}"#, #"{"central": {\#(Self.central), "batchSize": 1000}}"#, "central.batchSize"),
            (#"{"central": {\#(Self.central), "backoffMaxSeconds": 86401}}"#, #"{"central": {\#(Self.central), "backoffMaxSeconds": 86400}}"#, "central.backoffMaxSeconds"),
            (#"{"central": {\#(Self.central), "backoffInitialSeconds": 301}}"#, #"{"central": {\#(Self.central), "backoffInitialSeconds": 300}}"#, "central.backoffInitialSeconds"),
            (#"{"central": {\#(Self.central), "backoffInitialSeconds": 0}}"#, #"{"central": {\#(Self.central), "backoffInitialSeconds": 0.5}}"#, "central.backoffInitialSeconds"),
            (#"{"central": {\#(Self.central), "startJitterSeconds": -1}}"#, #"{"central": {\#(Self.central), "startJitterSeconds": 0}}"#, "central.startJitterSeconds"),
            (#"{"central": {\#(Self.central), "requestTimeoutSeconds": 601}}"#, #"{"central": {\#(Self.central), "requestTimeoutSeconds": 600}}"#, "central.requestTimeoutSeconds"),
            (#"{"central": {\#(Self.central), "profileBudgetMilliseconds": 9}}"#, #"{"central": {\#(Self.central), "profileBudgetMilliseconds": 10}}"#, "central.profileBudgetMilliseconds"),
            (#"{"central": {\#(Self.central), "idlePollSeconds": 0}}"#, #"{"central": {\#(Self.central), "idlePollSeconds": 3600}}"#, "central.idlePollSeconds"),
            (#"{"central": {\#(Self.central), "systemicRefusalThreshold": 0}}"#, #"{"central": {\#(Self.central), "systemicRefusalThreshold": 1}}"#, "central.systemicRefusalThreshold"),
            (#"{"central": {\#(Self.central), "configurationRetrySeconds": 86401}}"#, #"{"central": {\#(Self.central), "configurationRetrySeconds": 86400}}"#, "central.configurationRetrySeconds"),
            (#"{"central": {\#(Self.central), "prefetch": {"recentDays": -1}}}"#, #"{"central": {\#(Self.central), "prefetch": {"recentDays": 0}}}"#, "central.prefetch"),
            (#"{"central": {\#(Self.central), "prefetch": {"requestsPerMinute": 0}}}"#, #"{"central": {\#(Self.central), "prefetch": {"requestsPerMinute": 1}}}"#, "central.prefetch"),
        ]
        for (refused, accepted, path) in cases {
            #expect(try Self.refusal(refused)?.keyPath == path, "\(refused)")
            #expect(try Self.refusal(accepted) == nil, "\(accepted)")
        }
    }

    @Test("Ranges are named in the message; local-only mode checks nothing else in the central section")
    func messages() throws {
        #expect(try Self.refusal(#"{"limits": {"maxBodyBytes": 10}}"#)?.description
            == "setting limits.maxBodyBytes: is out of range: must be 1024 to 16777216")
        #expect(try Self.refusal(#"{"limits": {"requestTimeoutSeconds": 0}}"#)?.description
            == "setting limits.requestTimeoutSeconds: is out of range: must be more than 0, at most 3600")
        #expect(try Self.refusal(#"{"healthProbeSeconds": 0}"#)?.description
            == "setting healthProbeSeconds: is out of range: must be 0.1 to 3600")
        #expect(try Self.refusal(#"{"central": {"batchSize": 0, "prefetch": {"recentDays": -1}}}"#) == nil)
    }
}
