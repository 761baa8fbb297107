import ServiceLifecycle

extension SimulatorServer {
    /// Runs the server in a `ServiceGroup` that stops gracefully on SIGTERM or SIGINT, and
    /// calls `onReady` with the bound ports once both listeners accept connections.
    package func runUntilTerminated(onReady: @escaping @Sendable ((fhirPort: Int, adminPort: Int)) -> Void) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { onReady(try await self.waitUntilRunning()) }
            try await tasks.waitForAll()
        }
    }
}
