package org.glovebox.federated.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reading PEM certificates and keys, and the identity (common name) of a certificate. */
public final class PemFiles {
    private PemFiles() {
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        return parseCertificate(Files.readAllBytes(file));
    }

    /** Parses one X.509 certificate (PEM or DER). */
    public static X509Certificate parseCertificate(byte[] data) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(data));
        } catch (CertificateException | ClassCastException e) {
            throw new IOException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)));
    }

    static PrivateKey parsePrivateKey(Reader r) throws IOException {
        try (PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return c.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair kp) {
                return c.getKeyPair(kp).getPrivate();
            }
            throw new IOException("no unencrypted private key in PEM input");
        }
    }

    /** The certificate's subject common name: the party's identity. */
    public static String commonName(X509Certificate cert) {
        return rdn(cert, BCStyle.CN);
    }

    static String organization(X509Certificate cert) {
        return rdn(cert, BCStyle.O);
    }

    private static String rdn(X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        X500Name n = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] rdns = n.getRDNs(oid);
        if (rdns.length != 1) {
            return null;
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** PEM text of a certificate. */
    public static String toPem(X509Certificate cert) {
        try {
            java.io.StringWriter sw = new java.io.StringWriter();
            try (org.bouncycastle.openssl.jcajce.JcaPEMWriter w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(sw)) {
                w.writeObject(cert);
            }
            return sw.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
