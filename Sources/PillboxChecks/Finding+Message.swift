import PillboxModel

extension Finding {
    /// A short message for the pharmacist, without patient data (counts and shares only).
    package func message(_ language: Language) -> String {
        let count = fills.count
        let percent = Int((mostRemaining * 100).rounded())
        switch (kind, language) {
        case (.earlyRefill, .en):
            return "Early refill: \(count) earlier fill\(count == 1 ? "" : "s") of this DIN still \(count == 1 ? "has" : "have") "
                + "up to \(percent) % of the days' supply left."
        case (.earlyRefill, .fr):
            return "Renouvellement hâtif : \(count) service\(count == 1 ? "" : "s") antérieur\(count == 1 ? "" : "s") de ce DIN "
                + "\(count == 1 ? "a" : "ont") encore jusqu'à \(percent) % de la durée de traitement."
        case (.duplicateTherapy, .en):
            return "Duplicate therapy: \(count) fill\(count == 1 ? "" : "s") of another product with the same active substance "
                + "\(count == 1 ? "overlaps" : "overlap") this one (up to \(percent) % of the days' supply left)."
        case (.duplicateTherapy, .fr):
            return "Duplication thérapeutique : \(count) service\(count == 1 ? "" : "s") d'un autre produit de même substance active "
                + "chevauche\(count == 1 ? "" : "nt") celui-ci (jusqu'à \(percent) % de la durée de traitement restante)."
        case (.samePrescriptionElsewhere, .en):
            return "Same prescription already filled at another pharmacy \(count == 1 ? "once" : "\(count) times") "
                + "within its days' supply (up to \(percent) % left)."
        case (.samePrescriptionElsewhere, .fr):
            return "Même ordonnance déjà servie dans une autre pharmacie (\(count) fois), "
                + "durée de traitement non écoulée (jusqu'à \(percent) % restant)."
        }
    }
}
