package org.glovebox.federated.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The consortium PKI (Bouncy Castle): one CA per consortium, one certificate per hospital and per coordinator, all
 * ECDSA P-256. The certificate's common name is the party's identity: the coordinator reads it from the TLS session
 * and matches it against the study's enrolled hospitals; hospitals use each other's certificate keys (ECDH) to seal
 * the threshold-key shares that the coordinator relays.
 *
 * <p>Files: {@code ca.crt}, {@code ca.key}; {@code <name>.crt}, {@code <name>.key}. Private keys are unencrypted
 * PKCS#8 PEM written owner-only (0600); keep them on the owner's machine.
 */
public final class Pki {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The role a certificate is issued for. */
    public enum Role { HOSPITAL, COORDINATOR }

    private Pki() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    private static X500Name name(String cn, String org) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, org).addRDN(BCStyle.CN, cn).build();
    }

    /** Creates a consortium CA in {@code dir} (ca.crt, ca.key); refuses to overwrite an existing one. */
    public static X509Certificate initCa(Path dir, String consortium, Duration validity) throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(CA_KEY))) {
            throw new IllegalStateException(dir.resolve(CA_KEY) + " exists: refusing to overwrite a CA key");
        }
        KeyPair kp = newKeyPair();
        X500Name subject = name(consortium + " CA", consortium);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            writePem(dir.resolve(CA_CERT), cert, false);
            writePem(dir.resolve(CA_KEY), new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
            return cert;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }

    /**
     * Issues a certificate for {@code name} signed by the CA in {@code caDir}, writing {@code <name>.crt} and
     * {@code <name>.key} to {@code outDir}. Subject alternative names: the name itself as a DNS name plus
     * {@code extraDns} and {@code ips} (a coordinator needs the host names and addresses hospitals dial).
     */
    public static X509Certificate issue(Path caDir, Path outDir, String name, Role role, List<String> extraDns,
            List<String> ips, Duration validity) throws IOException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("name '" + name + "' must be 1-64 letters, digits, . _ -");
        }
        X509Certificate ca = PemFiles.readCertificate(caDir.resolve(CA_CERT));
        PrivateKey caKey = PemFiles.readPrivateKey(caDir.resolve(CA_KEY));
        Files.createDirectories(outDir);
        KeyPair kp = newKeyPair();
        String caOrg = PemFiles.organization(ca);
        String org = caOrg == null ? "Glovebox" : caOrg;
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(validity)), name(name, org), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            KeyPurposeId[] purposes = role == Role.COORDINATOR
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth};
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            List<GeneralName> sans = new ArrayList<>();
            sans.add(new GeneralName(GeneralName.dNSName, name));
            for (String d : extraDns) {
                sans.add(new GeneralName(GeneralName.dNSName, d));
            }
            for (String ip : ips) {
                InetAddress.getByName(ip); // validates the literal
                sans.add(new GeneralName(GeneralName.iPAddress, ip));
            }
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate cert = sign(b, caKey);
            writePem(outDir.resolve(name + ".crt"), cert, false);
            writePem(outDir.resolve(name + ".key"), new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
            return cert;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + name, e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static void writePem(Path file, Object o, boolean secret) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        byte[] bytes = sw.toString().getBytes(StandardCharsets.US_ASCII);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
        }
        Files.write(tmp, bytes);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
