package org.glovebox.federated.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.glovebox.federated.pki.PemFiles;

/**
 * Reads the caller's identity from the TLS session (never from anything the caller writes in a message): the common
 * name of its verified client certificate. Calls without a certificate, or from a name the study has not enrolled,
 * are refused (UNAUTHENTICATED / PERMISSION_DENIED) before reaching the service, and reported for the audit log.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {
    /** The authenticated hospital name of the current call. */
    public static final Context.Key<String> PEER = Context.key("glovebox-peer");
    /** The peer's certificate of the current call. */
    public static final Context.Key<X509Certificate> PEER_CERT = Context.key("glovebox-peer-cert");

    private final Predicate<String> enrolled;
    private final BiConsumer<String, String> onRefusal;
    /** Common names of the verified certificates seen: a subject is parsed once per certificate, not once per call. */
    private final java.util.Map<X509Certificate, String> commonNames = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param enrolled which names may call
     * @param onRefusal receives (name or null, reason) of each refused call
     */
    public PeerIdentityInterceptor(Predicate<String> enrolled, BiConsumer<String, String> onRefusal) {
        this.enrolled = enrolled;
        this.onRefusal = onRefusal;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        X509Certificate cert = null;
        if (ssl != null) {
            try {
                Certificate[] chain = ssl.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                    cert = x;
                }
            } catch (SSLPeerUnverifiedException e) {
                cert = null;
            }
        }
        String remote = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (cert == null) {
            onRefusal.accept(null, "call without a client certificate from " + remote);
            call.close(Status.UNAUTHENTICATED.withDescription("a client certificate of the consortium CA is required"),
                    new Metadata());
            return new ServerCall.Listener<>() { };
        }
        String name = commonName(cert);
        if (name == null || !enrolled.test(name)) {
            onRefusal.accept(name, "certificate '" + name + "' is not enrolled in this study (from " + remote + ")");
            call.close(Status.PERMISSION_DENIED.withDescription("'" + name + "' is not enrolled in this study"),
                    new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Context ctx = Context.current().withValue(PEER, name).withValue(PEER_CERT, cert);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private String commonName(X509Certificate cert) {
        String name = commonNames.get(cert); // certificates compare by their encoding
        if (name == null) {
            name = PemFiles.commonName(cert);
            if (name != null) {
                if (commonNames.size() >= 1024) {
                    commonNames.clear(); // bounded: a consortium has far fewer certificates
                }
                commonNames.put(cert, name);
            }
        }
        return name;
    }
}
