import Foundation

extension FaultMode {
    /// Reads a mode from its JSON form. Throws a `CentralError` (`.configuration`) whose
    /// message lists the valid modes when `mode` is unknown, or says which parameter is wrong.
    public static func parse(json data: Data) throws(CentralError) -> FaultMode {
        guard let object = JSONValue.parse(data)?.objectValue else {
            throw CentralError(.configuration, "the body must be a JSON object such as {\"mode\":\"503\",\"retryAfterSeconds\":2}")
        }
        guard let name = object["mode"]?.stringValue else {
            throw CentralError(.configuration, "\"mode\" is missing; valid modes: \(validModes.joined(separator: ", "))")
        }
        guard Kind(rawValue: name) != nil else {
            throw CentralError(.configuration,
                               "unknown mode \"\(name)\"; valid modes: \(validModes.joined(separator: ", "))")
        }
        let mode: FaultMode
        do {
            mode = try JSONDecoder().decode(FaultMode.self, from: data)
        } catch {
            throw CentralError(.configuration, "a parameter of mode \"\(name)\" has the wrong type: \(error)")
        }
        if let problem = mode.problem { throw CentralError(.configuration, problem) }
        return mode
    }

    /// The compact JSON form.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
