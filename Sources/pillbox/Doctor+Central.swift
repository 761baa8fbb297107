import Foundation
import PillboxConsole
import PillboxDaemon
import PillboxUpload

// The central record checks of `pillbox doctor`: TLS files, GET metadata, PUT-as-create.

/// The part of a FHIR CapabilityStatement that says whether `MedicationDispense` may be created by PUT.
struct CapabilityStatementView: Decodable {
    struct Rest: Decodable {
        var resource: [Resource]?
    }

    struct Resource: Decodable {
        var type: String
        var updateCreate: Bool?
    }

    var resourceType: String
    var rest: [Rest]?

    /// True when a `rest` entry lists `MedicationDispense` with `updateCreate: true`.
    var acceptsPutAsCreate: Bool {
        (rest ?? []).contains { ($0.resource ?? []).contains { $0.type == "MedicationDispense" && $0.updateCreate == true } }
    }
}

extension Doctor {
    func tlsChecks(_ settings: DaemonConfiguration) -> [DoctorFinding] {
        guard settings.upload.centralURL != nil else { return [] }
        guard let files = settings.upload.tls else {
            return [DoctorFinding("tls", .skip, tr("no central TLS files configured (plain http)", "pas de fichiers TLS configurés (http simple)"))]
        }
        for (path, what) in [(files.certificate, "central.tls.certificate"), (files.privateKey, "central.tls.privateKey"), (files.caBundle, "central.tls.caBundle")]
            where !FileManager.default.isReadableFile(atPath: path) {
            return [DoctorFinding("tls", .fail, tr("\(what) \(path) cannot be read", "\(what) \(path) illisible"),
                                  fix: tr("put the file there, owned by \(serviceUser), mode 0640 or 0600 (systemd/README.md)",
                                          "y mettre le fichier, propriétaire \(serviceUser), mode 0640 ou 0600 (systemd/README.md)"))]
        }
        guard CertificateFacts.holdsCertificate(files.caBundle) else {
            return [DoctorFinding("tls", .fail, tr("central.tls.caBundle \(files.caBundle) holds no PEM certificate", "central.tls.caBundle \(files.caBundle) ne contient aucun certificat PEM"),
                                  fix: tr("ask the central record's operator for its CA bundle (PEM)", "demander à l'exploitant du dossier central son paquet d'AC (PEM)"))]
        }
        switch CertificateFacts.read(certificatePath: files.certificate, keyPath: files.privateKey) {
        case .failure(.certificate(let why)):
            return [DoctorFinding("tls", .fail, "central.tls.certificate \(files.certificate): \(why)",
                                  fix: tr("install the pharmacy's client certificate (PEM)", "installer le certificat client de la pharmacie (PEM)"))]
        case .failure(.key(let why)):
            return [DoctorFinding("tls", .fail, "central.tls.privateKey \(files.privateKey): \(why)",
                                  fix: tr("install the certificate's private key (PEM, unencrypted)", "installer la clé privée du certificat (PEM, non chiffrée)"))]
        case .success(let facts):
            guard facts.keyMatches else {
                return [DoctorFinding("tls", .fail, tr("the private key does not match the certificate", "la clé privée ne correspond pas au certificat"),
                                      fix: tr("install the key that was made with this certificate (or both anew)",
                                              "installer la clé faite avec ce certificat (ou les deux à nouveau)"))]
            }
            guard facts.daysLeft >= certificateDays else {
                let when = facts.daysLeft < 0 ? tr("expired \(-facts.daysLeft) day(s) ago", "expiré depuis \(-facts.daysLeft) jour(s)")
                    : tr("expires in \(facts.daysLeft) day(s)", "expire dans \(facts.daysLeft) jour(s)")
                return [DoctorFinding("tls", .fail, tr("client certificate \(when)", "certificat client \(when)"),
                                      fix: tr("ask for a new client certificate now and install it (then restart pillboxd)",
                                              "demander dès maintenant un nouveau certificat client et l'installer (puis redémarrer pillboxd)"))]
            }
            return [DoctorFinding("tls", .pass, tr("key matches the certificate; \(facts.daysLeft) day(s) left",
                                                   "la clé correspond au certificat ; \(facts.daysLeft) jour(s) restant(s)"))]
        }
    }

    func centralChecks(_ settings: DaemonConfiguration) async -> [DoctorFinding] {
        guard let url = settings.upload.centralURL else {
            return [DoctorFinding("central", .skip, tr("local-only mode: no central record configured", "mode local seulement : aucun dossier central configuré"))]
        }
        let transport: HTTPCentralTransport
        do {
            transport = try HTTPCentralTransport(settings: settings.upload)
        } catch {
            return [DoctorFinding("central", .fail, "\(error)", fix: tr("correct the TLS files above", "corriger les fichiers TLS ci-dessus"))]
        }
        defer { Task { await transport.shutdown() } }
        let response: CentralResponse
        do {
            response = try await transport.send(CentralRequest(method: "GET", path: "metadata"))
        } catch {
            return [DoctorFinding("central", .fail, tr("\(url)/metadata: \(error)", "\(url)/metadata : \(error)"),
                                  fix: tr("check the network, the DNS name and central.url; the certificate if TLS fails",
                                          "vérifier le réseau, le nom DNS et central.url ; le certificat si TLS échoue"))]
        }
        guard response.status == 200, let statement = try? JSONDecoder().decode(CapabilityStatementView.self, from: response.body),
              statement.resourceType == "CapabilityStatement" else {
            return [DoctorFinding("central", .fail, tr("\(url)/metadata answered HTTP \(response.status) without a CapabilityStatement",
                                                       "\(url)/metadata a répondu HTTP \(response.status) sans CapabilityStatement"),
                                  fix: tr("check central.url: it is the FHIR base URL (ending before /metadata)",
                                          "vérifier central.url : c'est l'URL de base FHIR (avant /metadata)"))]
        }
        guard statement.acceptsPutAsCreate else {
            return [DoctorFinding("central", .fail, tr("the central record does not accept PUT-as-create for MedicationDispense (updateCreate)",
                                                       "le dossier central n'accepte pas la création par PUT pour MedicationDispense (updateCreate)"),
                                  fix: tr("uploads cannot work: call the central record's operator", "les envois ne peuvent pas marcher : appeler l'exploitant du dossier central"))]
        }
        return [DoctorFinding("central", .pass, tr("\(url) answers; accepts PUT-as-create", "\(url) répond ; accepte la création par PUT"))]
    }
}
