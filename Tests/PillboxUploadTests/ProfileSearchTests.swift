import Foundation
import PillboxFHIR
import Synchronization
import Testing
@testable import PillboxUpload

@Suite("The profile search keeps the NAM out of every URL")
struct ProfileSearchTests {
    static let nam = "ZQXW98765432"
    static let pharmacy = PharmacyIdentity(system: "https://pillbox.example/dispense", pharmacyID: "1")

    /// Answers canned pages in order and records every request.
    final class RecordingTransport: CentralTransport {
        let pages: [String]
        let requests = Mutex<[CentralRequest]>([])

        init(pages: [String]) { self.pages = pages }

        func send(_ request: CentralRequest) async throws -> CentralResponse {
            let index = requests.withLock { list -> Int in
                list.append(request)
                return list.count - 1
            }
            return CentralResponse(status: 200, body: Data(pages[min(index, pages.count - 1)].utf8))
        }

        func shutdown() async {}
    }

    static func page(next: String?) -> String {
        let link = next.map { #", "link": [{"relation": "next", "url": "\#($0)"}]"# } ?? ""
        return #"{"resourceType": "Bundle", "type": "searchset", "entry": []\#(link)}"#
    }

    @Test("The first request POSTs the NAM in a form body; a next link repeating it is POSTed too; a token link is a GET")
    func requestsCarryTheNAMOnlyInBodies() async throws {
        let echoing = "https://central.example/fhir/MedicationDispense?subject:identifier="
            + "https%3A%2F%2Ffhir.infoway-inforoute.ca%2FNamingSystem%2Fca-qc-patient-healthcare-id%7CZQXW98765432&_count=200&_getpagesoffset=200"
        let token = "https://central.example/fhir/MedicationDispense?_getpages=3f1c&_count=200&_getpagesoffset=400"
        let transport = RecordingTransport(pages: [Self.page(next: echoing), Self.page(next: token), Self.page(next: nil)])
        let client = CentralClient(transport: transport, pharmacy: Self.pharmacy)
        #expect(try await client.dispenses(nam: Self.nam) == [])

        let requests = transport.requests.withLock { $0 }
        #expect(requests.map(\.method) == ["POST", "POST", "GET"])
        #expect(requests.map(\.path) == ["MedicationDispense/_search", "MedicationDispense/_search", token])
        #expect(requests.map(\.contentType) == ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded", nil])
        let bodies = requests.map { $0.body.map { String(decoding: $0, as: UTF8.self) } }
        #expect(bodies == [
            "subject%3Aidentifier=https%3A%2F%2Ffhir.infoway-inforoute.ca%2FNamingSystem%2Fca-qc-patient-healthcare-id"
                + "%7CZQXW98765432&_count=200",
            "subject:identifier=https%3A%2F%2Ffhir.infoway-inforoute.ca%2FNamingSystem%2Fca-qc-patient-healthcare-id"
                + "%7CZQXW98765432&_count=200&_getpagesoffset=200",
            nil,
        ])
        for request in requests {
            #expect(!request.path.contains(Self.nam), "\(request.method) \(request.path)")
        }
    }

    @Test("A next link is recognised as carrying the NAM in clear, percent-encoded or in lower case")
    func recognisesTheNAM() {
        #expect(CentralClient.carries(nam: Self.nam, in: "https://x/fhir/MedicationDispense?subject:identifier=s%7CZQXW98765432"))
        #expect(CentralClient.carries(nam: Self.nam, in: "https://x/fhir/MedicationDispense?subject:identifier=s|zqxw98765432"))
        #expect(CentralClient.carries(nam: Self.nam, in: "https://x/fhir/MedicationDispense?subject:identifier=s%7C%5AQXW98765432"))
        #expect(!CentralClient.carries(nam: Self.nam, in: "https://x/fhir/MedicationDispense?_getpages=abc&_count=200"))
    }
}
