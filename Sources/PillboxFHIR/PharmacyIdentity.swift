/// Who the pharmacy is on the central record.
///
/// Comes from configuration. Both values feed the deterministic resource id
/// (``FHIRMapping/resourceID(pharmacy:pharmacyDispenseId:)``), so changing either one after the
/// first upload makes every later upload create new resources instead of updating the old
/// ones. Neither value should contain `|`, the separator of the id derivation.
package struct PharmacyIdentity: Sendable, Equatable, Codable {
    /// Namespace URI of the pharmacy's dispense ids, e.g. `https://pharmacy.example/ids/1234`.
    /// Sent as `MedicationDispense.identifier.system`.
    package var system: String
    /// The pharmacy's id on the central record.
    package var pharmacyID: String

    /// A pharmacy identity from its dispense-id namespace and its id.
    package init(system: String, pharmacyID: String) {
        self.system = system
        self.pharmacyID = pharmacyID
    }
}
