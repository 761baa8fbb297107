import ServiceLifecycle

/// Tells systemd `STOPPING=1` as soon as a graceful shutdown begins. Listed last, so the
/// service group signals it first.
struct StoppingNotifierService: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is going away without a graceful shutdown
        }
        notifier.notify("STOPPING=1")
    }
}
