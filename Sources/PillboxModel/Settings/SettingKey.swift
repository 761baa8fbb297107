/// A key of a settings group in the configuration file: any string, so that a group can
/// see (and refuse) keys it does not know.
public struct SettingKey: CodingKey, Sendable, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.init(stringValue) }
    public init?(intValue: Int) { nil }
}
