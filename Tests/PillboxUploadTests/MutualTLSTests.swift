import Foundation
import Logging
import PillboxCentralSimulator
import PillboxTestSupport
import Testing
@testable import PillboxUpload

@Suite("Upload over mutual TLS", .serialized)
struct MutualTLSTests {
    /// Runs the simulator over HTTPS requiring client certificates signed by the client CA.
    static func withTLSCentral(_ body: (TestCertificates, Int) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory)
        let configuration = SimulatorConfiguration(
            databasePath: directory.file("central.sqlite"), port: 0, adminPort: 0,
            tls: TLSFiles(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey,
                          clientCAPath: certificates.clientCA))
        let server = try SimulatorServer(configuration: configuration, logger: Logger(label: "central"))
        let task = Task { try? await server.run() }
        defer { task.cancel() }
        let ports = try await server.waitUntilRunning()
        try await body(certificates, ports.fhirPort)
    }

    static func settings(port: Int, certificate: String, key: String, ca: String) -> UploadSettings {
        UploadSettings(centralURL: "https://localhost:\(port)/fhir", pharmacy: UploadHarness.pharmacy,
                       tls: .init(certificate: certificate, privateKey: key, caBundle: ca), requestTimeoutSeconds: 5)
    }

    @Test("With the pharmacy's client certificate and the central CA, metadata and a batch go through")
    func uploadsWithClientCertificate() async throws {
        try await Self.withTLSCentral { certificates, port in
            let settings = Self.settings(port: port, certificate: certificates.clientCertificate, key: certificates.clientKey,
                                         ca: certificates.serverCA)
            #expect(throws: Never.self) { try settings.check() }
            let transport = try HTTPCentralTransport(settings: settings)
            let client = CentralClient(transport: transport, pharmacy: UploadHarness.pharmacy)
            #expect(await client.credentialsAccepted())
            let record = UploadHarness.sampleRecord(dispenseID: "TLS-1")
            guard case .answered(let outcomes) = await client.upload([record]) else {
                Issue.record("the batch was not answered over TLS")
                await transport.shutdown()
                return
            }
            #expect(outcomes.map(\.status) == [201])
            await transport.shutdown()
        }
    }

    @Test("A certificate from another CA, or trusting the wrong CA, gets no answer and no data through")
    func refusesWrongCertificates() async throws {
        try await Self.withTLSCentral { certificates, port in
            for settings in [
                Self.settings(port: port, certificate: certificates.rogueCertificate, key: certificates.rogueKey,
                              ca: certificates.serverCA),
                Self.settings(port: port, certificate: certificates.clientCertificate, key: certificates.clientKey,
                              ca: certificates.clientCA),
            ] {
                let transport = try HTTPCentralTransport(settings: settings)
                let client = CentralClient(transport: transport, pharmacy: UploadHarness.pharmacy)
                guard case .transportFailed = await client.upload([UploadHarness.sampleRecord(dispenseID: "TLS-2")]) else {
                    Issue.record("expected a TLS failure")
                    await transport.shutdown()
                    continue
                }
                await transport.shutdown()
            }
        }
    }

    @Test("Missing TLS files are a readable configuration error")
    func missingFiles() {
        let settings = Self.settings(port: 1, certificate: "/nonexistent/client.pem", key: "/nonexistent/client.key",
                                     ca: "/nonexistent/ca.pem")
        #expect(throws: TransportError.self) { try HTTPCentralTransport(settings: settings) }
    }
}
