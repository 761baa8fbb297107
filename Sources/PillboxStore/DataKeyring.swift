import PillboxCrypto
import Synchronization

/// The data keys a store can open payloads with, by id, and the one that seals new payloads.
///
/// Shared by every copy of a `Store` (a class behind a lock): a rotation adds a key and makes
/// it current while the store serves. The current key changes only inside a write of the
/// store's group commit (`Store+KeyRotation`), so one write's work sees one current key from
/// its start to its end. Retired keys stay here, in memory, until the process ends, so that
/// a read on an older snapshot still opens a row the rotation has just re-encrypted.
final class DataKeyring: Sendable {
    private struct State {
        var currentID: String
        var keys: [String: SecretKey]
        /// A rotation is unfinished (its database row says so): the rotation service has work.
        var rotationPending: Bool
    }

    private let state: Mutex<State>
    /// Wraps the data keys a rotation creates.
    let master: SecretKey

    init(currentID: String, keys: [String: SecretKey], master: SecretKey, rotationPending: Bool = false) {
        precondition(keys[currentID] != nil, "the current data key must be in the keyring")
        self.master = master
        state = Mutex(State(currentID: currentID, keys: keys, rotationPending: rotationPending))
    }

    /// A sealer for the current data key, which also opens payloads of the other keys here.
    var sealer: Sealer {
        state.withLock { Sealer(key: $0.keys[$0.currentID]!, keyID: $0.currentID, keyring: self) }
    }

    /// Id of the data key that seals new payloads.
    var currentID: String { state.withLock { $0.currentID } }

    /// The data key named `id`, if this store knows it.
    func key(id: String) -> SecretKey? { state.withLock { $0.keys[id] } }

    /// Adds a key that payloads may name (it does not seal until `makeCurrent`).
    func add(id: String, key: SecretKey) { state.withLock { $0.keys[id] = key } }

    /// Makes a known key the one that seals new payloads. Call only from a write's work.
    func makeCurrent(id: String) {
        state.withLock { state in
            precondition(state.keys[id] != nil, "unknown data key")
            state.currentID = id
        }
    }

    /// Whether a rotation is unfinished.
    var rotationPending: Bool {
        get { state.withLock { $0.rotationPending } }
        set { state.withLock { $0.rotationPending = newValue } }
    }
}
