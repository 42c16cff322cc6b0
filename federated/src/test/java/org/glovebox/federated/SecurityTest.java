package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.Pki;
import org.glovebox.federated.transport.Rpc;
import org.glovebox.federated.transport.Tls;
import org.glovebox.federated.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS refusals, hostile frames over the network, and audit tampering. */
class SecurityTest {
    @TempDir
    Path tmp;

    private static StatusRuntimeException call(SslContext ssl, int port, byte[] frame) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl).build();
        try {
            ClientCalls.blockingUnaryCall(ch, Rpc.NEXT, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    frame);
            return null;
        } catch (StatusRuntimeException e) {
            return e;
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A client that presents its certificate whatever CAs the server asks for. */
    private static SslContext insisting(Identity id) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", id.privateKey(), new char[0], new java.security.cert.Certificate[] {id.certificate()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, new char[0]);
        javax.net.ssl.X509ExtendedKeyManager d = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        javax.net.ssl.X509ExtendedKeyManager km = new javax.net.ssl.X509ExtendedKeyManager() {
            public String[] getClientAliases(String t, java.security.Principal[] i) {
                return new String[] {"k"};
            }

            public String chooseClientAlias(String[] t, java.security.Principal[] i, java.net.Socket s) {
                return "k";
            }

            public String chooseEngineClientAlias(String[] t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) {
                return "k";
            }

            public String[] getServerAliases(String t, java.security.Principal[] i) {
                return null;
            }

            public String chooseServerAlias(String t, java.security.Principal[] i, java.net.Socket s) {
                return null;
            }

            public java.security.cert.X509Certificate[] getCertificateChain(String a) {
                return d.getCertificateChain(a);
            }

            public java.security.PrivateKey getPrivateKey(String a) {
                return d.getPrivateKey(a);
            }
        };
        return io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.JDK)
                .keyManager(km).trustManager(id.caFile().toFile()).protocols("TLSv1.3").build();
    }

    /** Both TLS engines the coordinator may run on (BoringSSL where it loads, the JDK's otherwise) refuse alike. */
    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void refusesClientsWithoutCertificateFromAnotherCaOrNotEnrolledAndAuditsEachRefusal(String provider)
            throws Exception {
        assumeTrue(provider.equals("jdk") || io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.isAvailable(),
                "BoringSSL does not load on this platform");
        try (Cluster c = new Cluster(tmp, Cluster.studyText(3, "rounds: 1\n"))) {
            System.setProperty("glovebox.tls.provider", provider);
            try {
                c.startCoordinator();
            } finally {
                System.clearProperty("glovebox.tls.provider");
            }
            byte[] next = Wire.write(new Wire.NextRequest(c.study.id()));
            Path pki = tmp.resolve("pki");

            StatusRuntimeException noCert = call(Tls.clientWithoutCertificate(pki.resolve(Pki.CA_CERT)), c.port, next);
            assertThat(noCert.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

            Path other = tmp.resolve("other-ca");
            Pki.initCa(other, "Rogue consortium", Duration.ofDays(1));
            Pki.issue(other, other, "hospital-1", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
            Files.copy(pki.resolve(Pki.CA_CERT), other.resolve("trusted-ca.crt"));
            Identity rogue = new Identity(other.resolve("hospital-1.crt"), other.resolve("hospital-1.key"),
                    other.resolve("trusted-ca.crt"));
            // a standard client does not even offer a certificate the server's CA list does not name ...
            StatusRuntimeException otherCa = call(Tls.client(rogue), c.port, next);
            assertThat(otherCa.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            // ... and one that insists on presenting it fails the handshake
            StatusRuntimeException forced = call(insisting(rogue), c.port, next);
            assertThat(forced).isNotNull();
            assertThat(forced.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.UNKNOWN,
                    Status.Code.INTERNAL);

            Pki.issue(pki, pki, "hospital-99", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
            StatusRuntimeException notEnrolled = call(Tls.client(c.identity("hospital-99")), c.port, next);
            assertThat(notEnrolled.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

            StatusRuntimeException malformed = call(Tls.client(c.identity("hospital-1")), c.port,
                    new byte[] {1, 2, 3, 4, 5});
            assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

            byte[] otherStudy = Wire.write(new Wire.NextRequest(new byte[16]));
            StatusRuntimeException wrongStudy = call(Tls.client(c.identity("hospital-1")), c.port, otherStudy);
            assertThat(wrongStudy.getStatus().getDescription()).contains("another study");

            String audit = Files.readString(tmp.resolve("audit.log"));
            assertThat(audit).contains("call without a client certificate");
            assertThat(audit).contains("TLS client certificate refused");
            assertThat(audit).contains("hospital-99").contains("not enrolled");
            assertThat(audit).contains("too short for a header").contains("another study definition");
            assertThat(AuditLog.verify(tmp.resolve("audit.log")).ok()).isTrue();
        }
    }

    @Test
    void hostileFramesDuringAStudyAreRefusedAndTheStudyGoesOn() throws Exception {
        try (Cluster c = new Cluster(tmp, Cluster.studyText(3, "rounds: 2\nthreshold: 2\n"))) {
            c.startAll();
            SslContext ssl = Tls.client(c.identity("hospital-1"));
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", c.port).sslContext(ssl).build();
            byte[] sid = c.study.id();
            try {
                // wrong round, oversized announcement, truncated header
                byte[][] headers = {
                    Wire.write(new Wire.TransferHeader(sid, Wire.Kind.UPDATE, 77, 0, 1, 10, new byte[32])),
                    Wire.write(new Wire.TransferHeader(sid, Wire.Kind.UPDATE, 1, 0, 150_000, 1L << 33,
                            new byte[32])),
                    java.util.Arrays.copyOf(Wire.write(new Wire.TransferHeader(sid, Wire.Kind.STATS, 0, 0, 1, 10,
                            new byte[32])), 30),
                };
                for (byte[] h : headers) {
                    var obs = new java.util.concurrent.CompletableFuture<Throwable>();
                    var req = ClientCalls.asyncClientStreamingCall(ch.newCall(Rpc.SUBMIT, CallOptions.DEFAULT),
                            new io.grpc.stub.StreamObserver<byte[]>() {
                                public void onNext(byte[] v) { }

                                public void onError(Throwable t) {
                                    obs.complete(t);
                                }

                                public void onCompleted() {
                                    obs.complete(null);
                                }
                            });
                    req.onNext(h);
                    req.onCompleted();
                    Throwable t = obs.get(20, TimeUnit.SECONDS);
                    assertThat(t).isInstanceOf(StatusRuntimeException.class);
                }
                // fetching what does not exist
                assertThatThrownBy(() -> ClientCalls.blockingServerStreamingCall(ch, Rpc.FETCH, CallOptions.DEFAULT,
                        Wire.write(new Wire.FetchRequest(sid, Wire.Kind.MODEL, 999, 0))).next())
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                ch.shutdownNow();
            }
            assertThat(c.server.coordinator().awaitFinished(120_000)).isTrue();
            String audit = Files.readString(tmp.resolve("audit.log"));
            assertThat(audit).contains("wrong round").contains("exceeds").contains("truncated");
            assertThat(c.server.coordinator().reports()).hasSize(3);
        }
    }

    @Test
    void tlsProviderSettingIsCheckedAndBoringSslIsTheDefaultWhereItLoads() {
        assertThat(Tls.provider()).isEqualTo(io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.isAvailable()
                ? io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.OPENSSL
                : io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.JDK);
        System.setProperty("glovebox.tls.provider", "rot13");
        try {
            assertThatThrownBy(Tls::provider).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdk or openssl");
            System.setProperty("glovebox.tls.provider", " JDK ");
            assertThat(Tls.provider()).isEqualTo(io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.JDK);
        } finally {
            System.clearProperty("glovebox.tls.provider");
        }
    }

    @Test
    void auditVerifyDetectsEditedRemovedAndReorderedEntries() throws Exception {
        Path log = tmp.resolve("audit.log");
        try (AuditLog a = AuditLog.open(log)) {
            for (int i = 0; i < 6; i++) {
                a.append("upload", "hospital-" + i, "round 1, sha256 " + i);
            }
        }
        assertThat(AuditLog.verify(log).ok()).isTrue();
        List<String> lines = Files.readAllLines(log);

        Path edited = tmp.resolve("edited.log");
        List<String> e = new java.util.ArrayList<>(lines);
        e.set(2, e.get(2).replace("round 1", "round 2"));
        Files.write(edited, e);
        assertThat(AuditLog.verify(edited).message()).contains("edited");

        Path removed = tmp.resolve("removed.log");
        List<String> r = new java.util.ArrayList<>(lines);
        r.remove(3);
        Files.write(removed, r);
        assertThat(AuditLog.verify(removed).ok()).isFalse();

        Path reordered = tmp.resolve("reordered.log");
        List<String> o = new java.util.ArrayList<>(lines);
        java.util.Collections.swap(o, 1, 4);
        Files.write(reordered, o);
        assertThat(AuditLog.verify(reordered).ok()).isFalse();

        Path truncated = tmp.resolve("truncated.log");
        Files.write(truncated, lines.subList(0, 4));
        assertThat(AuditLog.verify(truncated).ok()).isTrue();
        assertThat(AuditLog.verify(truncated, 6, null).ok()).isFalse();

        assertThatThrownBy(() -> AuditLog.open(edited)).hasMessageContaining("fails verification");
    }

    @Test
    void anOpenLogVerifiesWhatItWroteAndShowsItsLatestEntries() throws Exception {
        Path log = tmp.resolve("live.log");
        try (AuditLog a = AuditLog.open(log)) {
            for (int i = 1; i <= 5; i++) {
                a.append("upload", "hospital-" + i, "round " + i);
            }
            assertThat(a.verifyWritten().ok()).isTrue();
            assertThat(a.recent(2)).extracting(AuditLog.Entry::seq).containsExactly(4L, 5L);
            assertThat(a.recent(1000)).hasSize(5);
            assertThat(a.recent(1).get(0)).isEqualTo(new AuditLog.Entry(5, a.recent(1).get(0).time(), "upload",
                    "hospital-5", "round 5"));
            assertThatThrownBy(() -> a.recent(0)).isInstanceOf(IllegalArgumentException.class);

            List<String> lines = Files.readAllLines(log);
            Files.write(log, lines.subList(0, 4)); // the tail removed behind the open log's back
            AuditLog.Result truncated = a.verifyWritten();
            assertThat(truncated.ok()).isFalse();
            assertThat(truncated.message()).contains("removed from its end");

            List<String> edited = new java.util.ArrayList<>(lines);
            edited.set(4, "{not json");
            Files.write(log, edited);
            assertThat(a.verifyWritten().ok()).isFalse();
            // the latest entries come from what the log wrote, not from the edited file
            assertThat(a.recent(1).get(0).details()).isEqualTo("round 5");

            Files.write(log, lines); // restored: entries appended after a verification started are not its business
            a.append("upload", "hospital-6", "round 6");
            assertThat(a.verifyWritten().ok()).isTrue();
            List<String> swapped = new java.util.ArrayList<>(Files.readAllLines(log));
            swapped.set(5, swapped.get(5).replace("round 6", "round 7"));
            Files.write(log, swapped);
            assertThat(a.verifyWritten().message()).contains("edited");
        }
        // reopened, the log remembers its latest entries
        Files.write(log, Files.readAllLines(log).subList(0, 5));
        try (AuditLog b = AuditLog.open(log)) {
            assertThat(b.recent(2)).extracting(AuditLog.Entry::details).containsExactly("round 4", "round 5");
        }
    }

    @Test
    void aHospitalsUploadsAreCheckedAgainstTheCoordinatorsLog() throws Exception {
        Path mine = tmp.resolve("hospital.log");
        Path theirs = tmp.resolve("coordinator.log");
        String u1 = "UPDATE round 1 attempt 0, 1 chunks, 900 bytes, sha256 aa";
        String u2 = "UPDATE round 2 attempt 0, 1 chunks, 900 bytes, sha256 bb";
        try (AuditLog h = AuditLog.open(mine); AuditLog c = AuditLog.open(theirs)) {
            h.append("node-started", "hospital-1", "study s");
            h.append("upload", "hospital-1", u1);
            h.append("upload", "hospital-1", u1); // a re-send the coordinator acknowledged as a duplicate
            h.append("upload", "hospital-1", u2);
            h.append("model-received", "hospital-1", "round 2, 10 parameters, sha256 " + "c".repeat(64));
            h.append("model-received", "hospital-1", "round 3, 10 parameters, sha256 " + "d".repeat(64));
            c.append("upload", "hospital-1", u1);
            c.append("upload", "hospital-2", u2); // the same words from another hospital do not count
            c.append("upload", "hospital-1", "UPDATE round 3 attempt 0, 1 chunks, 900 bytes, sha256 ee");
            c.append("model-release", "coordinator", "round 1: ..., model sha256 " + "c".repeat(64));
        }
        org.glovebox.federated.audit.AuditCrossCheck.Result r =
                org.glovebox.federated.audit.AuditCrossCheck.compare(mine, theirs);
        assertThat(r.ok()).isFalse();
        assertThat(r.matched()).isEqualTo(3);
        assertThat(r.unmatched()).containsExactly("entry 4: upload " + u2, "entry 6: model-received round 3, 10"
                + " parameters, sha256 " + "d".repeat(64));
        assertThat(r.unacknowledged()).containsExactly("coordinator entry 3: UPDATE round 3 attempt 0, 1 chunks,"
                + " 900 bytes, sha256 ee");
        assertThat(r.message()).contains("2 of 5 uploads and receipts of hospital-1 are missing",
                "1 uploads the coordinator logged");

        List<String> lines = Files.readAllLines(theirs);
        Files.write(theirs, List.of(lines.get(0).replace("900", "901"), lines.get(1)));
        assertThatThrownBy(() -> org.glovebox.federated.audit.AuditCrossCheck.compare(mine, theirs))
                .hasMessageContaining("fails verification");
        assertThatThrownBy(() -> org.glovebox.federated.audit.AuditCrossCheck.compare(theirs, mine))
                .hasMessageContaining("fails verification");
        Path notAHospital = tmp.resolve("other.log");
        try (AuditLog o = AuditLog.open(notAHospital)) {
            o.append("upload", "hospital-1", u1);
        }
        assertThatThrownBy(() -> org.glovebox.federated.audit.AuditCrossCheck.compare(notAHospital, mine))
                .hasMessageContaining("not a hospital's audit log");
    }
}
