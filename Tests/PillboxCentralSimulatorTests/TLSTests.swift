import AsyncHTTPClient
import Foundation
import NIOSSL
import PillboxCentralSimulator
import PillboxTestSupport
import Testing

@Suite("Mutual TLS on the FHIR listener")
struct TLSTests {
    @Test("A client with a certificate from the client CA is served; one without, or from another CA, is refused")
    func clientCertificateRequired() async throws {
        let pki = try TemporaryDirectory()
        defer { pki.remove() }
        let certificates = try TestCertificates(in: pki)
        try await withCentral({ configuration in
            configuration.tls = TLSFiles(certificateChainPath: certificates.serverCertificate,
                                         privateKeyPath: certificates.serverKey, clientCAPath: certificates.clientCA)
        }) { central in
            let serverCA = try NIOSSLCertificate.fromPEMFile(certificates.serverCA)
            func client(certificate: String?, key: String?) throws -> HTTPClient {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates(serverCA)
                if let certificate, let key {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                }
                var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
                configuration.connectionPool.retryConnectionEstablishment = false
                return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            }

            let trusted = try client(certificate: certificates.clientCertificate, key: certificates.clientKey)
            let created = try await central.put(Dispenses.resource(id: "t-1"), using: trusted)
            #expect(created.status == 201)
            #expect(created.header("Location") == "https://127.0.0.1:\(central.fhirPort)/fhir/MedicationDispense/t-1/_history/1")

            // drop-after-commit over TLS: stored, and the client loses the connection promptly.
            central.server.setMode(.dropAfterCommit)
            let clock = ContinuousClock()
            let start = clock.now
            let dropped = await #expect(throws: (any Error).self) {
                try await central.put(Dispenses.resource(id: "t-2"), using: trusted)
            }
            #expect(dropped != nil)
            // Promptly: well before the request's own 30 s timeout (a loaded machine needs some slack).
            #expect(clock.now - start < .seconds(10))
            #expect(try await central.server.resources().map(\.id) == ["t-1", "t-2"])
            central.server.setMode(.up)
            try await trusted.shutdown()

            let anonymous = try client(certificate: nil, key: nil)
            let anonymousError = await #expect(throws: BoringSSLError.self) {
                try await central.send(.GET, "\(central.fhirBase)/metadata", using: anonymous)
            }
            #expect(anonymousError.map { "\($0)" }?.contains("CERTIFICATE_REQUIRED") == true)
            try await anonymous.shutdown()

            let rogue = try client(certificate: certificates.rogueCertificate, key: certificates.rogueKey)
            let rogueError = await #expect(throws: BoringSSLError.self) {
                try await central.send(.GET, "\(central.fhirBase)/metadata", using: rogue)
            }
            #expect(rogueError.map { "\($0)" }?.contains("UNKNOWN_CA") == true)
            try await rogue.shutdown()

            let stats = try await central.server.stats()
            #expect(stats.requests == 2)
            #expect(stats.entriesCreated == 2)
            #expect(stats.droppedResponses == 1)
        }
    }

    @Test("A TLS set-up with an unreadable key is refused at start with the file named")
    func unreadableKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = SimulatorConfiguration(
            databasePath: directory.file("c.sqlite"),
            tls: TLSFiles(certificateChainPath: directory.file("none.pem"), privateKeyPath: directory.file("none.key"),
                          clientCAPath: directory.file("none-ca.pem")))
        let error = #expect(throws: SimulatorError.self) {
            _ = try SimulatorServer(configuration: configuration, logger: quietLogger)
        }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("none.pem") == true)
    }
}
