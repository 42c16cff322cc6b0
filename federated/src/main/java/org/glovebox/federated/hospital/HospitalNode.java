package org.glovebox.federated.hospital;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.learn.LocalTraining;
import org.glovebox.federated.learn.Model;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.PemFiles;
import org.glovebox.federated.pki.SealedBox;
import org.glovebox.federated.stats.CohortStatistics;
import org.glovebox.federated.stats.StudyStatistics;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.transport.Rpc;
import org.glovebox.federated.transport.Tls;
import org.glovebox.federated.wire.Payloads;
import org.glovebox.federated.wire.Wire;
import org.glovebox.federated.wire.Wire.Kind;
import org.glovebox.federated.wire.Wire.Task;
import org.glovebox.federated.wire.WireException;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.multiparty.Combiner;
import org.glovebox.he.multiparty.KeyShareEncryptor;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.MultipartySerialization;
import org.glovebox.he.multiparty.PartyId;
import org.glovebox.he.multiparty.ProtocolType;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.ShamirShare;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.multiparty.Thresholdizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hospital node: keeps its patients and its key shares, dials the coordinator (gRPC, mutual TLS 1.3), and carries
 * out the tasks it is given: key-generation shares, sealed threshold shares, encrypted feature statistics, local
 * training with clipping and its share of DP noise, encrypted weighted updates and evaluation counts, and decryption
 * shares (with smudging) of aggregates only.
 *
 * <p>Everything it sends is first written to its state directory (the outbox) and re-sent from there after a
 * disconnection or restart, so a protocol message is produced once: a key share is never regenerated with fresh
 * noise, an update never re-drawn with fresh DP noise.
 */
