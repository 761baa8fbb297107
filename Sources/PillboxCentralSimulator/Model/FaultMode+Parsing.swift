import Foundation

extension FaultMode {
    /// Reads a mode from its JSON form. Throws a `SimulatorError` (`.configuration`) whose
    /// message lists the valid modes when `mode` is unknown, or says which parameter is wrong.
    package static func parse(json data: Data) throws(SimulatorError) -> FaultMode {
        guard let object = JSONValue.parse(data)?.objectValue else {
            throw SimulatorError(.configuration, "the body must be a JSON object such as {\"mode\":\"503\",\"retryAfterSeconds\":2}")
        }
        guard let name = object["mode"]?.stringValue else {
            throw SimulatorError(.configuration, "\"mode\" is missing; valid modes: \(validModes.joined(separator: ", "))")
        }
        guard Kind(rawValue: name) != nil else {
            throw SimulatorError(.configuration,
                               "unknown mode \"\(name)\"; valid modes: \(validModes.joined(separator: ", "))")
        }
        let mode: FaultMode
        do {
            mode = try JSONDecoder().decode(FaultMode.self, from: data)
        } catch {
            throw SimulatorError(.configuration, "a parameter of mode \"\(name)\" has the wrong type: \(error)")
        }
        if let problem = mode.problem { throw SimulatorError(.configuration, problem) }
        return mode
    }

    /// The compact JSON form.
    package func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
