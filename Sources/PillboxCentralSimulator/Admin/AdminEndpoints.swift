import Foundation
import Hummingbird
import Logging

/// The admin listener: switch fault modes, read counters and stored resources, reset.
/// Plain HTTP, meant for loopback, never affected by the fault mode.
struct AdminEndpoints: Sendable {
    let server: SimulatorServer

    /// The admin routes under `/admin`.
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/admin/mode") { _, _ in Self.json(server.mode.jsonData()) }
        router.post("/admin/mode") { request, context in try await setMode(request, context: context) }
        router.get("/admin/stats") { _, _ in Self.json(Self.encode(try await server.stats())) }
        router.get("/admin/resources") { _, _ in try await resources() }
        router.post("/admin/reset") { _, _ in
            try await server.reset()
            return Self.json(Self.encode(try await server.stats()))
        }
        return router
    }

    private func setMode(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        do {
            let mode = try FaultMode.parse(json: Data(body.readableBytesView))
            server.setMode(mode)
            return Self.json(mode.jsonData())
        } catch {
            return Self.problem(.badRequest, error.message)
        }
    }

    private func resources() async throws -> Response {
        let items: [JSONValue] = try await server.resources().map { stored in
            [
                "id": .string(stored.id),
                "versionId": .int(Int64(stored.versionId)),
                "lastUpdated": .string(FHIRDateTime.instant(stored.lastUpdated)),
                "resource": JSONValue.parse(stored.json) ?? .null,
            ]
        }
        return Self.json(JSONValue.array(items).encoded())
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)) ?? Data()
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An RFC 9457 problem.
    static func problem(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        let body: JSONValue = [
            "type": "about:blank", "title": .string(status.reasonPhrase), "status": .int(Int64(status.code)),
            "detail": .string(detail),
        ]
        return Response(status: status, headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body.encoded())))
    }
}
