import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Who may call what, and the audit trail of every request")
struct AccessTests {
    @Test("A caller without a role gets 403 on every route, and each refusal is audited")
    func strangerRefused() async throws {
        let harness = try APIHarness()
        harness.as(APIHarness.stranger)
        try await harness.test { client in
            let post = try await client.post("/v1/dispenses", Samples.dispense(id: "RX9-1"))
            #expect(post.status == .forbidden)
            #expect(post.json["type"] as? String == "https://pillbox.local/problems/forbidden")
            #expect(try await client.get("/v1/health").status == .forbidden)
            #expect(try await client.get("/v1/patients/TREM50020312/medications").status == .forbidden)
        }
        #expect(try await harness.store.statistics().recordCount == 0)
        try await harness.dependencies.auditLog.flush()
        let entries = try await harness.store.auditEntries(since: nil, limit: 100)
        #expect(entries.map(\.outcome) == [403, 403, 403])
        #expect(entries.map(\.uid) == [4242, 4242, 4242])
        #expect(entries.map(\.pid) == [400, 400, 400])
        #expect(entries.map(\.role) == ["none", "none", "none"])
        #expect(entries.map(\.action) == ["POST /v1/dispenses", "GET /v1/health", "GET /v1/patients/{nam}/medications"])
    }

    @Test("A request that matches no route, or a route under another method, is audited as `<METHOD> NotFound`, 404")
    func unknownRouteAudited() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let unknown = try await client.get("/v1/nope/TREM50020312")
            let otherMethod = try await client.execute(uri: "/v1/dispenses", method: .delete)
            #expect([unknown.status, otherMethod.status] == [.notFound, .notFound])
        }
        try await harness.dependencies.auditLog.flush()
        let entries = try await harness.store.auditEntries(since: nil, limit: 100)
        #expect(entries.map(\.action) == ["GET NotFound", "DELETE NotFound"])
        #expect(entries.map(\.outcome) == [404, 404])
        #expect(entries.map(\.role) == ["admin", "admin"])
        #expect(entries.map(\.patientRef) == [nil, nil])
    }

    @Test("The read role reads but may not record, and may not see status, audit or metrics")
    func readRole() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "RX10-1"))
            let id = try #require(created.json["id"] as? String)
            harness.as(APIHarness.reader)
            #expect(try await client.get("/v1/dispenses/\(id)").status == .ok)
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "RX10-2")).status == .forbidden)
            #expect(try await client.get("/v1/status").status == .forbidden)
            #expect(try await client.get("/v1/audit").status == .forbidden)
            #expect(try await client.get("/metrics").status == .forbidden)
            harness.as(APIHarness.dispenser)
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "RX10-2")).status == .created)
            #expect(try await client.get("/v1/status").status == .forbidden)
        }
    }

    @Test("Writes audit in their own transaction, reads through the buffer; the chain verifies and never holds a NAM")
    func auditTrail() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "RX11-1"))
            let id = try #require(created.json["id"] as? String)
            // The write's entry is durable before any flush.
            let beforeFlush = try await harness.store.auditEntries(since: nil, limit: 10)
            #expect(beforeFlush.map(\.action) == ["POST /v1/dispenses"])
            #expect(beforeFlush.first?.outcome == 201)
            #expect(beforeFlush.first?.dispenseID == id)

            _ = try await client.get("/v1/patients/TREM50020312/medications")
            let audit = try await client.get("/v1/audit?verify=true")
            #expect(audit.status == .ok)
            let entries = try #require(audit.json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["POST /v1/dispenses", "GET /v1/patients/{nam}/medications"])
            let refs = entries.map { $0["patientRef"] as? String }
            #expect(refs[0] != nil && refs[0] == refs[1])
            #expect(refs[0]?.count == 32)
            let chain = try #require(audit.json["chain"] as? [String: Any])
            #expect(chain["intact"] as? Bool == true)
            #expect(chain["entries"] as? Int == 2)
            #expect(!String(buffer: audit.body).contains("TREM50020312"))
        }
    }

    @Test("Group membership from the system's group database grants the group's role")
    func groupRoles() {
        let table = RoleTable(users: [:], groups: [0: .dispense])
        // uid 0 (root) has primary group 0 on every Linux system.
        #expect(table.role(for: PeerCredentials(pid: 1, uid: 0, gid: 0)) == .dispense)
        #expect(table.role(for: PeerCredentials(pid: 1, uid: 65534, gid: 65534)) == nil)
        let withUser = RoleTable(users: [0: .read], groups: [0: .admin])
        #expect(withUser.role(for: PeerCredentials(pid: 1, uid: 0, gid: 0)) == .read)
    }
}
