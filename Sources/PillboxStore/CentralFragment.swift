import Foundation
import PillboxModel

/// One central dispense as ready answer bytes: the profile entry object (`CentralDispense`'s
/// JSON with `"source":"central"`, sorted keys) encoded once, when the central profile is
/// fetched, and kept with what the merge needs (the sort date and the fields that tell this
/// pharmacy's own uploads and entries entered in error).
package struct CentralFragment: Sendable, Equatable {
    /// The entry's JSON object.
    package var json: [UInt8]
    /// `CentralDispense.sortDate`, computed once.
    package var sortDate: Date
    package var status: String
    package var identifierSystem: String?
    package var identifierValue: String?

    package init(json: [UInt8], sortDate: Date, status: String, identifierSystem: String?, identifierValue: String?) {
        self.json = json
        self.sortDate = sortDate
        self.status = status
        self.identifierSystem = identifierSystem
        self.identifierValue = identifierValue
    }

    /// Encodes `dispense` once as its profile entry.
    package init(_ dispense: CentralDispense) throws {
        let plain = Array(try JSONCoding.encoder.encode(dispense))
        let members = try SealedJSON.document(plain)
        self.init(json: SealedJSON.object(plain, members, with: [("source", Array(#""central""#.utf8))]),
                  sortDate: dispense.sortDate, status: dispense.status,
                  identifierSystem: dispense.identifierSystem, identifierValue: dispense.identifierValue)
    }

    /// The dispense back (for the checks, which reason on values); nil if the bytes do not decode.
    package var dispense: CentralDispense? {
        try? JSONCoding.decoder.decode(CentralDispense.self, from: Data(json))
    }
}
