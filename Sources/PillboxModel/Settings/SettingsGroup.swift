/// A group of settings in the configuration file (`limits`, `central`, …): one `Codable`
/// struct whose `init()` holds the defaults and whose `settings` list its keys. Decoding
/// starts from the defaults, so a missing key keeps its default; a key not in `settings`,
/// a `null` or a value of the wrong type is refused with its key path. Encoding (sorted
/// keys) gives back a configuration file. See docs/configuration.md, "Adding a setting".
package protocol SettingsGroup: Codable, Sendable, Equatable {
    /// The defaults.
    init()
    /// Every key of the group, each bound to the property it sets.
    static var settings: [Setting<Self>] { get }
    /// Checks what no type can (ranges, relations between settings). Nested groups
    /// are checked by `check()`; the error's path is relative to this group.
    func validate() throws(ConfigurationError)
    /// Validates the group as a whole; by default `checkGroups()`, then `validate()`.
    func check() throws(ConfigurationError)
}

extension SettingsGroup {
    package func validate() throws(ConfigurationError) {}

    package func check() throws(ConfigurationError) {
        try checkGroups()
        try validate()
    }

    /// Validates every nested group, each under its key.
    package func checkGroups() throws(ConfigurationError) {
        for setting in Self.settings { try setting.check(self) }
    }

    package init(from decoder: any Decoder) throws {
        self.init()
        try decodeSettings(from: decoder)
    }

    /// Sets every key the decoder holds; refuses a key the group does not know.
    package mutating func decodeSettings(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingKey.self)
        let settings = Self.settings
        let known = Set(settings.map(\.key))
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [SettingKey(unknown)],
                debugDescription: "unknown key (known here: \(known.sorted().joined(separator: ", ")))"))
        }
        for setting in settings where container.contains(SettingKey(setting.key)) {
            try setting.decode(&self, container)
        }
    }

    /// Refuses `value` outside `range`, naming `key` and the range.
    package func require(_ key: String, _ value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) {
        if !range.contains(value) {
            throw ConfigurationError(key, "is out of range: must be \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// Refuses `value` outside `range`, naming `key` and the range.
    package func require(_ key: String, _ value: Double, in range: ClosedRange<Double>) throws(ConfigurationError) {
        if !range.contains(value) {
            throw ConfigurationError(key, "is out of range: must be \(Self.show(range.lowerBound)) to \(Self.show(range.upperBound))")
        }
    }

    /// Refuses `value` not above `lower` or above `upper`, naming `key` and the bounds.
    package func require(_ key: String, _ value: Double, above lower: Double, atMost upper: Double) throws(ConfigurationError) {
        if !(value > lower && value <= upper) {
            throw ConfigurationError(key, "is out of range: must be more than \(Self.show(lower)), at most \(Self.show(upper))")
        }
    }

    static func show(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SettingKey.self)
        for setting in Self.settings { try setting.encode(self, &container) }
    }
}
