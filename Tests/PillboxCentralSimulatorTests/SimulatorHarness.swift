import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PillboxCentralSimulator
import PillboxTestSupport

/// A `SimulatorServer` running in-process on ephemeral ports, with a real HTTP client.
struct RunningCentral: Sendable {
    let server: SimulatorServer
    let fhirPort: Int
    let adminPort: Int
    let client: HTTPClient
    let directory: TemporaryDirectory

    var fhirBase: String { "\(server.configuration.tls == nil ? "http" : "https")://127.0.0.1:\(fhirPort)/fhir" }
    var adminBase: String { "http://127.0.0.1:\(adminPort)/admin" }

    /// Sends a request and collects the whole answer.
    func send(_ method: HTTPMethod, _ url: String, json: Data? = nil, contentType: String = "application/fhir+json",
              using client: HTTPClient? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response = try await (client ?? self.client).execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }

    /// `PUT /fhir/MedicationDispense/{id}`.
    func put(_ resource: [String: Any], id: String? = nil, using client: HTTPClient? = nil) async throws -> Reply {
        let id = id ?? (resource["id"] as? String ?? "")
        return try await send(.PUT, "\(fhirBase)/MedicationDispense/\(id)", json: JSONBody.data(resource), using: client)
    }

    /// `POST /fhir` with a batch of `entries`.
    func batch(_ entries: [[String: Any]]) async throws -> Reply {
        try await send(.POST, fhirBase, json: JSONBody.data(Dispenses.batch(entries)))
    }

    /// Sets the fault mode through the admin listener; returns its status.
    @discardableResult
    func setMode(_ json: String) async throws -> Reply {
        try await send(.POST, "\(adminBase)/mode", json: Data(json.utf8), contentType: "application/json")
    }
}

/// A collected HTTP answer.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] { JSONBody.object(body) }

    /// The first header `name`.
    func header(_ name: String) -> String? { headers.first(name: name) }
}

enum JSONBody {
    static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func object(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// A logger that drops everything: tests bootstrap no logging system.
let quietLogger = Logger(label: "central-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` against a fresh simulator (own temporary folder, ports 0), then stops it.
func withCentral(_ configure: (inout SimulatorConfiguration) -> Void = { _ in },
                 clientConfiguration: HTTPClient.Configuration = .init(),
                 _ body: (RunningCentral) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var configuration = SimulatorConfiguration(databasePath: directory.file("central.sqlite"), port: 0, adminPort: 0)
    configure(&configuration)
    let server = try SimulatorServer(configuration: configuration, logger: quietLogger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let ports = try await server.waitUntilRunning()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let running = RunningCentral(server: server, fhirPort: ports.fhirPort, adminPort: ports.adminPort,
                                     client: client, directory: directory)
        do {
            try await body(running)
        } catch {
            try? await client.shutdown()
            group.cancelAll()
            throw error
        }
        try await client.shutdown()
        group.cancelAll()
    }
}

/// True for what a client sees when the server closes the connection without answering.
func isConnectionLoss(_ error: (any Error)?) -> Bool {
    if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
    // A request written while the server closes the connection unread can find it closed.
    if let error = error as? ChannelError { return error == .ioOnClosedChannel }
    return error is IOError
}
