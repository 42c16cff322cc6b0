package org.glovebox.federated.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A party's TLS identity: its certificate and key files, and the consortium CA certificate it trusts.
 *
 * @param certFile PEM certificate of the party
 * @param keyFile PEM PKCS#8 private key of the party (owner-only)
 * @param caFile PEM certificate of the consortium CA
 */
public record Identity(Path certFile, Path keyFile, Path caFile) {
    /** The files that {@code glovebox pki issue --name name --out dir} wrote, with the CA certificate beside them. */
    public static Identity inDirectory(Path dir, String name) {
        return new Identity(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve(Pki.CA_CERT));
    }

    public X509Certificate certificate() throws IOException {
        return PemFiles.readCertificate(certFile);
    }

    public X509Certificate ca() throws IOException {
        return PemFiles.readCertificate(caFile);
    }

    public PrivateKey privateKey() throws IOException {
        return PemFiles.readPrivateKey(keyFile);
    }

    /** The common name of the certificate. */
    public String name() throws IOException {
        return PemFiles.commonName(certificate());
    }
}
