import AsyncHTTPClient
import Foundation
import NIOCore

extension SimulatorProcess {
    /// Stores a MedicationDispense on the simulator as another pharmacy would (`PUT` on its
    /// FHIR listener); returns the HTTP status.
    package func putDispense(id: String, resource: [String: Any]) async throws -> Int {
        var request = HTTPClientRequest(url: "\(fhirBase)/MedicationDispense/\(id)")
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/fhir+json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: resource)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1024 * 1024)
        return Int(response.status.code)
    }
}
