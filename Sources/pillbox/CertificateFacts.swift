import COpenSSL
import Foundation

/// What `pillbox doctor` checks in the central TLS files, read with OpenSSL's libcrypto.
struct CertificateFacts {
    /// Whole days until the certificate's `notAfter` (negative once expired).
    var daysLeft: Int
    /// True when the private key is the certificate's.
    var keyMatches: Bool

    enum Failure: Error {
        case certificate(String)
        case key(String)
    }

    /// Reads the first certificate of `certificatePath` and the private key at `keyPath`.
    static func read(certificatePath: String, keyPath: String) -> Result<CertificateFacts, Failure> {
        guard let certificateBIO = BIO_new_file(certificatePath, "r") else { return .failure(.certificate("cannot be opened")) }
        defer { BIO_free(certificateBIO) }
        guard let certificate = PEM_read_bio_X509(certificateBIO, nil, nil, nil) else { return .failure(.certificate("is not a PEM certificate")) }
        defer { X509_free(certificate) }
        guard let keyBIO = BIO_new_file(keyPath, "r") else { return .failure(.key("cannot be opened")) }
        defer { BIO_free(keyBIO) }
        guard let key = PEM_read_bio_PrivateKey(keyBIO, nil, nil, nil) else {
            return .failure(.key("is not an unencrypted PEM private key"))
        }
        defer { EVP_PKEY_free(key) }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard let notAfter = X509_get0_notAfter(certificate), ASN1_TIME_diff(&days, &seconds, nil, notAfter) == 1 else {
            return .failure(.certificate("has no readable expiry date"))
        }
        let keyMatches = X509_check_private_key(certificate, key) == 1
        ERR_clear_error()
        // A partial day left counts as less than a whole one.
        return .success(CertificateFacts(daysLeft: Int(days) - (seconds < 0 ? 1 : 0), keyMatches: keyMatches))
    }

    /// True when `path` holds at least one PEM certificate.
    static func holdsCertificate(_ path: String) -> Bool {
        guard let bio = BIO_new_file(path, "r") else { return false }
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
        X509_free(certificate)
        return true
    }
}
