import Synchronization

/// Tracks the listeners' bound ports and lets callers wait until both are known.
final class Readiness: Sendable {
    /// Which listener.
    enum Listener: Sendable { case fhir, admin }

    typealias Ports = (fhirPort: Int, adminPort: Int)

    private struct State {
        var fhirPort: Int?
        var adminPort: Int?
        var failure: SimulatorError?
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Ports, any Error>] = [:]

        var ports: Ports? {
            guard let fhirPort, let adminPort else { return nil }
            return (fhirPort, adminPort)
        }
    }

    private let state = Mutex(State())

    /// Records a bound port; returns both ports when this call completed them.
    func bound(_ listener: Listener, port: Int) -> Ports? {
        let (ports, waiters) = state.withLock { state -> (Ports?, [CheckedContinuation<Ports, any Error>]) in
            let before = state.ports
            switch listener {
            case .fhir: state.fhirPort = port
            case .admin: state.adminPort = port
            }
            guard before == nil, let ports = state.ports else { return (nil, []) }
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return (ports, waiters)
        }
        if let ports { waiters.forEach { $0.resume(returning: ports) } }
        return ports
    }

    /// The server stopped; waiters that never saw both ports get `failure`.
    func stopped(_ failure: SimulatorError) {
        let waiters = state.withLock { state in
            if state.ports == nil { state.failure = failure }
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        waiters.forEach { $0.resume(throwing: failure) }
    }

    /// Both ports, once bound; throws when the server stopped first or the task is cancelled.
    func wait() async throws -> Ports {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<Ports, any Error>? = state.withLock { state in
                    if let ports = state.ports { return .success(ports) }
                    if let failure = state.failure { return .failure(failure) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Both ports if bound.
    var ports: Ports? { state.withLock { $0.ports } }
}
