import Foundation
import PillboxModel

/// Everything one check run looks at; nothing else is consulted.
public struct CheckInput: Sendable {
    /// The prospective (or just recorded) fill.
    public var dispense: Dispense
    /// Pillbox's id of the fill itself when it is already recorded (left out of the comparison).
    public var ownID: String?
    /// The dispense a correction corrects: left out of the correction's own check.
    public var corrects: String?
    /// The patient's local fills: current versions, with their status.
    public var localFills: [CheckFill]
    /// Local fills that could not be read.
    public var unreadableLocalFills: Int
    /// The central fills known (live or cached).
    public var centralFills: [CheckFill]
    public var central: CentralKnowledge
    public var settings: CheckSettings
    /// When the check runs; the new fill's date when it has no `whenHandedOver`.
    public var now: Date

    /// An input with the given content.
    public init(dispense: Dispense, ownID: String? = nil, corrects: String? = nil, localFills: [CheckFill],
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
    public var date: Date { dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? now }
}
