/// One key of a settings group: its name in the configuration file and the property it
/// sets. A group lists its settings once (`SettingsGroup.settings`); decoding, encoding
/// (`--check-config`) and the validation of nested groups all follow that list.
package struct Setting<Group> {
    /// The key in the configuration file.
    package let key: String
    let decode: (inout Group, KeyedDecodingContainer<SettingKey>) throws -> Void
    let encode: (Group, inout KeyedEncodingContainer<SettingKey>) throws -> Void
    var check: (Group) throws(ConfigurationError) -> Void

    /// A setting stored in the file as `Stored` and held as `Value`: `read` converts (and may
    /// throw `ConfigurationError` with a message, its path relative to this key); `write`
    /// converts back, nil leaving the key out.
    package init<Value, Stored: Codable>(_ key: String, _ path: WritableKeyPath<Group, Value>, as _: Stored.Type,
                                        read: @escaping (Stored) throws(ConfigurationError) -> Value,
                                        write: @escaping (Value) -> Stored?) {
        self.key = key
        decode = { group, container in
            let codingKey = SettingKey(key)
            if try container.decodeNil(forKey: codingKey) {
                throw DecodingError.valueNotFound(Stored.self, .init(codingPath: container.codingPath + [codingKey],
                                                                     debugDescription: "null"))
            }
            let stored: Stored
            do {
                stored = try container.decode(Stored.self, forKey: codingKey)
            } catch let error where !(error is DecodingError) {
                // Foundation reports a number that does not fit (a fraction for an Int) with an error of its own.
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath + [codingKey],
                                                        debugDescription: "must be " + ConfigurationError.describe(Stored.self)))
            }
            do throws(ConfigurationError) {
                group[keyPath: path] = try read(stored)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath + [codingKey]
                    + error.path.map { SettingKey($0) as any CodingKey }, debugDescription: error.message))
            }
        }
        encode = { group, container in
            if let stored = write(group[keyPath: path]) { try container.encode(stored, forKey: SettingKey(key)) }
        }
        check = { _ throws(ConfigurationError) in }
    }

    /// A setting held as it is stored. An optional one that is nil is left out when encoding.
    package init<Value: Codable>(_ key: String, _ path: WritableKeyPath<Group, Value>) {
        self.init(key, path, as: Value.self, read: { $0 }, write: { value in
            (value as? any OptionalSetting)?.isNone == true ? nil : value
        })
    }

    /// A nested settings group: decoded from its defaults, and validated under its key.
    package init<Value: SettingsGroup>(_ key: String, _ path: WritableKeyPath<Group, Value>) {
        self.init(key, path, as: Value.self, read: { $0 }, write: { $0 })
        check = { group throws(ConfigurationError) in
            do throws(ConfigurationError) {
                try group[keyPath: path].check()
            } catch {
                throw error.under(key)
            }
        }
    }
}

/// Lets a `Setting` leave out an optional value that is nil.
protocol OptionalSetting {
    var isNone: Bool { get }
}

extension Optional: OptionalSetting {
    var isNone: Bool { self == nil }
}
