extension Store {
    /// Runs `body`, calling `action` after each commit that adds outbox entries (a recorded
    /// dispense, correction or cancellation: new work for the uploader) while it runs.
    /// Upload results, releases and requeues add none and announce nothing. Should the
    /// observer fail to register (the store closed), `body` runs without it.
    package func observingOutboxWork(_ action: @escaping @Sendable () -> Void, during body: () async throws -> Void) async rethrows {
        let observer = OutboxWorkObserver(action: action)
        _ = try? await pool.writeWithoutTransaction { db in db.add(transactionObserver: observer, extent: .observerLifetime) }
        try await body()
        // The store holds the observer weakly: it stops announcing once released here.
        withExtendedLifetime(observer) {}
    }
}
