import Synchronization

/// The fault mode in force and the random source of `flaky`, shared by the listeners.
final class FaultSwitch: Sendable {
    private struct State {
        var mode: FaultMode
        var random: SplitMix64
    }

    private let state: Mutex<State>

    /// A switch starting in `mode`.
    init(_ mode: FaultMode) {
        state = Mutex(State(mode: mode, random: SplitMix64(seed: mode.seed ?? UInt64.random(in: .min ... .max))))
    }

    /// The mode in force.
    var mode: FaultMode { state.withLock { $0.mode } }

    /// True while the mode is `down`.
    var isDown: Bool { state.withLock { $0.mode.mode == .down } }

    /// Puts `mode` in force; a `seed` restarts the random sequence.
    func set(_ mode: FaultMode) {
        state.withLock { state in
            state.mode = mode
            if let seed = mode.seed { state.random = SplitMix64(seed: seed) }
        }
    }

    /// One draw: true with probability `rate` (always for 1, never for 0).
    func shouldFail(rate: Double) -> Bool {
        let draw = state.withLock { $0.random.nextUnit() }
        return draw < rate
    }
}

/// A small, seedable random source (SplitMix64).
struct SplitMix64: Sendable {
    private var value: UInt64

    init(seed: UInt64) { value = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        value &+= 0x9E37_79B9_7F4A_7C15
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}
