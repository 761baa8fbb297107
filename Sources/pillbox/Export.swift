import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxModel
import PillboxWire

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: tr("Write a patient's whole local record as a FHIR R4 Bundle on standard output (admin role).",
                     "Écrire tout le dossier local d'un patient en Bundle FHIR R4 sur la sortie standard (rôle admin)."),
        discussion: tr("""
            For a patient's access request or a transfer: every dispense recorded here for this \
            patient, at its current version, cancelled and entered-in-error ones included (their \
            status says so), as a FHIR R4 Bundle of type collection. Redirect it to a file: \
            pillbox export ABCD12345678 > patient.json

            The export is recorded in the audit trail. A summary goes to standard error (not with --json).

            Exit codes: 0 exported; 65 the NAM is not 4 letters and 8 digits; 69 pillboxd cannot be \
            reached; 75 more dispenses than limits.maxExportDispenses; 76 pillboxd's answer could \
            not be read; 77 this user does not have the admin role; 1 any other error.
            """, """
            Pour une demande d'accès d'un patient ou un transfert : chaque service enregistré ici \
            pour ce patient, à sa version courante, y compris les services annulés ou inscrits par \
            erreur (leur statut l'indique), en Bundle FHIR R4 de type collection. Redirigez-le vers \
            un fichier : pillbox export ABCD12345678 > patient.json

            L'exportation est inscrite au journal d'audit. Un résumé s'affiche sur la sortie \
            d'erreur (pas avec --json).

            Codes de sortie : 0 exporté; 65 le NAM n'a pas 4 lettres et 8 chiffres; 69 pillboxd \
            injoignable; 75 plus de services que limits.maxExportDispenses; 76 réponse de pillboxd \
            illisible; 77 cet utilisateur n'a pas le rôle admin; 1 toute autre erreur.
            """))

    @Argument(help: ArgumentHelp(tr("The patient's health insurance number (NAM), e.g. ABCD12345678.",
                                    "Le numéro d'assurance maladie (NAM) du patient, p. ex. ABCD12345678.")))
    var nam: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let compact = nam.replacingOccurrences(of: " ", with: "")
        // With --json the bundle is printed as sent, and nothing else.
        guard let answer = try await connection.call(LocalAPI.export(nam: compact)) else { return }
        Output.raw(answer.response.body)
        FileHandle.standardError.write(Data((Self.summary(answer.value) + "\n").utf8))
    }

    /// The summary printed on standard error: counts only, never the patient's data.
    static func summary(_ bundle: ExportBundle) -> String {
        let dispenses = bundle.resources("MedicationDispense")
        let notCompleted = dispenses.filter { resource in
            if case .object(let object) = resource, object["status"] != .string("completed") { true } else { false }
        }.count
        let unreadable = bundle.resources("OperationOutcome").count
        var line = tr("Exported \(dispenses.count) dispense(s), \(notCompleted) of them cancelled or entered in error.",
                      "\(dispenses.count) service(s) exporté(s), dont \(notCompleted) annulé(s) ou inscrit(s) par erreur.")
        if unreadable > 0 {
            line += " " + tr("\(unreadable) could not be read (integrity check failed) and are not in it; call a technician.",
                             "\(unreadable) illisible(s) (échec de la vérification d'intégrité), absent(s) de l'exportation; appelez un technicien.")
        }
        return line
    }
}
