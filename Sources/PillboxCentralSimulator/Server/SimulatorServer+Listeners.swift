import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

extension SimulatorServer {
    /// The FHIR listener: `DownGateHandler` first, then TLS when configured, then HTTP/1.
    func makeFHIRApplication() -> some Service {
        let endpoints = FHIREndpoints(
            store: store, stats: stats, scheme: tlsConfiguration == nil ? "http" : "https",
            maxBodyBytes: configuration.maxBodyBytes,
            fallbackAuthority: { [readiness, configuration] in
                "\(configuration.host):\(readiness.ports?.fhirPort ?? configuration.port)"
            })
        let faults = self.faults
        let stats = self.stats
        let tls = tlsConfiguration.map { TLSChannelConfiguration(tlsConfiguration: $0) }
        let server = HTTPServerBuilder { responder in
            let http = HTTP1Channel(responder: responder)
            if let tls {
                return GatedChannel(base: try TLSChannel(http, configuration: tls), faults: faults, stats: stats)
            }
            return GatedChannel(base: http, faults: faults, stats: stats)
        }
        return Application(
            router: endpoints.router(faults: faults), server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "pillbox-central-sim"),
            onServerRunning: { [self] channel in bound(.fhir, channel) },
            logger: logger)
    }

    /// The admin listener: plain HTTP, no faults.
    func makeAdminApplication() -> some Service {
        Application(
            router: AdminEndpoints(server: self).router(),
            configuration: .init(address: .hostname(configuration.adminHost, port: configuration.adminPort),
                                 serverName: "pillbox-central-sim-admin"),
            onServerRunning: { [self] channel in bound(.admin, channel) },
            logger: logger)
    }

    private func bound(_ listener: Readiness.Listener, _ channel: any Channel) {
        guard let ports = readiness.bound(listener, port: channel.localAddress?.port ?? 0) else { return }
        logger.notice("pillbox-central-sim listening", metadata: [
            "central.fhir.port": "\(ports.fhirPort)", "central.admin.port": "\(ports.adminPort)",
            "central.tls": "\(configuration.tls != nil)", "central.mode": "\(faults.mode.mode.rawValue)",
        ])
    }
}