public final class HospitalNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HospitalNode.class);
    /**
     * How much of an upload may wait in the transport before the sender waits for it to drain (gRPC's default is 32
     * KiB, which made every upload of a few chunks wait for the transport at least once, each wait a thread hand-off).
     */
    private static final int SUBMIT_BUFFER_BYTES = 1 << 20;

    private final StudyDefinition study;
    private final String name;
    private final int me;
    private final Identity identity;
    private final LocalData data;
    private final Path state;
    private final ManagedChannel channel;
    private final AggregationScheme scheme;
    private final Model model;
    private final byte[] sid;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile boolean stopped;
    private volatile int disconnectInRound = -1;
    private volatile int disconnectOnDecrypt = -1;

    private Session session;
    private Payloads.SessionInfo sessionInfo;
    private PublicKey publicKey;
    private ShamirShare shamirShare;
    private Encryptor encryptor;
    private double[] standardization;
    private final CohortStatistics cohortStatistics;
    private volatile StudyStatistics released;
    private AuditLog audit; // open while run() runs; written by its thread only

    public HospitalNode(StudyDefinition study, Identity identity, String host, int port, LocalData data, Path stateDir)
            throws IOException {
        this.study = study;
        this.identity = identity;
        this.name = identity.name();
        this.me = study.partyIndex(name);
        if (me < 0) {
            throw new IllegalArgumentException("this node's certificate names '" + name + "', which the study does not"
                    + " enrol " + study.hospitals());
        }
        this.data = data;
        int features = study.cohortDefinition().features().size();
        if (data.features() != features) {
            throw new IllegalArgumentException("local data has " + data.features() + " features, the study's cohort "
                    + features);
        }
        this.model = Model.forStudy(study, features);
        this.scheme = AggregationScheme.forStudy(study, model.parameterCount());
        this.cohortStatistics = CohortStatistics.forStudy(study);
        this.state = Files.createDirectories(stateDir);
        Files.createDirectories(state.resolve("outbox"));
        this.sid = study.id();
        this.channel = NettyChannelBuilder.forAddress(host, port)
                .sslContext(Tls.client(identity))
                .maxInboundMessageSize(Rpc.MAX_FRAME_BYTES)
                .build();
    }

    public String name() {
        return name;
    }

    /**
     * The study-wide statistics a statistics study released, once this node has received them (also written to
     * {@code statistics.json} in its state folder); null before, and for training studies.
     */
    public StudyStatistics statistics() {
        return released;
    }

    private void receiveStatistics() throws WireException, IOException {
        List<byte[]> chunks;
        try {
            chunks = fetch(Kind.STATISTICS, 0, 0);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                throw e; // transport trouble: retried
            }
            // refused by a finished study: statistics not there now never will be (a failed release, audited)
            throw new IllegalStateException(name + ": the study finished without releasing its statistics: "
                    + e.getStatus().getDescription(), e);
        }
        if (chunks.size() != 1) {
            throw new WireException("the statistics come in one chunk, the coordinator sent " + chunks.size());
        }
        StudyStatistics s;
        try {
            s = StudyStatistics.fromJson(chunks.get(0), cohortStatistics.maxJsonBytes());
            cohortStatistics.checkShape(s, study.hospitals());
        } catch (IllegalArgumentException e) {
            // not a transient fault: the coordinator released something other than this study's statistics
            throw new IllegalStateException(name + ": the coordinator sent statistics this study does not release: "
                    + e.getMessage(), e);
        }
        Path f = state.resolve("statistics.json");
        Path tmp = state.resolve("statistics.json.tmp");
        Files.write(tmp, chunks.get(0));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        released = s;
        audit.append("statistics-received", name, s.patients() + " patients at " + s.hospitals().size()
                + " hospitals, sha256 " + sha256Hex(chunks.get(0)));
        LOG.info("{}: study-wide statistics received ({} patients at {} hospitals), written to {}", name,
                s.patients(), s.hospitals().size(), f);
    }

    private static String sha256Hex(byte[] b) {
        return AuditLog.sha256Hex(b);
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bytes this node has sent to the coordinator (all frames). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Test hook: disconnect (stop) upon receiving the task of this round, before uploading. */
    public void disconnectInRound(int round) {
        this.disconnectInRound = round;
    }

    /** Test hook: disconnect (stop) upon receiving the decryption task of this round, before making any share. */
    public void disconnectOnDecrypt(int round) {
        this.disconnectOnDecrypt = round;
    }

    // ------------------------------------------------------------------ main loop

    /**
     * Runs tasks until the study finishes or {@link #close()} is called; returns true if the study finished. Opens
     * (and verifies) the hospital's own audit log, {@code audit.log} in the state folder, for the run: what this
     * hospital sent (kind, round, attempt, chunks, bytes and the same SHA-256 the coordinator logs) and what it
     * received, so its compliance officer can check the coordinator's log against it ({@code glovebox audit
     * compare}).
     */
    public boolean run() {
        try {
            audit = AuditLog.open(state.resolve("audit.log"));
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot open its audit log: " + e.getMessage(), e);
        }
        try {
            audit.append("node-started", name, "study " + study.name() + " id " + study.idHex() + ", "
                    + (data.trainX().length + data.validX().length) + " local records");
            boolean finished = runTasks();
            if (finished) {
                audit.append("study-finished", name, "study " + study.idHex());
            }
            return finished;
        } finally {
            try {
                audit.close();
            } catch (IOException e) {
                LOG.warn("{}: closing the audit log: {}", name, e.getMessage());
            }
        }
    }

    private boolean runTasks() {
        int failures = 0;
        while (!stopped) {
            try {
                Task t = next();
                failures = 0;
                if (t.type() == Wire.TaskType.FINISHED) {
                    if (study.statisticsOnly()) {
                        receiveStatistics();
                    }
                    LOG.info("{}: study finished", name);
                    return true;
                }
                if (((t.type() == Wire.TaskType.TRAIN || t.type() == Wire.TaskType.EVALUATE)
                        && t.round() == disconnectInRound)
                        || ((t.type() == Wire.TaskType.DECRYPT || t.type() == Wire.TaskType.DECRYPT_SEEDED)
                                && t.round() == disconnectOnDecrypt)) {
                    LOG.info("{}: disconnecting in round {} (test hook)", name, t.round());
                    close();
                    return false;
                }
                handle(t);
            } catch (StatusRuntimeException e) {
                if (stopped) {
                    break;
                }
                Status.Code c = e.getStatus().getCode();
                if (c == Status.Code.PERMISSION_DENIED || c == Status.Code.UNAUTHENTICATED) {
                    throw new IllegalStateException(name + ": refused by the coordinator: " + e.getStatus());
                }
                failures++;
                LOG.info("{}: {} ({}), retrying", name, c, e.getStatus().getDescription());
                sleep(Math.min(2000, 100L * failures));
            } catch (WireException | IOException e) {
                failures++;
                LOG.warn("{}: {}", name, e.getMessage());
                sleep(Math.min(2000, 100L * failures));
            } catch (RuntimeException e) {
                LOG.error("{}: stopped by an unexpected failure", name, e);
                throw e;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Task next() throws WireException {
        byte[] req = Wire.write(new Wire.NextRequest(sid));
        bytesSent.addAndGet(req.length);
        byte[] resp = ClientCalls.blockingUnaryCall(channel, Rpc.NEXT,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), req);
        Task t = Wire.readTask(resp);
        if (!Arrays.equals(t.studyId(), sid)) {
            throw new WireException("the coordinator answered for another study");
        }
        return t;
    }

    private void handle(Task t) throws IOException, WireException {
        switch (t.type()) {
            case WAIT -> { }
            case SEND_PK_SHARE -> sendPublicKeyShare();
            case SEND_SHAMIR_SHARES -> sendShamirShares();
            case RECEIVE_SHAMIR -> receiveShamirShares();
            case SEND_STATS -> sendStatistics();
            case TRAIN, EVALUATE -> sendUpdate(t.round(), t.attempt(), t.type() == Wire.TaskType.TRAIN);
            case DECRYPT -> sendDecryptionShares(t.round(), t.attempt(), t.active(), t.attachment(), false);
            case DECRYPT_SEEDED -> sendDecryptionShares(t.round(), t.attempt(), t.active(), List.of(), true);
            default -> throw new WireException("unexpected task " + t.type());
        }
    }

    // ------------------------------------------------------------------ transfers

    private List<byte[]> fetch(Kind kind, int round, int attempt) throws WireException {
        byte[] req = Wire.write(new Wire.FetchRequest(sid, kind, round, attempt));
        bytesSent.addAndGet(req.length);
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, Rpc.FETCH,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.MINUTES), req);
        if (!it.hasNext()) {
            throw new WireException("empty " + kind + " download");
        }
        Wire.TransferHeader h = Wire.readTransferHeader(it.next());
        if (!Arrays.equals(h.studyId(), sid) || h.kind() != kind) {
            throw new WireException("download header does not match the request");
        }
        List<byte[]> chunks = new ArrayList<>();
        Wire.Digest d = new Wire.Digest();
        while (it.hasNext()) {
            Wire.Chunk c = Wire.readChunk(it.next());
            if (c.index() != chunks.size() || chunks.size() >= h.chunkCount()) {
                throw new WireException("download chunk out of order");
            }
            d.add(c.data());
            chunks.add(c.data());
        }
        if (chunks.size() != h.chunkCount() || !Arrays.equals(d.finish(), h.digest())) {
            throw new WireException(kind + " download incomplete or corrupt");
        }
        return chunks;
    }

    private Path outbox(Kind kind, int round, int attempt) {
        return state.resolve("outbox").resolve(kind + "-" + round + "-" + attempt + ".bin");
    }

    /** Writes chunks to the outbox atomically. */
    private interface ChunkWriter {
        void write(DataOutputStream out) throws IOException, WireException;
    }

    /** The transfer digest of an outbox file, taken while it was written (spares a read pass before sending). */
    private record OutboxDigest(int count, long total, byte[] digest) { }

    private final java.util.Map<Path, OutboxDigest> outboxDigests = new java.util.concurrent.ConcurrentHashMap<>();
    private Wire.Digest writing; // the digest of the outbox being written, fed by putChunk

    private void writeOutbox(Path file, ChunkWriter w) throws IOException, WireException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Wire.Digest d = new Wire.Digest();
        writing = d;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            w.write(out);
        } finally {
            writing = null;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        outboxDigests.put(file, new OutboxDigest(d.count(), d.total(), d.finish()));
    }

    private void putChunk(DataOutputStream out, byte[] c) throws IOException {
        out.writeInt(c.length);
        out.write(c);
        if (writing != null) {
            writing.add(c);
        }
    }

    /** Streams an outbox file to the coordinator: header (with digest) then chunks. */
    private void submit(Kind kind, int round, int attempt, Path file) throws IOException, WireException {
        OutboxDigest od = outboxDigests.get(file);
        if (od == null) { // written before a restart: one pass over the file
            Wire.Digest d = new Wire.Digest();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (in.available() > 0) {
                    d.add(in.readNBytes(in.readInt()));
                }
            }
            od = new OutboxDigest(d.count(), d.total(), d.finish());
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = channel.newCall(Rpc.SUBMIT,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.MINUTES).withOnReadyThreshold(SUBMIT_BUFFER_BYTES));
        Object ready = new Object();
        StreamObserver<byte[]> obs = ClientCalls.asyncClientStreamingCall(call, new ClientResponseObserver<byte[],
                byte[]>() {
            byte[] ack;

            public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
                // flow control: the sender waits for this signal rather than polling
                requests.setOnReadyHandler(() -> wake(ready));
            }

            public void onNext(byte[] v) {
                ack = v;
            }

            public void onError(Throwable t) {
                result.completeExceptionally(t);
                wake(ready);
            }

            public void onCompleted() {
                result.complete(ack);
                wake(ready);
            }
        });
        ClientCallStreamObserver<byte[]> flow = (ClientCallStreamObserver<byte[]>) obs;
        try {
            send(flow, result, ready, Wire.write(new Wire.TransferHeader(sid, kind, round, attempt, od.count(),
                    od.total(), od.digest())));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                int i = 0;
                while (in.available() > 0 && !result.isDone()) {
                    send(flow, result, ready, Wire.write(new Wire.Chunk(sid, i++, in.readNBytes(in.readInt()))));
                }
            }
            obs.onCompleted();
        } catch (RuntimeException e) {
            obs.onError(e);
            throw e;
        }
        try {
            byte[] ack = result.get(10, TimeUnit.MINUTES);
            Wire.Ack a = Wire.readAck(ack);
            LOG.debug("{}: {} round {} attempt {}: {}", name, kind, round, attempt, a.message());
            // the same words and digest as the coordinator's "upload" entry, for glovebox audit compare
            audit.append("upload", name, kind + " round " + round + " attempt " + attempt + ", " + od.count()
                    + " chunks, " + od.total() + " bytes, sha256 " + HexFormat.of().formatHex(od.digest()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("upload timed out");
        }
    }

    private static void wake(Object ready) {
        synchronized (ready) {
            ready.notifyAll();
        }
    }

    /** Sends a frame once the transport is ready for more (woken by gRPC's on-ready signal, not by polling). */
    private void send(ClientCallStreamObserver<byte[]> flow, CompletableFuture<byte[]> result, Object ready,
            byte[] frame) {
        synchronized (ready) {
            while (!flow.isReady() && !result.isDone() && !stopped) {
                try {
                    ready.wait(100); // the timeout only bounds the reaction to close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while uploading");
                }
            }
        }
        bytesSent.addAndGet(frame.length);
        flow.onNext(frame);
    }

    // ------------------------------------------------------------------ key setup

    private Session session() throws IOException, WireException {
        if (session != null) {
            return session;
        }
        Path f = state.resolve("session.bin");
        byte[] b;
        if (Files.exists(f)) {
            b = Files.readAllBytes(f);
        } else {
            b = fetch(Kind.SESSION, 0, 0).get(0);
        }
        Payloads.SessionInfo info = Payloads.SessionInfo.read(b, study.hospitals().size());
        verifySession(info);
        if (!Files.exists(f)) {
            Files.write(f, b);
            audit.append("session", name, "joined session " + HexFormat.of().formatHex(info.sessionId()) + " of "
                    + info.parties().size() + " hospitals, t=" + info.threshold() + ", sha256 " + sha256Hex(b));
        }
        sessionInfo = info;
        List<PartyId> ids = new ArrayList<>();
        for (Payloads.Party p : info.parties()) {
            ids.add(new PartyId(p.index(), p.point()));
        }
        session = Session.of(scheme.parameters(), info.sessionId(), info.crsSeed(), ids, info.threshold());
        return session;
    }

    /** Checks the announced session against this hospital's own study definition and the consortium CA. */
    private void verifySession(Payloads.SessionInfo info) throws WireException, IOException {
        if (!Arrays.equals(info.paramsFingerprint(), scheme.parameters().fingerprint())) {
            throw new WireException("wrong parameters: the session's encryption parameters differ from the study's");
        }
        if (info.threshold() != study.threshold()) {
            throw new WireException("the session's threshold " + info.threshold() + " differs from the study's "
                    + study.threshold());
        }
        X509Certificate ca = identity.ca();
        for (Payloads.Party p : info.parties()) {
            if (!p.name().equals(study.hospitals().get(p.index())) || p.point() != p.index() + 1L) {
                throw new WireException("session party " + p.index() + " is '" + p.name() + "', the study enrols '"
                        + study.hospitals().get(p.index()) + "'");
            }
            X509Certificate c = PemFiles.parseCertificate(p.certificatePem().getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            try {
                c.verify(ca.getPublicKey());
                c.checkValidity();
            } catch (Exception e) {
                throw new WireException("certificate of " + p.name() + " is not valid under the consortium CA: "
                        + e.getMessage());
            }
            if (!p.name().equals(PemFiles.commonName(c))) {
                throw new WireException("certificate of party " + p.index() + " names " + PemFiles.commonName(c));
            }
            if (p.index() == me && !c.equals(identity.certificate())) {
                throw new WireException("the session lists another certificate for this hospital");
            }
        }
    }

    private X509Certificate partyCertificate(int i) throws IOException {
        return PemFiles.parseCertificate(sessionInfo.parties().get(i).certificatePem()
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void writeSecret(Path f, byte[] b) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, b);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private SecretKeyShare secretShare() throws IOException, WireException {
        Path f = state.resolve("secret-share.bin");
        if (Files.exists(f)) {
            try {
                return Serialization.fromBytes(Files.readAllBytes(f),
                        in -> MultipartySerialization.readSecretKeyShare(in, scheme.parameters()));
            } catch (MalformedDataException e) {
                throw new IOException("corrupt secret share " + f + ": " + e.getMessage(), e);
            }
        }
        SecretKeyShare sk = SecretKeyShare.generate(scheme.parameters(), session().party(me));
        writeSecret(f, MultipartySerialization.toBytes(sk));
        return sk;
    }

    private void sendPublicKeyShare() throws IOException, WireException {
        Path f = outbox(Kind.PK_SHARE, 0, 0);
        if (!Files.exists(f)) {
            Session s = session();
            SecretKeyShare sk = secretShare();
            Share share = new PublicKeyGen(s).generateShare(sk);
            writeOutbox(f, out -> putChunk(out, MultipartySerialization.toBytes(share)));
        }
        submit(Kind.PK_SHARE, 0, 0, f);
    }

    private void sendShamirShares() throws IOException, WireException {
        Path f = outbox(Kind.SHAMIR_SHARES, 0, 0);
        if (!Files.exists(f)) {
            Session s = session();
            SecretKeyShare sk = secretShare();
            Thresholdizer th = new Thresholdizer(s);
            List<Share> shares = th.generateShares(sk);
            th.destroy();
            PrivateKey key = identity.privateKey();
            writeOutbox(f, out -> {
                for (int j = 0; j < shares.size(); j++) {
                    byte[] plain = MultipartySerialization.toBytes(shares.get(j));
                    putChunk(out, SealedBox.seal(key, partyCertificate(j).getPublicKey(), s.id(), name,
                            study.hospitals().get(j), plain));
                    Arrays.fill(plain, (byte) 0);
                }
            });
        }
        submit(Kind.SHAMIR_SHARES, 0, 0, f);
    }

    private ShamirShare shamirShare() throws IOException, WireException {
        if (shamirShare != null) {
            return shamirShare;
        }
        Path f = state.resolve("shamir-share.bin");
        Session s = session();
        try {
            shamirShare = Serialization.fromBytes(Files.readAllBytes(f),
                    in -> MultipartySerialization.readShamirShare(in, s));
            return shamirShare;
        } catch (MalformedDataException e) {
            throw new IOException("corrupt Shamir share " + f + ": " + e.getMessage(), e);
        }
    }

    private void receiveShamirShares() throws IOException, WireException {
        Path f = state.resolve("shamir-share.bin");
        if (!Files.exists(f)) {
            Session s = session();
            List<byte[]> boxes = fetch(Kind.SHAMIR_INBOX, 0, 0);
            if (boxes.size() != study.hospitals().size()) {
                throw new WireException("expected " + study.hospitals().size() + " sealed shares, got " + boxes.size());
            }
            PrivateKey key = identity.privateKey();
            Thresholdizer th = new Thresholdizer(s);
            List<Share> shares = new ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                byte[] plain;
                try {
                    plain = SealedBox.open(key, partyCertificate(i).getPublicKey(), s.id(),
                            study.hospitals().get(i), name, boxes.get(i));
                } catch (java.security.GeneralSecurityException e) {
                    throw new WireException("sealed share from " + study.hospitals().get(i) + " does not open: it was"
                            + " altered or not sealed by that hospital for " + name);
                }
                Share sh;
                try {
                    sh = MultipartySerialization.shareFromBytes(plain, s, ProtocolType.THRESHOLDIZER, 1);
                } catch (MalformedDataException e) {
                    throw new WireException("malformed threshold share from " + study.hospitals().get(i) + ": "
                            + e.getMessage());
                }
                Arrays.fill(plain, (byte) 0);
                if (sh.recipient() != me || !sh.contributors().equals(List.of(i))) {
                    throw new WireException("threshold share from " + study.hospitals().get(i)
                            + " is not its own share for " + name);
                }
                shares.add(sh);
            }
            ShamirShare own = th.finish(th.aggregateShares(shares));
            writeSecret(f, MultipartySerialization.toBytes(own));
        }
        Path ready = outbox(Kind.SHAMIR_READY, 0, 0);
        if (!Files.exists(ready)) {
            writeOutbox(ready, out -> { });
        }
        submit(Kind.SHAMIR_READY, 0, 0, ready);
    }

    private PublicKey publicKey() throws WireException, IOException {
        if (publicKey == null) {
            Path f = state.resolve("public-key.bin");
            byte[] b = Files.exists(f) ? Files.readAllBytes(f) : fetch(Kind.PUBLIC_KEY, 0, 0).get(0);
            try {
                publicKey = Serialization.fromBytes(b, in -> Serialization.readPublicKey(in, scheme.parameters()));
            } catch (MalformedDataException e) {
                throw new WireException("malformed public key: " + e.getMessage());
            }
            Files.write(f, b);
        }
        return publicKey;
    }

    private KeyShareEncryptor keyShareEncryptor;

    /** Encryption under this hospital's own additive key share (kept in its state folder since key generation). */
    private KeyShareEncryptor keyShareEncryptor() throws WireException, IOException {
        if (keyShareEncryptor == null) {
            keyShareEncryptor = new KeyShareEncryptor(secretShare());
        }
        return keyShareEncryptor;
    }

    private Encryptor encryptor() throws WireException, IOException {
        if (encryptor == null && study.encrypted()) {
            encryptor = Encryptor.withPublicKey(publicKey());
        }
        return encryptor;
    }

    // ------------------------------------------------------------------ statistics, training, evaluation

    /** One upload chunk of {@code values} from {@code from}: chunk number {@code chunk}. */
    private interface ChunkEncoder {
        byte[] encode(double[] values, int from, int chunk);
    }

    private void writeValues(DataOutputStream out, double[] values, ChunkEncoder encoder) throws IOException {
        for (int from = 0, c = 0; from < values.length; from += scheme.valuesPerChunk(), c++) {
            putChunk(out, encoder.encode(values, from, c));
        }
    }

    private void sendStatistics() throws IOException, WireException {
        Path f = outbox(Kind.STATS, 0, 0);
        if (!Files.exists(f)) {
            // a training study standardizes with its training rows; a statistics study describes every patient
            // (with differential privacy the node's noise share comes from its SecureRandom)
            BigInteger[] v = study.statisticsOnly()
                    ? cohortStatistics.local(concat(data.trainX(), data.validX()), concat(data.trainY(), data.validY()),
                            random)
                    : cohortStatistics.local(data.trainX(), data.trainY(), random);
            double[] digits = scheme.integerDigits(v, AggregationScheme.STATS_DIGITS);
            Encryptor enc = encryptor();
            writeOutbox(f, out -> writeValues(out, digits,
                    (values, from, c) -> scheme.encodeChunk(enc, values, from, scheme.integerScale())));
        }
        submit(Kind.STATS, 0, 0, f);
    }

    private double[] standardization() throws WireException {
        if (standardization == null) {
            byte[] b = fetch(Kind.STANDARDIZATION, 0, 0).get(0);
            standardization = Payloads.readDoubles(b, 1 + 2 * data.features());
            audit.append("standardization-received", name, "study-wide feature means and standard deviations,"
                    + " sha256 " + sha256Hex(b));
        }
        return standardization;
    }

    private double[] globalModel(int round) throws WireException {
        List<byte[]> chunks = fetch(Kind.MODEL, round, 0);
        double[] m = new double[model.parameterCount()];
        int o = 0;
        for (byte[] c : chunks) {
            int n = Math.min(1 << 16, m.length - o);
            double[] part = Payloads.readDoubles(c, n);
            System.arraycopy(part, 0, m, o, n);
            o += n;
        }
        if (o != m.length) {
            throw new WireException("model of " + o + " parameters, expected " + m.length);
        }
        audit.append("model-received", name, "round " + round + ", " + m.length + " parameters, sha256 "
                + sha256Hex(Payloads.doubles(m)));
        return m;
    }

    /**
     * A round's upload: in attempt 0 of an encrypted study under this hospital's key share (c_0 alone, with the
     * round's common masks), in attempt 1 (the coordinator's fallback when not every hospital uploaded in time) and in
     * the plaintext mode as before.
     */
    private void sendUpdate(int round, int attempt, boolean train) throws IOException, WireException {
        if (attempt < 0 || attempt > 1) {
            throw new WireException("an update has collection attempt 0 or 1, the task says " + attempt);
        }
        long t0 = System.nanoTime();
        long c0 = threadCpuNanos();
        Path f = outbox(Kind.UPDATE, round, attempt);
        if (!Files.exists(f)) {
            double[] std = standardization();
            int d = data.features();
            double[] means = Arrays.copyOfRange(std, 1, 1 + d);
            double[] sds = Arrays.copyOfRange(std, 1 + d, 1 + 2 * d);
            double[] theta = globalModel(round);
            LOG.debug("{}: round {} model fetched after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
            double[][] tx = LocalData.standardize(data.trainX(), means, sds);
            double[][] vx = LocalData.standardize(data.validX(), means, sds);
            Evaluation e = Evaluation.of(model, theta, vx, data.validY());
            BigInteger[] ev = new BigInteger[AggregationScheme.EVAL_INTEGERS];
            ev[0] = BigInteger.valueOf(tx.length);
            ev[1] = BigInteger.valueOf(e.count());
            ev[2] = BigInteger.valueOf(e.correct());
            ev[3] = AggregationScheme.fixedPoint(e.lossSum());
            for (int b = 0; b < Evaluation.BINS; b++) {
                ev[4 + b] = BigInteger.valueOf(e.positives()[b]);
                ev[4 + Evaluation.BINS + b] = BigInteger.valueOf(e.negatives()[b]);
            }
            double[] evalDigits = scheme.integerDigits(ev, AggregationScheme.EVAL_DIGITS);
            double[] weighted = null;
            if (train) {
                long seed = study.seed() * 1_000_003L + me * 7919L + round;
                double[] u = LocalTraining.train(model, theta, tx, data.trainY(), study.localEpochs(),
                        study.batchSize(), study.learningRate(), seed);
                double norm = LocalTraining.clip(u, study.clipNorm());
                if (norm > study.clipNorm()) {
                    LOG.info("{}: round {} update norm {} clipped to {}", name, round, norm, study.clipNorm());
                }
                double w = tx.length / std[0];
                weighted = new double[u.length];
                double sigma = study.privacy().enabled()
                        ? study.privacy().noiseMultiplier() * study.clipNorm() / Math.sqrt(study.requiredPerRound())
                        : 0;
                for (int j = 0; j < u.length; j++) {
                    weighted[j] = w * u[j] + (sigma > 0 ? sigma * random.nextGaussian() : 0);
                }
            }
            LOG.debug("{}: round {} trained after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
            Encryptor enc = encryptor();
            double[] upd = weighted;
            boolean keyShare = study.encrypted() && attempt == 0;
            KeyShareEncryptor ks = keyShare ? keyShareEncryptor() : null;
            byte[] sessionId = keyShare ? session().id() : null;
            double[] values = upd != null ? scheme.trainingValues(upd, evalDigits) : evalDigits;
            // one vector: the update, then the evaluation digits in the free slots of its last chunk
            double scale = upd != null ? scheme.updateScale() : scheme.integerScale();
            writeOutbox(f, out -> writeValues(out, values, ks != null
                    ? (v, from, c) -> scheme.encodeKeyShareChunk(ks, AggregationScheme.uploadMaskSeed(sessionId, round,
                            attempt, c), v, from, scale)
                    : (v, from, c) -> scheme.encodeChunk(enc, v, from, scale)));
        }
        LOG.debug("{}: round {} encoded after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
        submit(Kind.UPDATE, round, attempt, f);
        LOG.debug("{}: round {} update submitted after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
        deleteOlderOutboxes(round);
    }

    private void deleteOlderOutboxes(int round) {
        try (var files = Files.list(state.resolve("outbox"))) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                for (Kind k : new Kind[] {Kind.UPDATE, Kind.DECRYPTION_SHARES}) {
                    if (n.startsWith(k + "-")) {
                        int r = Integer.parseInt(n.substring(k.toString().length() + 1, n.indexOf('-',
                                k.toString().length() + 1)));
                        return r < round - 1;
                    }
                }
                return false;
            }).forEach(p -> {
                outboxDigests.remove(p);
                p.toFile().delete();
            });
        } catch (IOException | RuntimeException e) {
            LOG.debug("outbox cleanup: {}", e.getMessage());
        }
    }

    /** This thread's CPU time in nanoseconds when debug logging is on (for the timeline), 0 otherwise. */
    private static long threadCpuNanos() {
        return LOG.isDebugEnabled() ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                : 0;
    }

    /** " (thread CPU x ms)" since {@code c0}, for the debug timeline. */
    private static String threadCpu(long c0) {
        if (!LOG.isDebugEnabled()) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, " (thread CPU %.1f ms)", (threadCpuNanos() - c0) / 1e6);
    }

    // ------------------------------------------------------------------ decryption

    /**
     * Decryption shares of the aggregate of (round, attempt) for the active set: one share per aggregate ciphertext,
     * made from its mask c_1 alone (attached to the task, or downloaded when too large to attach) for the ciphertext
     * (0, c_1), and written to the outbox before it is sent, so that it is never made twice.
     */
    /**
     * This hospital's decryption shares of round r, attempt a, for the active set: of the attached (or downloaded)
     * masks, or, {@code seeded}, of the round's common masks of uploads under key shares, expanded here from their
     * seeds (only attempt 0 of a training or evaluation round decrypts such an aggregate).
     */
    private void sendDecryptionShares(int round, int attempt, int[] activeIdx, List<byte[]> attached, boolean seeded)
            throws IOException, WireException {
        if (seeded && (round < 1 || attempt != 0 || !study.encrypted())) {
            throw new WireException("seeded masks belong to decryption attempt 0 of an encrypted round, not round "
                    + round + " attempt " + attempt);
        }
        long t0 = System.nanoTime();
        long c0 = threadCpuNanos();
        Path f = outbox(Kind.DECRYPTION_SHARES, round, attempt);
        if (!Files.exists(f)) {
            Session s = session();
            List<PartyId> active = new ArrayList<>();
            for (int i : activeIdx) {
                active.add(s.party(i));
            }
            if (!active.contains(s.party(me)) || active.size() < s.threshold()) {
                throw new WireException("decryption set " + active + " is invalid for " + name);
            }
            SecretKeyShare sk = new Combiner(s).generateShare(shamirShare(), active);
            KeySwitch ks = new KeySwitch(s, active, scheme.smudging());
            List<Ciphertext> cts = new ArrayList<>();
            if (seeded) {
                boolean trains = study.trainsRound(round);
                int count = trains ? scheme.trainingChunks() : scheme.evaluationChunks();
                double scale = trains ? scheme.updateScale() : scheme.integerScale();
                for (int c = 0; c < count; c++) {
                    cts.add(scheme.keyShareMask(AggregationScheme.uploadMaskSeed(s.id(), round, 0, c), scale));
                }
            }
            List<byte[]> masks = seeded ? List.of() : attached.isEmpty() ? fetch(Kind.AGGREGATE, round, attempt)
                    : attached;
            int expected = round == 0 ? scheme.chunks(cohortStatistics.integers() * AggregationScheme.STATS_DIGITS)
                    : scheme.trainingChunks();
            if (!seeded && masks.size() != expected && (round == 0 || masks.size() != scheme.evaluationChunks())) {
                throw new WireException("an aggregate of round " + round + " has " + expected + " ciphertexts"
                        + (round == 0 ? "" : " (or " + scheme.evaluationChunks() + " when evaluating only)")
                        + ", the coordinator sent " + masks.size());
            }
            for (byte[] m : masks) {
                cts.add(scheme.readMask(m));
            }
            writeOutbox(f, out -> {
                for (Ciphertext ct : cts) {
                    putChunk(out, scheme.shareToBytes(ks.generateShareInCoefficientForm(sk, ct)));
                }
            });
            sk.destroy();
        }
        LOG.debug("{}: round {} shares made after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
        submit(Kind.DECRYPTION_SHARES, round, attempt, f);
        LOG.debug("{}: round {} shares submitted after {} ms{}", name, round, (System.nanoTime() - t0) / 1_000_000,
                    threadCpu(c0));
    }

    @Override
    public void close() {
        stopped = true;
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
