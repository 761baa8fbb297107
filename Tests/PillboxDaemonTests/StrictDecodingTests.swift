import Foundation
import PillboxDaemon
import PillboxModel
import PillboxTestSupport
import Testing

@Suite("The configuration file is decoded strictly: unknown keys, wrong types and nulls are refused with their key path")
struct StrictDecodingTests {
    /// The error decoding `json` gives, or nil when it decodes.
    static func refusal(_ json: String) -> ConfigurationError? {
        do {
            _ = try JSONDecoder().decode(DaemonConfiguration.self, from: Data(json.utf8))
            return nil
        } catch let error as DecodingError {
            return ConfigurationError(error)
        } catch {
            return ConfigurationError([], "unexpected \(error)")
        }
    }

    @Test("An unknown key, at the top or nested at any depth, is refused with its path and the known keys")
    func unknownKeys() {
        let cases: [(String, String)] = [
            (#"{"colour": "blue"}"#, "colour"),
            (#"{"limits": {"maxBodyBytez": 1}}"#, "limits.maxBodyBytez"),
            (#"{"roles": {"admins": {}}}"#, "roles.admins"),
            (#"{"central": {"prefetch": {"recentDayz": 3}}}"#, "central.prefetch.recentDayz"),
            (#"{"central": {"tls": {"certificate": "a", "privateKey": "b", "caBundle": "c", "ca": "d"}}}"#, "central.tls.ca"),
        ]
        for (json, path) in cases {
            let error = Self.refusal(json)
            #expect(error?.keyPath == path, "\(json)")
            #expect(error?.message.hasPrefix("unknown key (known here: ") == true, "\(String(describing: error))")
        }
        #expect(Self.refusal(#"{"limits": {"maxBodyBytez": 1}}"#)?.description == "setting limits.maxBodyBytez: unknown key "
            + "(known here: idleTimeoutSeconds, listenBacklog, maxBodyBytes, maxConnections, maxConnectionsPerPeer, "
            + "maxExportDispenses, maxHeaderBytes, maxLongText, maxOpenConnections, maxPageSize, maxShortText, requestBurstPerUid, "
            + "requestTimeoutSeconds, requestsPerSecondPerUid, responseTimeoutSeconds)")
    }

    @Test("A value of the wrong type, or null, is refused with its path and what it must be")
    func wrongTypes() {
        let cases: [(String, ConfigurationError)] = [
            (#"{"dev": "yes"}"#, .init(["dev"], "must be true or false")),
            (#"{"dataDir": 7}"#, .init(["dataDir"], "must be a string")),
            (#"{"keyFile": null}"#, .init(["keyFile"], "must not be null; leave the key out to keep its default")),
            (#"{"socketMode": 660}"#, .init(["socketMode"], "must be a string")),
            (#"{"socketMode": "0698"}"#, .init(["socketMode"], "must be octal, e.g. \"0660\"")),
            (#"{"limits": {"maxBodyBytes": "big"}}"#, .init(["limits", "maxBodyBytes"], "must be a whole number")),
            (#"{"limits": {"maxBodyBytes": 1.5}}"#, .init(["limits", "maxBodyBytes"], "must be a whole number")),
            (#"{"limits": {"requestTimeoutSeconds": "10"}}"#, .init(["limits", "requestTimeoutSeconds"], "must be a number")),
            (#"{"limits": []}"#, .init(["limits"], "must be an object")),
            (#"{"roles": {"users": {"alice": 1}}}"#, .init(["roles", "users", "alice"], "must be a string")),
            (#"{"roles": {"groups": {"staff": "boss"}}}"#,
             .init(["roles", "groups", "staff"], "must be \"read\", \"dispense\" or \"admin\"")),
            (#"{"central": {"prefetch": 3}}"#, .init(["central", "prefetch"], "must be an object")),
            (#"{"central": {"tls": {"certificate": "a"}}}"#,
             .init(["central", "tls"], "needs certificate, privateKey and caBundle (PEM file paths)")),
        ]
        for (json, expected) in cases {
            #expect(Self.refusal(json) == expected, "\(json)")
        }
    }

    @Test("A missing key keeps its default, in every group; dev mode picks the dev defaults")
    func missingKeysKeepDefaults() throws {
        let decoded = try JSONDecoder().decode(DaemonConfiguration.self, from: Data(#"{"limits": {"maxPageSize": 9}, "central": {"prefetch": {}}}"#.utf8))
        var expected = DaemonConfiguration.production
        expected.limits.maxPageSize = 9
        #expect(decoded == expected)
        let dev = try JSONDecoder().decode(DaemonConfiguration.self, from: Data(#"{"dev": true, "dataDir": "/d"}"#.utf8))
        #expect(dev.socketPath == "/d/pillbox.sock")
        #expect(dev.dataDir == "/d")
    }
}
