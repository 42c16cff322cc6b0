package org.glovebox.federated.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.PemFiles;

/**
 * TLS 1.3 contexts with mutual authentication against the consortium CA only (not the system trust store).
 *
 * <p>Server: a client certificate, when presented, must chain to the consortium CA or the handshake fails (and the
 * refusal is reported to {@code onRefusal} for the audit log). A client that presents none completes the handshake
 * but every call it makes is refused before reaching the service ({@link PeerIdentityInterceptor}), also audited;
 * so no call from an unauthenticated peer is ever served.
 */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private Tls() {
    }

    /**
     * The TLS implementation: BoringSSL, which gRPC's shaded Netty bundles for Linux and macOS (x86-64, ARM64) and
     * Windows (x86-64), when it loads here (TLS records cost less CPU than in the JDK's engine, which matters for
     * megabytes of ciphertexts per round), otherwise the JDK's. {@code -Dglovebox.tls.provider=jdk} or {@code openssl}
     * forces one (openssl fails if BoringSSL cannot load). Both give the same protocol and certificate checks.
     */
    public static SslProvider provider() {
        String forced = System.getProperty("glovebox.tls.provider", "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (forced) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.ensureAvailability();
                yield SslProvider.OPENSSL;
            }
            case "" -> io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.isAvailable() ? SslProvider.OPENSSL
                    : SslProvider.JDK;
            default -> throw new IllegalArgumentException("glovebox.tls.provider must be jdk or openssl, got "
                    + forced);
        };
    }

    public static SslContext server(Identity id, Consumer<String> onRefusal) throws IOException {
        X509ExtendedTrustManager tm = auditing(caTrustManager(id.ca()), onRefusal);
        return GrpcSslContexts.configure(
                io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(id.certFile().toFile(),
                        id.keyFile().toFile()), provider())
                .trustManager(tm)
                .clientAuth(ClientAuth.OPTIONAL)
                .protocols(PROTOCOLS)
                .build();
    }

    public static SslContext client(Identity id) throws IOException {
        return GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                        provider())
                .keyManager(id.certFile().toFile(), id.keyFile().toFile())
                .trustManager(caTrustManager(id.ca()))
                .protocols(PROTOCOLS)
                .build();
    }

    /** A client context without a certificate (only for tests of the refusal path). */
    public static SslContext clientWithoutCertificate(java.nio.file.Path caFile) throws IOException {
        return GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                        provider())
                .trustManager(caTrustManager(PemFiles.readCertificate(caFile)))
                .protocols(PROTOCOLS)
                .build();
    }

    /**
     * A JDK TLS 1.3 context for servers other than gRPC (the dashboard): this identity's certificate, and client
     * certificates checked against the consortium CA only, refusals reported to {@code onRefusal}. The server that
     * uses it must require a client certificate.
     */
    public static javax.net.ssl.SSLContext jdkServer(Identity id, Consumer<String> onRefusal) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("identity", id.privateKey(), none, new java.security.cert.Certificate[] {id.certificate(),
                    id.ca()});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {auditing(caTrustManager(id.ca()),
                    onRefusal)}, new java.security.SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw e;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context of " + id.certFile() + ": " + e.getMessage(), e);
        }
    }

    static X509ExtendedTrustManager caTrustManager(X509Certificate ca) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("consortium-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            for (var tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IOException("no X509 trust manager available");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot build the CA trust manager: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager auditing(X509ExtendedTrustManager d, Consumer<String> onRefusal) {
        return new X509ExtendedTrustManager() {
            private void report(X509Certificate[] chain, CertificateException e) {
                String who = chain == null || chain.length == 0 ? "(no certificate)"
                        : chain[0].getSubjectX500Principal().getName();
                onRefusal.accept("TLS client certificate refused: " + who + ": " + e.getMessage());
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
                    throws CertificateException {
                try {
                    d.checkClientTrusted(chain, authType, s);
                } catch (CertificateException e) {
                    report(chain, e);
                    throw e;
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                try {
                    d.checkClientTrusted(chain, authType, engine);
                } catch (CertificateException e) {
                    report(chain, e);
                    throw e;
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    d.checkClientTrusted(chain, authType);
                } catch (CertificateException e) {
                    report(chain, e);
                    throw e;
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
                    throws CertificateException {
                d.checkServerTrusted(chain, authType, s);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                d.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                d.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return d.getAcceptedIssuers();
            }
        };
    }
}
