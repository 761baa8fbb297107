import Foundation
import PillboxDaemon
import PillboxModel
import PillboxTestSupport
import Testing

@Suite("--check-config prints the configuration with the encoder")
struct CheckConfigOutputTests {
    @Test("A configuration with every group set differently from the defaults reads back the same, and prints the same again")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try ConfigurationTests.file([
            "dev": true, "dataDir": "/d", "keyFile": "/k", "logLevel": "debug", "socketMode": "0640",
            "auditFlushMilliseconds": 500, "healthProbeSeconds": 0.25,
            "roles": ["users": ["0": "read"], "groups": ["0": "admin"]],
            "limits": ["maxBodyBytes": 4096, "requestTimeoutSeconds": 2.5, "maxShortText": 100],
            "central": ["url": "https://central.example/fhir", "pharmacySystem": "https://p.example/ids", "pharmacyId": "7",
                        "tls": ["certificate": "/c.pem", "privateKey": "/k.pem", "caBundle": "/ca.pem"],
                        "backoffInitialSeconds": 0.5, "prefetch": ["recentDays": 0]],
            "checks": ["earlyRefillRemainingPercent": 40.5, "maxLocalFills": 20],
        ], in: directory)
        let original = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        #expect(original.socketPath == "/d/pillbox.sock")
        #expect(original.limits.validation.maxShortText == 100)
        #expect(original.checks.earlyRefillRemainingPercent == 40.5)
        #expect(original.checks.maxLocalFills == 20)
        #expect(original.upload.tls?.caBundle == "/ca.pem")
        let printed = directory.file("printed.json")
        try Data(original.effectiveJSON().utf8).write(to: URL(fileURLWithPath: printed))
        let reread = try DaemonConfiguration.resolve(configFile: printed, environment: [:])
        #expect(reread == original)
        #expect(reread.effectiveJSON() == original.effectiveJSON())
    }

    @Test("The production defaults print exactly so: sorted keys, no keyFile, no central url or tls")
    func productionOutput() throws {
        let printed = DaemonConfiguration.production.effectiveJSON()
        #expect(printed == """
            {
              "auditFlushMilliseconds" : 200,
              "backup" : {
                "folders" : [
                  "/var/backups/pillbox"
                ],
                "maxAgeHours" : 26
              },
              "central" : {
                "backoffInitialSeconds" : 1,
                "backoffMaxSeconds" : 300,
                "batchSize" : 100,
                "configurationRetrySeconds" : 30,
                "idlePollSeconds" : 5,
                "pharmacyId" : "unconfigured",
                "pharmacySystem" : "urn:pillbox:unconfigured-pharmacy",
                "prefetch" : {
                  "recentDays" : 30,
                  "refreshAgeMinutes" : 240,
                  "requestsPerMinute" : 30
                },
                "profileBudgetMilliseconds" : 300,
                "requestTimeoutSeconds" : 30,
                "startJitterSeconds" : 30,
                "systemicRefusalThreshold" : 10
              },
              "checks" : {
                "duplicateTherapyOverlapDays" : 0,
                "earlyRefillRemainingPercent" : 25,
                "maxLocalFills" : 1000,
                "samePrescriptionRemainingPercent" : 0,
                "staleCacheSeconds" : 86400
              },
              "dataDir" : "/var/lib/pillbox",
              "dev" : false,
              "healthProbeSeconds" : 15,
              "keys" : {
                "rotationBatchSize" : 16,
                "rotationPauseMilliseconds" : 20
              },
              "limits" : {
                "idleTimeoutSeconds" : 60,
                "listenBacklog" : 1024,
                "maxBodyBytes" : 65536,
                "maxConnections" : 64,
                "maxConnectionsPerPeer" : 32,
                "maxExportDispenses" : 10000,
                "maxHeaderBytes" : 16384,
                "maxLongText" : 2000,
                "maxOpenConnections" : 256,
                "maxPageSize" : 500,
                "maxShortText" : 200,
                "requestBurstPerUid" : 500,
                "requestTimeoutSeconds" : 10,
                "requestsPerSecondPerUid" : 100,
                "responseTimeoutSeconds" : 10
              },
              "logLevel" : "info",
              "roles" : {
                "groups" : {
                  "pillbox" : "dispense"
                },
                "users" : {

                }
              },
              "socket" : "/run/pillbox/pillbox.sock",
              "socketMode" : "0660",
              "statusCacheSeconds" : 2,
              "tasksOnEventLoops" : true
            }
            """)
    }

    @Test("docs/configuration.md names every key the file accepts")
    func documented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        var full = DaemonConfiguration.production
        full.keyFile = "/k"
        full.upload.centralURL = "https://c.example"
        full.upload.tls = .init(certificate: "c", privateKey: "k", caBundle: "b")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(full.effectiveJSON().utf8))
        for keyPath in Self.keyPaths(json, prefix: []) {
            let written = keyPath.first == "central" ? keyPath.dropFirst() : keyPath[...]
            #expect(text.contains("`\(written.joined(separator: "."))`"), "\(keyPath.joined(separator: ".")) is not in docs/configuration.md")
        }
    }

    @Test("The complete example in docs/configuration.md and systemd/pillbox.json.example decode strictly and mean what they say")
    func examplesDecode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let block = try #require(docs.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        let fromDocs = try JSONDecoder().decode(DaemonConfiguration.self, from: Data(block.utf8))
        #expect(fromDocs.roles.users == ["pharmacist-admin": .admin, "1001": .read])
        #expect(fromDocs.upload.tls?.caBundle == "/etc/pillbox/central-ca.crt")
        #expect(fromDocs.limits == DaemonConfiguration.production.limits, "the example shows the default limits")
        let shipped = try JSONDecoder().decode(DaemonConfiguration.self,
                                               from: Data(contentsOf: root.appendingPathComponent("systemd/pillbox.json.example")))
        #expect(shipped.upload.pharmacy.pharmacyID == "0042")
        #expect(throws: Never.self) { try shipped.check() }
    }

    /// Every leaf key path; the role maps count as leaves.
    static func keyPaths(_ value: JSONValue, prefix: [String]) -> [[String]] {
        guard case .object(let object) = value, prefix.first != "roles" || prefix.count < 2 else { return [prefix] }
        return object.flatMap { keyPaths($0.value, prefix: prefix + [$0.key]) }
    }
}
