import PillboxModel

/// Pacing of a data-key rotation (docs/operations.md), the `keys` object of the
/// configuration file (docs/configuration.md). Every member has a default.
package struct KeySettings: SettingsGroup {
    /// Payloads re-encrypted per batch; each batch is one short write (default 16).
    package var rotationBatchSize = 16
    /// Pause between two batches, leaving the writer to the dispensing software (default 20 ms).
    package var rotationPauseMilliseconds = 20

    /// The defaults.
    package init() {}

    package static var settings: [Setting<KeySettings>] {
        [Setting("rotationBatchSize", \.rotationBatchSize), Setting("rotationPauseMilliseconds", \.rotationPauseMilliseconds)]
    }

    /// Checks ranges a type cannot express.
    package func validate() throws(ConfigurationError) {
        try require("rotationBatchSize", rotationBatchSize, in: 1...1_000)
        try require("rotationPauseMilliseconds", rotationPauseMilliseconds, in: 0...60_000)
    }
}
