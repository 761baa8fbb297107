import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxWire

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: tr("Put dead-lettered entries back in the upload queue.",
                     "Remettre dans la file d'envoi des entrées en échec définitif."),
        discussion: tr("""
            pillbox retry SEQ puts one dead letter back (its number from `pillbox queue --state failed`).

            pillbox retry --all-dead puts every dead letter back, for the day the central record refused \
            everything by mistake; --since DATE keeps only those dead-lettered on or after DATE \
            (YYYY-MM-DD in the box's time zone, or an RFC 3339 date-time).

            A dead letter whose dispense has a newer version sent or queued stays dead (resending it \
            would roll the central record back); --all-dead counts them as "superseded".

            Exit codes: 0 done (also when there was nothing to put back); 64 wrong arguments; \
            65 --since is not a date; 69 pillboxd cannot be reached; 75 SEQ is not a dead letter, \
            or is superseded; 76 pillboxd's answer could not be read; 77 this user does not have \
            the admin role; 1 any other error.
            """, """
            pillbox retry SEQ remet une entrée en échec dans la file (son numéro vient de \
            `pillbox queue --state failed`).

            pillbox retry --all-dead les remet toutes, pour le jour où le dossier central a tout \
            refusé par erreur; --since DATE ne garde que celles en échec depuis DATE (AAAA-MM-JJ \
            dans le fuseau horaire du boîtier, ou date-heure RFC 3339).

            Une entrée dont le service a une version plus récente envoyée ou en attente reste en \
            échec (la renvoyer ramènerait le dossier central en arrière); --all-dead la compte \
            comme « remplacée ».

            Codes de sortie : 0 terminé (aussi quand il n'y avait rien à remettre); 64 arguments \
            invalides; 65 --since n'est pas une date; 69 pillboxd injoignable; 75 SEQ n'est pas en \
            échec, ou est remplacée; 76 réponse de pillboxd illisible; 77 cet utilisateur n'a pas \
            le rôle admin; 1 toute autre erreur.
            """))

    @Argument(help: ArgumentHelp(tr("The entry's number, as `pillbox queue --state failed` shows it.",
                                    "Le numéro de l'entrée, tel que `pillbox queue --state failed` l'affiche.")))
    var seq: Int64?

    @Flag(name: .customLong("all-dead"), help: ArgumentHelp(tr("Put every dead letter back in the queue.",
                                                               "Remettre toutes les entrées en échec dans la file.")))
    var allDead = false

    @Option(name: .long, help: ArgumentHelp(tr("With --all-dead: only entries dead-lettered on or after this date (YYYY-MM-DD or RFC 3339).",
                                               "Avec --all-dead : seulement les entrées en échec depuis cette date (AAAA-MM-JJ ou RFC 3339).")))
    var since: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        switch (seq, allDead) {
        case (nil, false):
            throw ValidationError(tr("name an entry (SEQ) or use --all-dead", "indiquez une entrée (SEQ) ou --all-dead"))
        case (.some, true):
            throw ValidationError(tr("give either SEQ or --all-dead, not both", "indiquez SEQ ou --all-dead, pas les deux"))
        default:
            break
        }
        if since != nil && !allDead {
            throw ValidationError(tr("--since goes with --all-dead", "--since s'emploie avec --all-dead"))
        }
    }

    func run() async throws {
        if let seq {
            guard let answer = try await connection.call(LocalAPI.retry(seq: seq))?.value else { return }
            Output.line(tr("Entry #\(answer.seq) queued again; an upload attempt was requested.",
                           "Entrée no \(answer.seq) remise dans la file; un envoi a été demandé."))
            return
        }
        guard let answer = try await connection.call(LocalAPI.retryAll(since: since))?.value else { return }
        Output.line(Self.summary(answer))
    }

    /// The readable answer of `--all-dead`.
    static func summary(_ answer: RetryAllResponse) -> String {
        let scope = answer.since.map { tr(" (dead-lettered since \($0))", " (en échec depuis \($0))") } ?? ""
        var line: String
        if answer.requeued == 0 {
            line = tr("No dead letter to put back\(scope).", "Aucune entrée en échec à remettre dans la file\(scope).")
        } else {
            line = tr("\(answer.requeued) dead letter(s) queued again\(scope); an upload attempt was requested.",
                      "\(answer.requeued) entrée(s) en échec remise(s) dans la file\(scope); un envoi a été demandé.")
        }
        if answer.superseded > 0 {
            line += "\n" + tr("\(answer.superseded) left dead: a newer version of their dispense was sent or is queued.",
                              "\(answer.superseded) laissée(s) en échec : une version plus récente du service a été envoyée ou attend son envoi.")
        }
        return line
    }
}
