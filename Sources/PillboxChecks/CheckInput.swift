import Foundation
import PillboxModel

/// Everything one check run looks at; nothing else is consulted.
package struct CheckInput: Sendable {
    /// The prospective (or just recorded) fill.
    package var dispense: Dispense
    /// Pillbox's id of the fill itself when it is already recorded (left out of the comparison).
    package var ownID: String?
    /// The dispense a correction corrects: left out of the correction's own check.
    package var corrects: String?
    /// The patient's local fills: current versions, with their status.
    package var localFills: [CheckFill]
    /// Local fills that could not be read.
    package var unreadableLocalFills: Int
    /// The central fills known (live or cached).
    package var centralFills: [CheckFill]
    package var central: CentralKnowledge
    package var settings: CheckSettings
    /// When the check runs; the new fill's date when it has no `whenHandedOver`.
    package var now: Date

    /// An input with the given content.
    package init(dispense: Dispense, ownID: String? = nil, corrects: String? = nil, localFills: [CheckFill],
                unreadableLocalFills: Int = 0, centralFills: [CheckFill], central: CentralKnowledge,
                settings: CheckSettings = CheckSettings(), now: Date) {
        self.dispense = dispense
        self.ownID = ownID
        self.corrects = corrects
        self.localFills = localFills
        self.unreadableLocalFills = unreadableLocalFills
        self.centralFills = centralFills
        self.central = central
        self.settings = settings
        self.now = now
    }

    /// The new fill's date: when it is handed over, else now.
    package var date: Date { dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? now }
}
