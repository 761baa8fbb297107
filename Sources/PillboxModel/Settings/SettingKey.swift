/// A key of a settings group in the configuration file: any string, so that a group can
/// see (and refuse) keys it does not know.
package struct SettingKey: CodingKey, Sendable, Hashable {
    package var stringValue: String
    package var intValue: Int? { nil }

    package init(_ name: String) { stringValue = name }
    package init(stringValue: String) { self.init(stringValue) }
    package init?(intValue: Int) { nil }
}
