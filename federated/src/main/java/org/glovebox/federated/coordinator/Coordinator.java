package org.glovebox.federated.coordinator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.learn.Model;
import org.glovebox.federated.learn.RdpAccountant;
import org.glovebox.federated.pki.PemFiles;
import org.glovebox.federated.stats.CohortStatistics;
import org.glovebox.federated.stats.StudyStatistics;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.wire.Payloads;
import org.glovebox.federated.wire.Wire;
import org.glovebox.federated.wire.Wire.Kind;
import org.glovebox.federated.wire.Wire.Task;
import org.glovebox.federated.wire.Wire.TaskType;
import org.glovebox.federated.wire.WireException;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.MultipartySerialization;
import org.glovebox.he.multiparty.PartyId;
import org.glovebox.he.multiparty.ProtocolType;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's protocol state machine. It relays and aggregates, schedules rounds, and never holds a secret:
 * it sees public-key shares, sealed threshold shares (opaque to it), ciphertexts, decryption shares of aggregates and
 * the released aggregates (standardization statistics, evaluation counts, the noised average update).
 *
 * <p>Phases: enrolment (all hospitals connect) → collective public key (N-out-of-N) → threshold re-sharing (t-out-of-N,
 * shares sealed hospital-to-hospital) → release 0: study-wide feature statistics → releases 1 … R: training rounds
 * (evaluation of the current model + encrypted weighted update) → a closing evaluation-only round. Each release
 * collects uploads until all hospitals uploaded or the round timeout passed with at least max(t, minHospitals), sums
 * them homomorphically, asks t live hospitals for decryption shares (re-randomizing the aggregate and choosing other
 * hospitals if one does not answer in time), combines them and releases the result.
 *
 * <p>Every state change is written to the {@link Store} before it is acted on; uploads and shares are idempotent by
 * (study, kind, round, attempt, hospital), so a coordinator killed at any point resumes from its database.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    static final int STATS_DIGITS = AggregationScheme.STATS_DIGITS;
    static final int EVAL_DIGITS = AggregationScheme.EVAL_DIGITS;
    static final String AGG = "*aggregate";

    enum Phase { ENROLMENT, KEYGEN, SHAMIR, RELEASES, DONE }

    enum Stage { COLLECTING, DECRYPTING }

    private final StudyDefinition study;
    private final byte[] studyId;
    private final AggregationScheme scheme;
    private final Store store;
    private final AuditLog audit;
    private final int features;
    private final Model model;
    private final int modelSize;
    private final int trainChunks;
    private final int statsChunks;
    private final CohortStatistics cohortStatistics;
    private final int evalChunks;
    private final int parties;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();
    private final List<RoundReport> reports = new ArrayList<>();
    private volatile Consumer<RoundReport> listener = r -> { };
    private final long aliveMillis;
    private final java.util.concurrent.ExecutorService pruner = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "coordinator-pruner");
                t.setDaemon(true);
                return t;
            });

    private Phase phase;
    private int round;
    private Stage stage;
    private int attempt;
    private boolean evalOnly;
    private int[] active = new int[0];
    private Session session;
    private PublicKey publicKey;
    private double[] standardization;
    private StudyStatistics statistics;
    private long deadline;
    private long roundStarted;
    private long roundStartedCpu; // process CPU time at the round's start, for the debug timeline only
    private boolean closed;

    public Coordinator(StudyDefinition study, Store store, AuditLog audit) throws SQLException, IOException {
        this.study = study;
        this.studyId = study.id();
        this.store = store;
        this.audit = audit;
        this.features = study.cohortDefinition().features().size();
        this.model = Model.forStudy(study, features);
        this.modelSize = model.parameterCount();
        this.scheme = AggregationScheme.forStudy(study, modelSize);
        this.trainChunks = scheme.trainingChunks();
        this.cohortStatistics = CohortStatistics.forStudy(study);
        this.statsChunks = scheme.chunks(cohortStatistics.integers() * STATS_DIGITS);
        this.evalChunks = scheme.evaluationChunks();
        this.parties = study.hospitals().size();
        this.aliveMillis = 5000;
        load();
    }

    // ------------------------------------------------------------------ persistence of the state

    private void load() throws SQLException, IOException {
        Optional<byte[]> sid = store.get("study.id");
        if (sid.isPresent() && !Arrays.equals(sid.get(), studyId)) {
            throw new IllegalStateException("the database belongs to another study definition (id "
                    + HexFormat.of().formatHex(sid.get()) + "); use a fresh database for a changed study");
        }
        if (sid.isEmpty()) {
            store.put("study.id", studyId);
            store.put("study.text", study.text().getBytes(StandardCharsets.UTF_8));
            audit.append("study-created", "coordinator", "study " + study.name() + " id " + study.idHex() + ", "
                    + study.hospitals().size() + " enrolled hospitals " + study.hospitals() + ", t=" + study.threshold()
                    + ", aggregation " + study.aggregation() + ", " + scheme.parameters());
        }
        phase = Phase.valueOf(str("phase", Phase.ENROLMENT.name()));
        round = integer("round", 0);
        stage = Stage.valueOf(str("stage", Stage.COLLECTING.name()));
        attempt = integer("attempt", 0);
        evalOnly = integer("evalOnly", 0) == 1;
        active = ints(store.get("active").orElse(new byte[0]));
        for (String h : study.hospitals()) {
            Optional<byte[]> c = store.get("cert." + h);
            if (c.isPresent()) {
                certificates.put(h, PemFiles.parseCertificate(c.get()));
            }
        }
        if (store.get("session").isPresent()) {
            try {
                session = sessionFrom(Payloads.SessionInfo.read(store.get("session").get(), parties));
            } catch (WireException e) {
                throw new IllegalStateException("corrupt stored session: " + e.getMessage(), e);
            }
        }
        if (store.get("publicKey").isPresent()) {
            publicKey = Serialization.fromBytes(store.get("publicKey").get(),
                    in -> Serialization.readPublicKey(in, scheme.parameters()));
        }
        if (store.get("statistics").isPresent()) {
            statistics = StudyStatistics.fromJson(store.get("statistics").get(), cohortStatistics.maxJsonBytes());
        }
        if (store.get("standardization").isPresent()) {
            standardization = readVector(store.get("standardization").get(), 1 + 2 * features);
        }
        Optional<byte[]> rep = store.get("reports"); // all reports in one value: databases of earlier versions
        if (rep.isPresent()) {
            reports.addAll(ReportCodec.read(rep.get()));
        }
        for (Optional<byte[]> r = store.get(reportKey(reports.size())); r.isPresent();
                r = store.get(reportKey(reports.size()))) {
            reports.add(ReportCodec.readOne(r.get()));
        }
        deadline = System.currentTimeMillis() + timeoutMillis();
        roundStarted = System.currentTimeMillis();
        if (phase != Phase.ENROLMENT) {
            audit.append("coordinator-resumed", "coordinator", "phase " + phase + ", round " + round + ", stage "
                    + stage + ", attempt " + attempt);
        }
    }

    // ------------------------------------------------------------------ submissions, cached

    /** (kind, round, attempt) of a set of submissions. */
    private record SubmissionKey(int kind, int round, int attempt) { }

    /**
     * The completed submissions, read through: the coordinator is the only writer of its database, so after the first
     * read of a (kind, round, attempt) the set is kept here and every change goes through {@link #completeSubmission}
     * and {@link #deleteSubmission}. Spares the SQL queries every long poll made on every state change.
     */
    private final Map<SubmissionKey, java.util.SortedMap<String, Store.Submission>> submissionCache =
            new ConcurrentHashMap<>();

    private synchronized java.util.SortedMap<String, Store.Submission> cachedSubmissions(int kind, int r, int a)
            throws SQLException {
        SubmissionKey key = new SubmissionKey(kind, r, a);
        java.util.SortedMap<String, Store.Submission> m = submissionCache.get(key);
        if (m == null) {
            m = new java.util.TreeMap<>();
            for (Store.Submission s : store.submissions(kind, r, a)) {
                m.put(s.hospital(), s);
            }
            submissionCache.put(key, m);
        }
        return m;
    }

    private synchronized List<Store.Submission> submissions(int kind, int r, int a) throws SQLException {
        return new ArrayList<>(cachedSubmissions(kind, r, a).values());
    }

    private synchronized Optional<Store.Submission> submission(int kind, int r, int a, String hospital)
            throws SQLException {
        return Optional.ofNullable(cachedSubmissions(kind, r, a).get(hospital));
    }

    /**
     * Records a complete submission. Decryption shares are the exception: they are summed as they arrive and recorded
     * in memory only, neither their chunks nor their row reach the database, so that no key-dependent share rests on
     * the coordinator's disk and the decryption's extra round trip writes nothing. A restart loses the partial sum and
     * the record together; the decrypting hospitals are then asked again and re-send the very shares they made (kept
     * in their outboxes), which nothing has counted yet.
     */
    private synchronized void completeSubmission(int kind, int r, int a, Store.Submission s) throws SQLException {
        if (kind != Kind.DECRYPTION_SHARES.ordinal()) {
            store.complete(kind, r, a, s);
        }
        cachedSubmissions(kind, r, a).put(s.hospital(), s);
    }

    private synchronized void deleteSubmission(int kind, int r, int a, String hospital) throws SQLException {
        store.deleteSubmission(kind, r, a, hospital);
        cachedSubmissions(kind, r, a).remove(hospital);
    }

    /** Forgets the cached submissions of rounds before {@code r} (they stay in the database). */
    private void forgetSubmissionsBefore(int r) {
        submissionCache.keySet().removeIf(k -> k.round() < r && k.round() > 0);
    }

    private static double[] readVector(byte[] b, int n) {
        try {
            return Payloads.readDoubles(b, n);
        } catch (WireException e) {
            throw new IllegalStateException("corrupt stored vector: " + e.getMessage(), e);
        }
    }

    private String str(String k, String def) throws SQLException {
        return store.get(k).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(def);
    }

    private int integer(String k, int def) throws SQLException {
        return store.get(k).map(b -> ByteBuffer.wrap(b).getInt()).orElse(def);
    }

    private static byte[] bytes(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] bytes(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static int[] ints(byte[] b) {
        int[] v = new int[b.length / 4];
        ByteBuffer bb = ByteBuffer.wrap(b);
        for (int i = 0; i < v.length; i++) {
            v[i] = bb.getInt();
        }
        return v;
    }

    private Map<String, byte[]> stateMap() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("phase", phase.name().getBytes(StandardCharsets.UTF_8));
        m.put("round", bytes(round));
        m.put("stage", stage.name().getBytes(StandardCharsets.UTF_8));
        m.put("attempt", bytes(attempt));
        m.put("evalOnly", bytes(evalOnly ? 1 : 0));
        m.put("active", bytes(active));
        return m;
    }

    private void saveState(Map<String, byte[]> extra) throws SQLException {
        Map<String, byte[]> m = stateMap();
        m.putAll(extra);
        store.putAll(m);
        notifyAll();
    }

    /** Process CPU time in nanoseconds (all threads), when debug logging is on; 0 otherwise. */
    private static long processCpuNanos() {
        if (!LOG.isDebugEnabled()) {
            return 0;
        }
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** " (process CPU +x ms)" since the round started, for the debug timeline (process-wide: every thread counts). */
    private String cpuSinceRoundStart() {
        if (!LOG.isDebugEnabled()) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, " (process CPU +%.1f ms)",
                (processCpuNanos() - roundStartedCpu) / 1e6);
    }

    // ------------------------------------------------------------------ public accessors

    public StudyDefinition study() {
        return study;
    }

    public AggregationScheme scheme() {
        return scheme;
    }

    public AuditLog audit() {
        return audit;
    }

    public int modelSize() {
        return modelSize;
    }

    public void onRound(Consumer<RoundReport> l) {
        this.listener = l;
    }

    public synchronized List<RoundReport> reports() {
        return List.copyOf(reports);
    }

    public synchronized boolean finished() {
        return phase == Phase.DONE;
    }

    /** The released model of the latest round (or the initial model). */
    public synchronized double[] currentModel() throws SQLException {
        return modelOf(round).clone();
    }

    /** The released cohort statistics of a statistics study; null before the release and for training studies. */
    public synchronized StudyStatistics statistics() {
        return statistics;
    }

    /** Feature standardization [N_total, means…, standard deviations…] once released. */
    public synchronized double[] standardization() {
        return standardization == null ? null : standardization.clone();
    }

    /** A snapshot of the study's progress for operators; see {@link CoordinatorStatus} for what it may contain. */
    public synchronized CoordinatorStatus status() {
        long now = System.currentTimeMillis();
        Kind awaited = null;
        int r = 0;
        String step;
        switch (phase) {
            case ENROLMENT -> step = "enrolment: all hospitals connect";
            case KEYGEN -> {
                awaited = Kind.PK_SHARE;
                step = "collective public key: public-key shares";
            }
            case SHAMIR -> {
                awaited = Kind.SHAMIR_SHARES;
                step = "threshold re-sharing: sealed Shamir shares";
            }
            case RELEASES -> {
                r = round;
                if (stage == Stage.DECRYPTING) {
                    awaited = Kind.DECRYPTION_SHARES;
                    step = "decryption shares from " + active.length + " hospitals";
                } else if (round == 0) {
                    awaited = Kind.STATS;
                    step = (study.statisticsOnly() ? "cohort statistics" : "feature statistics")
                            + " (public-key uploads)";
                } else {
                    awaited = Kind.UPDATE;
                    step = (evalOnly ? "closing evaluation" : "model updates")
                            + (keyShareCollection(Kind.UPDATE, attempt) ? " under key shares" : " (public-key uploads)");
                }
            }
            default -> step = "finished";
        }
        List<CoordinatorStatus.Hospital> hs = new ArrayList<>(parties);
        try {
            for (int i = 0; i < parties; i++) {
                String h = study.hospitals().get(i);
                Long seen = lastSeen.get(h);
                boolean decrypting = phase == Phase.RELEASES && stage == Stage.DECRYPTING && contains(active, i);
                hs.add(new CoordinatorStatus.Hospital(h, certificates.containsKey(h), seen == null ? -1 : now - seen,
                        awaited != null && submitted(awaited, r, awaited == Kind.PK_SHARE
                                || awaited == Kind.SHAMIR_SHARES ? 0 : attempt, h), decrypting));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("coordinator database failure: " + e.getMessage(), e);
        }
        boolean timed = phase == Phase.RELEASES;
        return new CoordinatorStatus(study.name(), study.idHex(), phase.name(), round, study.rounds(), step, attempt,
                study.threshold(), hs, timed && roundStarted > 0 ? Math.max(0, now - roundStarted) : 0,
                timed ? Math.max(0, deadline - now) : 0, reports.size());
    }

    /** Waits until the study is finished (or the timeout passes); returns whether it finished. */
    public synchronized boolean awaitFinished(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (phase != Phase.DONE) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 200));
        }
        return true;
    }

    private int cachedModelRound = -1;
    private double[] cachedModel;

    /** The model released for round r (shared: callers must not modify it). */
    private synchronized double[] modelOf(int r) throws SQLException {
        if (r != cachedModelRound) {
            Optional<byte[]> b = store.get("model." + r);
            cachedModel = b.map(x -> readVector(x, modelSize)).orElseGet(() -> model.initial(study.seed()));
            cachedModelRound = r;
        }
        return cachedModel;
    }

    // ------------------------------------------------------------------ refusals and identity

    /** Records a refused connection or message. */
    public void refuse(String who, String reason) {
        LOG.warn("refused {}: {}", who, reason);
        audit.append("refusal", who == null ? "(unauthenticated)" : who, reason);
    }

    /** First contact of an authenticated, enrolled hospital: records its certificate. */
    public void identify(String hospital, X509Certificate cert) {
        lastSeen.put(hospital, System.currentTimeMillis());
        X509Certificate known = certificates.get(hospital);
        if (known != null && known.equals(cert)) {
            return;
        }
        synchronized (this) {
            known = certificates.get(hospital);
            if (known != null && known.equals(cert)) {
                return;
            }
            if (known != null && session != null) {
                refuse(hospital, "presented a different certificate after key generation; re-enrolment needs a new"
                        + " study");
                throw new SecurityException("certificate changed after key generation");
            }
            try {
                store.put("cert." + hospital, PemFiles.toPem(cert).getBytes(StandardCharsets.US_ASCII));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            certificates.put(hospital, cert);
            audit.append("enrolment", hospital, "certificate serial " + cert.getSerialNumber().toString(16)
                    + ", subject " + cert.getSubjectX500Principal().getName() + ", sha256 "
                    + sha256Hex(encoded(cert)));
            notifyAll();
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] b) {
        return AuditLog.sha256Hex(b);
    }

    private void requireStudy(byte[] id) throws WireException {
        if (!Arrays.equals(id, studyId)) {
            throw new WireException("message belongs to another study definition (id " + HexFormat.of().formatHex(id)
                    + ", this study is " + study.idHex() + "): check that every party holds the same study file");
        }
    }

    // ------------------------------------------------------------------ next task (long poll)

    /** The next task for {@code hospital}; waits up to {@code maxWaitMillis} while there is nothing to do. */
    public Task next(String hospital, Wire.NextRequest req, long maxWaitMillis) throws WireException,
            InterruptedException {
        requireStudy(req.studyId());
        long end = System.currentTimeMillis() + maxWaitMillis;
        synchronized (this) {
            while (true) {
                lastSeen.put(hospital, System.currentTimeMillis());
                Task t = compute(hospital);
                long left = end - System.currentTimeMillis();
                if (t.type() != TaskType.WAIT || left <= 0 || closed) {
                    return t;
                }
                wait(Math.min(left, 250)); // woken by every state change (notifyAll); compute() ticks
            }
        }
    }

    private Task task(TaskType type, int r, int a, int[] act, String msg) {
        return new Task(studyId, type, r, a, type == TaskType.WAIT ? 200 : 0, act, msg);
    }

    private Task waitTask(String msg) {
        return task(TaskType.WAIT, round, attempt, new int[0], msg);
    }

    private Task compute(String h) {
        try {
            tickLocked();
            int me = study.partyIndex(h);
            switch (phase) {
                case ENROLMENT:
                    return waitTask("waiting for all " + parties + " hospitals to connect (" + certificates.size()
                            + " so far)");
                case KEYGEN:
                    if (!submitted(Kind.PK_SHARE, 0, 0, h)) {
                        return task(TaskType.SEND_PK_SHARE, 0, 0, new int[0], "collective public key");
                    }
                    return waitTask("waiting for public-key shares");
                case SHAMIR:
                    if (!submitted(Kind.SHAMIR_SHARES, 0, 0, h)) {
                        return task(TaskType.SEND_SHAMIR_SHARES, 0, 0, new int[0], "threshold re-sharing");
                    }
                    if (submissions(Kind.SHAMIR_SHARES.ordinal(), 0, 0).size() == parties
                            && !submitted(Kind.SHAMIR_READY, 0, 0, h)) {
                        return task(TaskType.RECEIVE_SHAMIR, 0, 0, new int[0], "collect threshold shares");
                    }
                    return waitTask("waiting for threshold shares");
                case RELEASES:
                    if (stage == Stage.COLLECTING) {
                        Kind k = round == 0 ? Kind.STATS : Kind.UPDATE;
                        if (!submitted(k, round, attempt, h)) {
                            TaskType tt = round == 0 ? TaskType.SEND_STATS
                                    : evalOnly ? TaskType.EVALUATE : TaskType.TRAIN;
                            return task(tt, round, attempt, new int[0], tt + " round " + round
                                    + (keyShareCollection(k, attempt) ? " (under key shares)" : ""));
                        }
                        return waitTask("round " + round + ": waiting for other hospitals");
                    }
                    if (contains(active, me) && !submitted(Kind.DECRYPTION_SHARES, round, attempt, h)) {
                        if (decrypting().seeded()) { // the hospitals expand the masks from the round's seeds
                            return new Task(studyId, TaskType.DECRYPT_SEEDED, round, attempt, 0, active.clone(),
                                    "decrypt round " + round + " (masks from the round's seeds)");
                        }
                        return new Task(studyId, TaskType.DECRYPT, round, attempt, 0, active.clone(),
                                "decrypt round " + round, attachedMasks());
                    }
                    return waitTask("round " + round + ": waiting for decryption shares");
                case DONE:
                default:
                    return task(TaskType.FINISHED, round, 0, new int[0], "study finished");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("coordinator database failure: " + e.getMessage(), e);
        }
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    private boolean submitted(Kind k, int r, int a, String h) throws SQLException {
        return submission(k.ordinal(), r, a, h).isPresent();
    }

    /**
     * Whether a collection of {@code kind} in attempt a takes uploads under the hospitals' key shares (c_0 alone, a
     * common seeded mask; see AggregationScheme): encrypted training and evaluation uploads in attempt 0. Such a
     * collection is decrypted only when every enrolled hospital uploaded; otherwise attempt 1 collects public-key
     * uploads. Statistics (round 0) always travel as public-key uploads.
     */
    private boolean keyShareCollection(Kind kind, int a) {
        return study.encrypted() && kind == Kind.UPDATE && a == 0;
    }

    /**
     * The collection attempt a round starts with: under key shares (0) when every enrolled hospital was seen recently,
     * else public-key uploads (1) right away, since a key-share collection needs them all.
     */
    private int firstCollectionAttempt() {
        if (!study.encrypted()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        for (String h : study.hospitals()) {
            Long seen = lastSeen.get(h);
            if (seen == null || now - seen >= aliveMillis) {
                return 1;
            }
        }
        return 0;
    }

    /**
     * Whether a public-key collection that replaced a key-share one (attempt 1) has the uploads of every hospital that
     * was on time under key shares: the round already waited its timeout for the missing ones, so it closes then.
     */
    private boolean resubmittedAfterKeyShares(Kind k, List<Store.Submission> subs) throws SQLException {
        if (!keyShareCollection(k, 0) || attempt != 1) {
            return false;
        }
        List<Store.Submission> onTime = submissions(k.ordinal(), round, 0);
        if (onTime.isEmpty()) {
            return false; // the round started with public-key uploads: its own timeout applies
        }
        for (Store.Submission s : onTime) {
            if (subs.stream().noneMatch(x -> x.hospital().equals(s.hospital()))) {
                return false;
            }
        }
        return true;
    }

    /** The seed of the common mask of chunk c of round r's key-share collection (attempt a). */
    private byte[] uploadMaskSeed(int r, int a, int c) {
        return AggregationScheme.uploadMaskSeed(session.id(), r, a, c);
    }

    private long timeoutMillis() {
        double s = stage == Stage.DECRYPTING ? study.decryptionTimeoutSeconds() : study.roundTimeoutSeconds();
        return (long) (s * 1000);
    }

    /** Periodic check of deadlines (called by the server's ticker and while polling). */
    public synchronized void tick() {
        tickLocked();
    }

    private void tickLocked() {
        if (closed) {
            return;
        }
        try {
            if (phase == Phase.ENROLMENT && certificates.size() == parties) {
                startSession();
            }
            if (phase != Phase.RELEASES) {
                return;
            }
            long now = System.currentTimeMillis();
            if (stage == Stage.COLLECTING) {
                Kind k = round == 0 ? Kind.STATS : Kind.UPDATE;
                List<Store.Submission> subs = submissions(k.ordinal(), round, attempt);
                int needed = round == 0 ? parties : study.requiredPerRound();
                if (subs.size() == parties) {
                    closeCollection(subs);
                } else if (keyShareCollection(k, attempt) && now > deadline) {
                    // key-share uploads decrypt only all together: collect public-key uploads of whoever is there
                    attempt = 1;
                    deadline = now + timeoutMillis();
                    saveState(Map.of());
                    audit.append("round-retry", "coordinator", "round " + round + ": " + subs.size() + " of all "
                            + parties + " hospitals uploaded under their key shares before the timeout; collecting"
                            + " public-key uploads instead (the key-share uploads are never decrypted)");
                } else if (subs.size() >= needed && (now > deadline || resubmittedAfterKeyShares(k, subs))) {
                    closeCollection(subs);
                } else if (now > deadline) {
                    audit.append("round-retry", "coordinator", "round " + round + ": " + subs.size() + " of the "
                            + needed + " required hospitals uploaded before the timeout; waiting another "
                            + timeoutMillis() / 1000.0 + " s");
                    deadline = now + timeoutMillis();
                }
            } else {
                List<Store.Submission> subs = submissions(Kind.DECRYPTION_SHARES.ordinal(), round, attempt);
                if (active.length > 0 && subs.size() == active.length) {
                    finishDecryption(subs);
                } else if (active.length == 0 || now > deadline) {
                    reattemptDecryption(subs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("coordinator database failure: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ setup

    private void startSession() throws SQLException {
        List<Payloads.Party> ps = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            String h = study.hospitals().get(i);
            ps.add(new Payloads.Party(i, h, i + 1L, PemFiles.toPem(certificates.get(h))));
        }
        byte[] sid = new byte[Session.ID_BYTES];
        new java.security.SecureRandom().nextBytes(sid);
        Payloads.SessionInfo info = new Payloads.SessionInfo(sid, Prng.freshSeed(), study.threshold(),
                scheme.parameters().fingerprint(), ps);
        session = sessionFrom(info);
        phase = study.encrypted() ? Phase.KEYGEN : Phase.RELEASES;
        round = 0;
        stage = Stage.COLLECTING;
        deadline = System.currentTimeMillis() + timeoutMillis();
        saveState(Map.of("session", info.toBytes()));
        audit.append("keygen-session", "coordinator", "session " + HexFormat.of().formatHex(sid) + ", " + parties
                + " parties, threshold " + study.threshold() + ", CRS seed published, parameters "
                + HexFormat.of().formatHex(scheme.parameters().fingerprint()));
    }

    private Session sessionFrom(Payloads.SessionInfo info) {
        List<PartyId> ids = new ArrayList<>();
        for (Payloads.Party p : info.parties()) {
            ids.add(new PartyId(p.index(), p.point()));
        }
        return Session.of(scheme.parameters(), info.sessionId(), info.crsSeed(), ids, info.threshold());
    }

    private List<PartyId> partyIds(int[] idx) {
        List<PartyId> out = new ArrayList<>();
        for (int i : idx) {
            out.add(session.party(i));
        }
        return out;
    }

    // ------------------------------------------------------------------ fetch

    /** The chunks of a downloadable object, produced lazily. */
    public interface Source {
        int count();

        byte[] chunk(int i) throws Exception;
    }

    public Source fetch(String hospital, Wire.FetchRequest req) throws WireException, SQLException {
        requireStudy(req.studyId());
        lastSeen.put(hospital, System.currentTimeMillis());
        synchronized (this) {
            switch (req.kind()) {
                case SESSION -> {
                    byte[] s = store.get("session").orElseThrow(() -> new WireException("no session yet"));
                    return single(s);
                }
                case PUBLIC_KEY -> {
                    byte[] pk = store.get("publicKey").orElseThrow(() -> new WireException("no public key yet"));
                    return single(pk);
                }
                case STANDARDIZATION -> {
                    byte[] s = store.get("standardization").orElseThrow(
                            () -> new WireException("the standardization is not released yet"));
                    return single(s);
                }
                case STATISTICS -> {
                    byte[] st = store.get("statistics").orElseThrow(
                            () -> new WireException("no cohort statistics are released (yet)"));
                    return single(st);
                }
                case MODEL -> {
                    if (req.round() < 1 || req.round() > round) {
                        throw new WireException("no model for round " + req.round() + " (current round " + round + ")");
                    }
                    double[] m = modelOf(req.round());
                    int per = 1 << 16;
                    int count = Math.max(1, (m.length + per - 1) / per);
                    return new Source() {
                        public int count() {
                            return count;
                        }

                        public byte[] chunk(int i) {
                            return Payloads.doubles(Arrays.copyOfRange(m, i * per, Math.min(m.length, (i + 1) * per)));
                        }
                    };
                }
                case AGGREGATE -> {
                    int r = req.round();
                    int a = req.attempt();
                    if (r != round || stage != Stage.DECRYPTING || a != attempt) {
                        throw new WireException("no aggregate for round " + r + " attempt " + a + " is being"
                                + " decrypted (current: round " + round + ", attempt " + attempt + ")");
                    }
                    // the masks c_1 only: all a decryption share depends on
                    Decrypting d = decrypting();
                    return new Source() {
                        public int count() {
                            return d.aggregate().length;
                        }

                        public byte[] chunk(int i) {
                            return d.masks() != null ? d.masks().get(i) : scheme.maskToBytes(d.aggregate()[i]);
                        }
                    };
                }
                case SHAMIR_INBOX -> {
                    if (submissions(Kind.SHAMIR_SHARES.ordinal(), 0, 0).size() != parties) {
                        throw new WireException("threshold shares are not complete yet");
                    }
                    int me = study.partyIndex(hospital);
                    return new Source() {
                        public int count() {
                            return parties;
                        }

                        public byte[] chunk(int i) throws SQLException {
                            return store.chunk(Kind.SHAMIR_SHARES.ordinal(), 0, 0, study.hospitals().get(i), me);
                        }
                    };
                }
                default -> throw new WireException(req.kind() + " cannot be fetched");
            }
        }
    }

    private static Source single(byte[] b) {
        return new Source() {
            public int count() {
                return 1;
            }

            public byte[] chunk(int i) {
                return b;
            }
        };
    }

    private int aggregateChunks(int r) {
        return r == 0 ? statsChunks : evalOnly ? evalChunks : trainChunks;
    }

    // ------------------------------------------------------------------ submissions

    /**
     * An upload in progress: chunks are validated and stored as they arrive (appended to the object's temporary
     * file), and the object is committed with the submission row when the upload is complete; {@link #abort} discards
     * an upload that fails or is cancelled.
     */
    public final class Upload {
        private final String hospital;
        private final Wire.TransferHeader header;
        private final Wire.Digest digest = new Wire.Digest();
        private final boolean duplicateOf;
        private final String existingDigest;
        private final long maxBytes;
        private final int[] decryptors; // the active set a decryption-share upload was begun for
        private final List<Share> shares = new ArrayList<>(); // of a decryption-share upload, summed when complete
        private Store.ChunkWriter writer;

        private Upload(String hospital, Wire.TransferHeader header, String existingDigest, long maxBytes,
                int[] decryptors) {
            this.hospital = hospital;
            this.header = header;
            this.duplicateOf = existingDigest != null;
            this.existingDigest = existingDigest;
            this.maxBytes = maxBytes;
            this.decryptors = decryptors;
        }

        public void chunk(Wire.Chunk c) throws WireException {
            requireStudy(c.studyId());
            if (c.index() != digest.count()) {
                throw new WireException("chunk " + c.index() + " arrived out of order (expected " + digest.count() + ")");
            }
            if (digest.count() >= header.chunkCount()) {
                throw new WireException("more chunks than the " + header.chunkCount() + " announced");
            }
            if (digest.total() + c.data().length > maxBytes) {
                throw new WireException("upload exceeds the " + maxBytes + " bytes a " + header.kind() + " may have");
            }
            digest.add(c.data());
            if (duplicateOf) {
                return;
            }
            Object parsed = validateChunk(hospital, header, c.index(), c.data());
            if (parsed instanceof Share share) {
                shares.add(share); // summed in memory when the upload completes, never stored (see completeSubmission)
                return;
            }
            try {
                if (writer == null) {
                    writer = store.writer(header.kind().ordinal(), header.round(), header.attempt(), hospital);
                }
                writer.append(c.data());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (parsed != null) {
                accumulate(hospital, header, c.index(), parsed);
            }
        }

        public Wire.Ack finish() throws WireException {
            if (digest.count() != header.chunkCount()) {
                throw new WireException("upload ended after " + digest.count() + " of " + header.chunkCount()
                        + " chunks");
            }
            byte[] d = digest.finish();
            if (!Arrays.equals(d, header.digest()) || digest.total() != header.totalBytes()) {
                throw new WireException("upload digest or length does not match its header");
            }
            String hex = HexFormat.of().formatHex(d);
            if (duplicateOf) {
                if (!hex.equals(existingDigest)) {
                    throw new WireException("conflicting resubmission of " + header.kind() + " round " + header.round()
                            + " (a different upload with hash " + existingDigest + " was accepted before)");
                }
                audit.append("duplicate", hospital, header.kind() + " round " + header.round() + " attempt "
                        + header.attempt() + " re-sent (hash " + hex + "): ignored, already counted once");
                return new Wire.Ack(studyId, true, "already received");
            }
            return complete(hospital, header, hex, digest.total(), writer, shares, decryptors);
        }

        /** Discards the chunks of an upload that failed or was cancelled (nothing is counted). */
        public void abort() {
            if (writer != null) {
                writer.close();
            }
        }
    }

    public Upload begin(String hospital, Wire.TransferHeader h) throws WireException, SQLException {
        requireStudy(h.studyId());
        lastSeen.put(hospital, System.currentTimeMillis());
        int largest = Math.max(parties, Math.max(statsChunks, Math.max(evalChunks, trainChunks)));
        if (h.chunkCount() > largest || h.totalBytes() > (long) largest * Wire.MAX_CHUNK_BYTES) {
            throw new WireException("an upload of " + h.chunkCount() + " chunks and " + h.totalBytes()
                    + " bytes exceeds the largest message of this study (" + largest + " chunks)");
        }
        synchronized (this) {
            Optional<Store.Submission> prior = submission(h.kind().ordinal(), h.round(), h.attempt(), hospital);
            if (prior.isPresent()) {
                return new Upload(hospital, h, prior.get().digest(), Wire.MAX_TRANSFER_BYTES, null);
            }
            int expected = expectedChunks(hospital, h);
            if (h.chunkCount() != expected) {
                throw new WireException(h.kind() + " round " + h.round() + " must have " + expected + " chunks, the"
                        + " header announces " + h.chunkCount());
            }
            long max = (long) expected * Wire.MAX_CHUNK_BYTES;
            if (h.totalBytes() > max) {
                throw new WireException("upload of " + h.totalBytes() + " bytes exceeds the limit of " + max);
            }
            // a previous, interrupted attempt may have left chunks without a submission row (there is no row: the
            // cache above is the database's view); decryption shares are never stored
            if (h.kind() != Kind.DECRYPTION_SHARES) {
                store.discardChunks(h.kind().ordinal(), h.round(), h.attempt(), hospital);
            }
            return new Upload(hospital, h, null, max, h.kind() == Kind.DECRYPTION_SHARES ? active.clone() : null);
        }
    }

    private int expectedChunks(String hospital, Wire.TransferHeader h) throws WireException {
        String when = "in phase " + phase + (phase == Phase.RELEASES ? " round " + round + " (" + stage + ")" : "");
        switch (h.kind()) {
            case PK_SHARE -> {
                requirePhase(Phase.KEYGEN, h, when);
                return 1;
            }
            case SHAMIR_SHARES -> {
                requirePhase(Phase.SHAMIR, h, when);
                return parties;
            }
            case SHAMIR_READY -> {
                requirePhase(Phase.SHAMIR, h, when);
                return 0;
            }
            case STATS, UPDATE -> {
                if (phase != Phase.RELEASES || stage != Stage.COLLECTING || h.round() != round || h.attempt() != attempt
                        || (h.kind() == Kind.STATS) != (round == 0)) {
                    throw new WireException("wrong round: a " + h.kind() + " upload for round " + h.round()
                            + " is not expected " + when);
                }
                return aggregateChunks(round);
            }
            case DECRYPTION_SHARES -> {
                if (phase != Phase.RELEASES || stage != Stage.DECRYPTING || h.round() != round
                        || h.attempt() != attempt) {
                    throw new WireException("wrong round: decryption shares for round " + h.round() + " attempt "
                            + h.attempt() + " are not expected " + when + " attempt " + attempt);
                }
                if (!contains(active, study.partyIndex(hospital))) {
                    throw new WireException(hospital + " is not in the decryption set of round " + round);
                }
                return aggregateChunks(round);
            }
            default -> throw new WireException(h.kind() + " cannot be submitted");
        }
    }

    private void requirePhase(Phase p, Wire.TransferHeader h, String when) throws WireException {
        if (phase != p || h.round() != 0 || h.attempt() != 0) {
            throw new WireException("a " + h.kind() + " upload is not expected " + when);
        }
    }

    /** Validates one chunk; returns the parsed chunk of an upload that is summed (statistics, updates, shares). */
    private Object validateChunk(String hospital, Wire.TransferHeader h, int idx, byte[] data) throws WireException {
        int me = study.partyIndex(hospital);
        switch (h.kind()) {
            case PK_SHARE -> {
                Share s = readShare(data, ProtocolType.PUBLIC_KEY_GEN);
                requireOwn(s, me);
            }
            case SHAMIR_SHARES -> {
                if (data.length < 28 || data.length > Wire.MAX_CHUNK_BYTES) {
                    throw new WireException("sealed share of " + data.length + " bytes");
                }
            }
            case STATS -> {
                return scheme.readChunk(data, scheme.integerScale());
            }
            case UPDATE -> {
                Object chunk = scheme.readChunk(data, scaleOf(round, idx));
                if (study.encrypted() && scheme.isKeyShareChunk(chunk) != keyShareCollection(Kind.UPDATE, h.attempt())) {
                    throw new WireException(keyShareCollection(Kind.UPDATE, h.attempt())
                            ? "round " + round + " attempt " + h.attempt() + " collects uploads under key shares (c_0"
                                    + " alone), not whole ciphertexts"
                            : "round " + round + " attempt " + h.attempt() + " collects public-key ciphertexts, not"
                                    + " key-share uploads");
                }
                return chunk;
            }
            case DECRYPTION_SHARES -> {
                Share s = scheme.readShare(data, session);
                requireOwn(s, me);
                if (s.level() != 0) {
                    throw new WireException("decryption share at level " + s.level() + ", expected 0");
                }
                return s;
            }
            default -> throw new WireException("unexpected " + h.kind());
        }
        return null;
    }

    private Share readShare(byte[] data, ProtocolType type) throws WireException {
        try {
            return MultipartySerialization.shareFromBytes(data, session, type, 1);
        } catch (MalformedDataException e) {
            throw new WireException("malformed " + type + " share: " + e.getMessage(), e);
        }
    }

    private static void requireOwn(Share s, int me) throws WireException {
        if (!s.contributors().equals(List.of(me))) {
            throw new WireException("a share must contain exactly the sender's own contribution (party " + me
                    + "), found parties " + s.contributors());
        }
    }

    private synchronized Wire.Ack complete(String hospital, Wire.TransferHeader h, String hex, long total,
            Store.ChunkWriter chunks, List<Share> shares, int[] decryptors) throws WireException {
        try {
            // the state may have moved on while the chunks were streaming
            expectedChunks(hospital, h);
            if (submission(h.kind().ordinal(), h.round(), h.attempt(), hospital).isPresent()) {
                if (chunks != null) {
                    chunks.close(); // a concurrent copy was counted: keep its chunks
                }
                return new Wire.Ack(studyId, true, "already received");
            }
            if (chunks != null) {
                chunks.commit(); // the chunks are in place before the row that counts them
            }
            if (h.kind() == Kind.DECRYPTION_SHARES) {
                addShares(hospital, h, shares, decryptors); // refuses shares that do not combine, counting nothing
            }
            completeSubmission(h.kind().ordinal(), h.round(), h.attempt(),
                    new Store.Submission(hospital, hex, h.chunkCount(), total));
            LOG.debug("+{} ms: {} round {} from {} complete{}", System.currentTimeMillis() - roundStarted, h.kind(),
                    h.round(), hospital, cpuSinceRoundStart());
            audit.append("upload", hospital, h.kind() + " round " + h.round() + " attempt " + h.attempt() + ", "
                    + h.chunkCount() + " chunks, " + total + " bytes, sha256 " + hex);
            afterSubmission(h.kind());
            if (h.kind() == Kind.PK_SHARE || h.kind() == Kind.SHAMIR_SHARES || h.kind() == Kind.SHAMIR_READY) {
                // key generation: the threshold shares of all hospitals make RECEIVE_SHAMIR due without a state
                // change; every other change of a task (round closed, decryption requested, released) is a state
                // change, and saveState wakes the long polls then
                notifyAll();
            }
            return new Wire.Ack(studyId, false, "stored");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void afterSubmission(Kind k) throws SQLException, WireException {
        switch (k) {
            case PK_SHARE -> {
                List<Store.Submission> subs = submissions(Kind.PK_SHARE.ordinal(), 0, 0);
                if (subs.size() == parties) {
                    PublicKeyGen gen = new PublicKeyGen(session);
                    List<Share> shares = new ArrayList<>();
                    for (Store.Submission s : subs) {
                        shares.add(readShare(store.chunk(Kind.PK_SHARE.ordinal(), 0, 0, s.hospital(), 0),
                                ProtocolType.PUBLIC_KEY_GEN));
                    }
                    publicKey = gen.finish(gen.aggregateShares(shares));
                    byte[] pk = Serialization.toBytes(publicKey);
                    phase = Phase.SHAMIR;
                    saveState(Map.of("publicKey", pk));
                    audit.append("keygen-public-key", "coordinator", "collective public key from " + parties
                            + " shares, sha256 " + sha256Hex(pk));
                }
            }
            case SHAMIR_SHARES -> {
                if (submissions(Kind.SHAMIR_SHARES.ordinal(), 0, 0).size() == parties) {
                    audit.append("keygen-threshold-relay", "coordinator", "sealed threshold shares of all " + parties
                            + " hospitals available to their recipients");
                }
            }
            case SHAMIR_READY -> {
                if (submissions(Kind.SHAMIR_READY.ordinal(), 0, 0).size() == parties) {
                    phase = Phase.RELEASES;
                    round = 0;
                    stage = Stage.COLLECTING;
                    deadline = System.currentTimeMillis() + timeoutMillis();
                    saveState(Map.of());
                    audit.append("keygen-complete", "coordinator", study.threshold() + "-out-of-" + parties
                            + " threshold key ready at every hospital");
                }
            }
            default -> tickLocked();
        }
    }

    // ------------------------------------------------------------------ aggregation and decryption

    /**
     * A sum in progress. For a collection: its chunks, added as they arrive (each chunk is parsed once, for its
     * validation, and never read back), only an optimization: {@link #closeCollection} uses it when it holds exactly
     * the completed uploads (every chunk of every participant, nothing else) and otherwise sums the stored chunks
     * again, which covers uploads that failed half-way, re-sent uploads and a resumed coordinator. For a decryption:
     * the only copy of the decryption shares, added per complete upload ({@link #addShares}).
     */
    private static final class RunningSum {
        final Kind kind;
        final int round;
        final int attempt;
        final Object[] sums;
        final Map<String, Integer> added = new java.util.HashMap<>();
        final KeySwitch shares; // decryption shares: the run whose shares are summed
        boolean unusable;

        RunningSum(Kind kind, int round, int attempt, int chunks, KeySwitch shares) {
            this.kind = kind;
            this.round = round;
            this.attempt = attempt;
            this.sums = new Object[chunks];
            this.shares = shares;
        }
    }

    private final Object runningLock = new Object();
    private RunningSum running; // guarded by runningLock
    private RunningSum runningShares; // guarded by runningLock

    /**
     * Adds the validated decryption shares of one complete upload (one share per aggregate chunk) to the sum of the
     * decryption in progress (round, attempt), all or nothing: shares that do not combine with the others (another
     * session, level or protocol) are refused and leave the sum as it was. The sum is the only copy of the shares
     * (they are not stored), so it always holds exactly the completed share uploads of this coordinator's lifetime.
     */
    private void addShares(String hospital, Wire.TransferHeader h, List<Share> shares, int[] decryptors)
            throws WireException {
        synchronized (runningLock) {
            RunningSum rs = runningShares;
            if (rs == null || rs.round != h.round() || rs.attempt != h.attempt()) {
                rs = new RunningSum(h.kind(), h.round(), h.attempt(), h.chunkCount(),
                        new KeySwitch(session, partyIds(decryptors), scheme.smudging()));
            }
            if (shares.size() != rs.sums.length || rs.added.containsKey(hospital)) {
                throw new WireException("decryption shares of " + hospital + " for round " + h.round() + " attempt "
                        + h.attempt() + ": " + shares.size() + " shares for " + rs.sums.length + " ciphertexts"
                        + (rs.added.containsKey(hospital) ? ", already counted" : ""));
            }
            Object[] next = new Object[rs.sums.length];
            try {
                for (int c = 0; c < next.length; c++) {
                    next[c] = rs.sums[c] == null ? rs.shares.aggregateShares(List.of(shares.get(c)))
                            : rs.shares.aggregateShares((Share) rs.sums[c], shares.get(c));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new WireException("decryption shares of " + hospital + " do not combine with the round's: "
                        + e.getMessage(), e);
            }
            System.arraycopy(next, 0, rs.sums, 0, next.length);
            rs.added.put(hospital, next.length);
            runningShares = rs;
        }
    }

    /**
     * The summed shares if they hold exactly the given completed share uploads; null otherwise (submissions recorded
     * before a restart, or by an earlier version that stored them, have no sum here).
     */
    private Share[] takeRunningShares(List<Store.Submission> subs, int count) {
        synchronized (runningLock) {
            RunningSum rs = runningShares;
            runningShares = null;
            if (rs == null || rs.round != round || rs.attempt != attempt || rs.sums.length != count
                    || rs.added.size() != subs.size()) {
                return null;
            }
            for (Store.Submission s : subs) {
                Integer n = rs.added.get(s.hospital());
                if (n == null || n != count || s.chunks() != count) {
                    return null;
                }
            }
            Share[] out = new Share[count];
            for (int c = 0; c < count; c++) {
                out[c] = (Share) rs.sums[c];
            }
            return out;
        }
    }

    private void accumulate(String hospital, Wire.TransferHeader h, int idx, Object chunk) {
        synchronized (runningLock) {
            RunningSum rs = running;
            if (rs == null || rs.kind != h.kind() || rs.round != h.round() || rs.attempt != h.attempt()) {
                if (rs != null && (rs.round > h.round() || (rs.round == h.round() && rs.attempt > h.attempt()))) {
                    return; // a late upload of a collection that is already closed
                }
                rs = new RunningSum(h.kind(), h.round(), h.attempt(), h.chunkCount(), null);
                running = rs;
            }
            int n = rs.added.getOrDefault(hospital, 0);
            if (rs.unusable || n != idx || rs.sums.length != h.chunkCount()) {
                rs.unusable = true; // a re-sent or concurrent upload: the stored chunks will be summed instead
                return;
            }
            try {
                rs.sums[idx] = scheme.add(rs.sums[idx], chunk);
            } catch (ArithmeticException e) {
                rs.unusable = true; // overflow of a plain sum: left to the stored-chunk path, which reports it
                return;
            }
            rs.added.put(hospital, n + 1);
        }
    }

    /** The running sum if it holds exactly every chunk of the given completed uploads; null otherwise. */
    private Object[] takeRunningSum(Kind k, List<Store.Submission> subs, int count) {
        synchronized (runningLock) {
            RunningSum rs = running;
            running = null;
            if (rs == null || rs.unusable || rs.kind != k || rs.round != round || rs.attempt != attempt
                    || rs.sums.length != count
                    || rs.added.size() != subs.size()) {
                return null;
            }
            for (Store.Submission s : subs) {
                Integer n = rs.added.get(s.hospital());
                if (n == null || n != count || s.chunks() != count) {
                    return null;
                }
            }
            return rs.sums;
        }
    }

    private double scaleOf(int r, int chunk) {
        return r == 0 || evalOnly ? scheme.integerScale() : scheme.updateScale();
    }

    private void closeCollection(List<Store.Submission> subs) throws SQLException {
        LOG.debug("+{} ms: round {} closing collection{}", System.currentTimeMillis() - roundStarted, round,
                cpuSinceRoundStart());
        Kind k = round == 0 ? Kind.STATS : Kind.UPDATE;
        int count = aggregateChunks(round);
        int[] participants = subs.stream().mapToInt(s -> study.partyIndex(s.hospital())).sorted().toArray();
        Object[] sums = takeRunningSum(k, subs, count);
        boolean incremental = sums != null;
        if (sums == null) {
            sums = sumStoredUploads(k, round, attempt, participants, count);
        }
        // the aggregate of attempt 0 is not stored: it is the sum of the stored uploads, summed again after a restart
        LOG.debug("+{} ms: round {} aggregate summed ({}){}", System.currentTimeMillis() - roundStarted, round,
                incremental ? "on arrival" : "from the stored chunks", cpuSinceRoundStart());
        audit.append("aggregate", "coordinator", "round " + round + ": summed " + count + " chunks of "
                + subs.size() + " hospitals " + names(participants));
        Map<String, byte[]> extra = Map.of("participants." + round, bytes(participants), "collected." + round,
                bytes(attempt));
        roundParticipants = new RoundParticipants(round, participants);
        if (!study.encrypted()) {
            store.putAll(extra);
            double[][] values = new double[count][];
            for (int c = 0; c < count; c++) {
                values[c] = scheme.decode((long[]) sums[c], scaleOf(round, c));
            }
            release(values, participants, new int[0]);
            return;
        }
        decrypting = firstAttempt(round, attempt, sums);
        stage = Stage.DECRYPTING;
        attempt = 0;
        active = chooseDecryptors(participants, new int[0]);
        deadline = System.currentTimeMillis() + timeoutMillis();
        if (active.length < study.threshold()) {
            active = new int[0]; // not enough live hospitals: chosen again on the next tick
        }
        saveState(extra);
        LOG.debug("+{} ms: round {} aggregated, decrypting{}", System.currentTimeMillis() - roundStarted, round,
                cpuSinceRoundStart());
        if (active.length > 0) {
            audit.append("decryption-request", "coordinator", "round " + round + " attempt 0: decryption shares"
                    + " requested from " + names(active));
        }
    }

    /** The database key of the i-th round report (0-based, in release order). */
    private static String reportKey(int i) {
        return "report." + i;
    }

    /** The hospitals whose uploads a round's aggregate sums (kept from its closing; stored for a restart). */
    private record RoundParticipants(int round, int[] hospitals) { }

    private RoundParticipants roundParticipants; // guarded by this

    private int[] participantsOf(int r) throws SQLException {
        RoundParticipants p = roundParticipants;
        if (p == null || p.round() != r) {
            p = new RoundParticipants(r, ints(store.get("participants." + r).orElse(new byte[0])));
            roundParticipants = p;
        }
        return p.hospitals();
    }

    private String names(int[] idx) {
        List<String> n = new ArrayList<>();
        for (int i : idx) {
            n.add(study.hospitals().get(i));
        }
        return n.toString();
    }

    /** t hospitals seen recently, preferring the round's participants and avoiding {@code exclude}. */
    private int[] chooseDecryptors(int[] participants, int[] exclude) {
        long now = System.currentTimeMillis();
        List<Integer> candidates = new ArrayList<>();
        for (int p : participants) {
            candidates.add(p);
        }
        for (int i = 0; i < parties; i++) {
            if (!candidates.contains(i)) {
                candidates.add(i);
            }
        }
        List<Integer> chosen = new ArrayList<>();
        for (int c : candidates) {
            if (contains(exclude, c)) {
                continue;
            }
            Long seen = lastSeen.get(study.hospitals().get(c));
            if (seen != null && now - seen < aliveMillis && chosen.size() < study.threshold()) {
                chosen.add(c);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private void reattemptDecryption(List<Store.Submission> subs) throws SQLException {
        int[] responders = subs.stream().mapToInt(s -> study.partyIndex(s.hospital())).toArray();
        int[] missing = Arrays.stream(active).filter(i -> !contains(responders, i)).toArray();
        int[] participants = participantsOf(round);
        int[] next = chooseDecryptors(participants, missing);
        if (next.length < study.threshold()) {
            next = chooseDecryptors(participants, new int[0]);
        }
        if (next.length < study.threshold()) {
            deadline = System.currentTimeMillis() + timeoutMillis();
            audit.append("decryption-retry", "coordinator", "round " + round + ": fewer than t = "
                    + study.threshold() + " hospitals reachable; waiting");
            return;
        }
        int from = attempt;
        if (active.length > 0) {
            // the hospitals that answered cannot answer again for the same ciphertext (that would leak their key
            // share): re-randomize the aggregate with a fresh encryption of zero, so it is a new ciphertext
            Encryptor enc = Encryptor.withPublicKey(publicKey);
            Evaluator ev = new Evaluator(scheme.parameters());
            Ciphertext[] old = decrypting().aggregate();
            Ciphertext[] fresh = new Ciphertext[old.length];
            for (int c = 0; c < old.length; c++) {
                fresh[c] = ev.add(old[c], enc.encryptZero(0, old[c].scale(), old[c].slots()));
            }
            store.putChunks(Kind.AGGREGATE.ordinal(), round, from + 1, AGG, fresh.length,
                    c -> Serialization.toBytes(fresh[c]));
            decrypting = prepareDecryption(round, from + 1, fresh, null);
            attempt = from + 1;
        }
        active = next;
        deadline = System.currentTimeMillis() + timeoutMillis();
        saveState(Map.of());
        audit.append("decryption-request", "coordinator", "round " + round + " attempt " + attempt
                + ": decryption shares requested from " + names(active) + (missing.length > 0
                        ? " (no answer in time from " + names(missing) + ")" : ""));
    }

    /**
     * The aggregate of the decryption in progress (round, attempt), kept in memory from its aggregation (or its
     * re-randomization) so that its masks and the combination of the shares need not read it back; after a restart
     * it is read from the store once. {@code masks} are the serialized masks c_1 when their total is at most
     * {@link Wire#MAX_ATTACHMENT_BYTES} (attached to the DECRYPT tasks), null otherwise (then serialized per download).
     * {@code c0Coefficients} are the aggregate's c_0 parts in coefficient form, as the sum of the uploads holds them
     * (the shares are combined in that form); null after a re-randomization or a restart (transformed back then).
     */
    private record Decrypting(int round, int attempt, Ciphertext[] aggregate, List<byte[]> masks,
            RnsPoly[] c0Coefficients, boolean seeded) { }

    private Decrypting decrypting; // guarded by this
    private volatile int attachmentLimit = Wire.MAX_ATTACHMENT_BYTES;

    /**
     * The largest total of aggregate masks attached to a DECRYPT task: {@link Wire#MAX_ATTACHMENT_BYTES} by default
     * (and at most); larger aggregates, or all with 0, are downloaded by the decrypting hospitals instead.
     */
    public void attachMasksUpTo(int bytes) {
        if (bytes < 0 || bytes > Wire.MAX_ATTACHMENT_BYTES) {
            throw new IllegalArgumentException("attachment limit must be in [0, " + Wire.MAX_ATTACHMENT_BYTES
                    + "], got " + bytes);
        }
        attachmentLimit = bytes;
    }

    /** {@code c0Coefficients}: the aggregate's c_0 parts in coefficient form when at hand (null: transformed back). */
    private Decrypting prepareDecryption(int r, int a, Ciphertext[] aggregate, RnsPoly[] c0Coefficients) {
        return prepareDecryption(r, a, aggregate, c0Coefficients, false);
    }

    /**
     * {@code seeded}: the aggregate sums uploads under key shares (decryption attempt 0), whose masks the decrypting
     * hospitals expand from the round's seeds; nothing is serialized for them.
     */
    private Decrypting prepareDecryption(int r, int a, Ciphertext[] aggregate, RnsPoly[] c0Coefficients,
            boolean seeded) {
        if (seeded) {
            return new Decrypting(r, a, aggregate, null, c0Coefficients, true);
        }
        long maskBytes = 0;
        List<byte[]> masks = new ArrayList<>();
        for (Ciphertext ct : aggregate) {
            byte[] m = scheme.maskToBytes(ct);
            maskBytes += m.length;
            if (maskBytes > attachmentLimit) {
                masks = null;
                break;
            }
            masks.add(m);
        }
        return new Decrypting(r, a, aggregate, masks, c0Coefficients, false);
    }

    /** The aggregate being decrypted (this round and attempt); read from the store after a restart. */
    private Decrypting decrypting() {
        Decrypting d = decrypting;
        if (d == null || d.round() != round || d.attempt() != attempt) {
            int count = aggregateChunks(round);
            try {
                if (attempt == 0) {
                    Kind k = round == 0 ? Kind.STATS : Kind.UPDATE;
                    int collected = integer("collected." + round, 0);
                    d = firstAttempt(round, collected, sumStoredUploads(k, round, collected, participantsOf(round),
                            count));
                } else {
                    Ciphertext[] aggregate = new Ciphertext[count];
                    for (int c = 0; c < count; c++) {
                        aggregate[c] = readCiphertext(store.chunk(Kind.AGGREGATE.ordinal(), round, attempt, AGG, c));
                    }
                    d = prepareDecryption(round, attempt, aggregate, null);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("coordinator database failure: " + e.getMessage(), e);
            }
            decrypting = d;
        }
        return d;
    }

    /**
     * The decryption of attempt 0 of round r: the aggregate is the sum of the round's uploads ({@code sums}, summed
     * on arrival or from the stored uploads), so it is never stored itself (re-randomized attempts are).
     */
    private Decrypting firstAttempt(int r, int collected, Object[] sums) {
        Ciphertext[] aggregate = new Ciphertext[sums.length];
        RnsPoly[] c0 = new RnsPoly[sums.length];
        boolean keyShares = keyShareCollection(r == 0 ? Kind.STATS : Kind.UPDATE, collected);
        for (int c = 0; c < sums.length; c++) {
            // one pair of transforms per chunk, here (key shares: c_0's and the mask's expansion)
            aggregate[c] = keyShares ? scheme.keyShareAggregate(sums[c], uploadMaskSeed(r, collected, c))
                    : scheme.aggregateCiphertext(sums[c]);
            c0[c] = scheme.c0Coefficients(sums[c]);
        }
        return prepareDecryption(r, 0, aggregate, c0, keyShares);
    }

    /**
     * The sum of the stored uploads of {@code kind} in round r, collection attempt a, of the given hospitals (indices),
     * chunk by chunk.
     */
    private Object[] sumStoredUploads(Kind kind, int r, int a, int[] hospitals, int count) throws SQLException {
        Object[] sums = new Object[count];
        for (int c = 0; c < count; c++) {
            for (int h : hospitals) {
                try {
                    sums[c] = scheme.add(sums[c], scheme.readChunk(store.chunk(kind.ordinal(), r, a,
                            study.hospitals().get(h), c), scaleOf(r, c)));
                } catch (WireException e) {
                    throw new IllegalStateException("stored chunk failed validation: " + e.getMessage(), e);
                }
            }
        }
        return sums;
    }

    /** The masks attached to a DECRYPT task (empty when they are too large: the hospital downloads them). */
    private List<byte[]> attachedMasks() {
        List<byte[]> m = decrypting().masks();
        return m == null ? List.of() : m;
    }

    private Ciphertext readCiphertext(byte[] b) {
        try {
            return Serialization.ciphertextFromBytes(b, scheme.parameters());
        } catch (MalformedDataException e) {
            throw new IllegalStateException("stored aggregate is corrupt: " + e.getMessage(), e);
        }
    }

    private void finishDecryption(List<Store.Submission> subs) throws SQLException {
        LOG.debug("+{} ms: round {} combining shares{}", System.currentTimeMillis() - roundStarted, round,
                cpuSinceRoundStart());
        KeySwitch ks = new KeySwitch(session, partyIds(active), scheme.smudging());
        Ciphertext[] aggregate = decrypting().aggregate();
        int count = aggregate.length;
        Share[] summed = takeRunningShares(subs, count);
        if (summed == null) {
            // shares are summed in memory only: these were counted before a restart (or stored by an earlier
            // version); forget them and ask the same hospitals again, who re-send the shares they already made
            for (Store.Submission s : subs) {
                deleteSubmission(Kind.DECRYPTION_SHARES.ordinal(), round, attempt, s.hospital());
            }
            LOG.info("round {} attempt {}: decryption shares recorded without their sum; asking {} again", round,
                    attempt, names(active));
            notifyAll();
            return;
        }
        double[][] values = new double[count][];
        RnsPoly[] c0 = decrypting().c0Coefficients();
        for (int c = 0; c < count; c++) {
            try {
                // the shares were made for (0, c_1): their combination is c_1·s + Σe_i; adding c_0 gives m + noise
                values[c] = scheme.decrypt(aggregate[c], c0 == null ? null : c0[c], ks, summed[c]);
            } catch (IllegalArgumentException e) {
                // a share made for another ciphertext: drop this attempt's shares and start a new attempt
                refuse(null, "round " + round + " attempt " + attempt + ": decryption shares do not combine: "
                        + e.getMessage());
                for (Store.Submission s : subs) {
                    deleteSubmission(Kind.DECRYPTION_SHARES.ordinal(), round, attempt, s.hospital());
                }
                reattemptDecryption(List.of());
                return;
            }
        }
        int[] participants = participantsOf(round);
        audit.append("decryption", "coordinator", "round " + round + " attempt " + attempt + ": combined "
                + subs.size() + " decryption shares of " + names(active) + " (smudging " + scheme.smudging() + ")");
        release(values, participants, active);
    }

    private static double[] concat(double[][] chunks, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += chunks[i].length;
        }
        double[] out = new double[n];
        int o = 0;
        for (int i = from; i < to; i++) {
            System.arraycopy(chunks[i], 0, out, o, chunks[i].length);
            o += chunks[i].length;
        }
        return out;
    }

    /** Ends a statistics study: its one release is the study-wide statistics. */
    private void releaseStatistics(StudyStatistics stats, int[] decryptors, long now) throws SQLException {
        byte[] json = stats.toJson();
        statistics = stats;
        phase = Phase.DONE;
        stage = Stage.COLLECTING;
        active = new int[0];
        decrypting = null;
        deadline = now + timeoutMillis();
        saveState(Map.of("statistics", json));
        audit.append("release-statistics", "coordinator", "study-wide cohort statistics over " + stats.patients()
                + " patients of " + stats.hospitals() + ", decrypted by " + nameList(decryptors)
                + (stats.privacy() == null ? ", exact" : ", differentially private (epsilon "
                        + stats.privacy().epsilon() + ", delta " + stats.privacy().delta() + ")")
                + ", sha256 " + sha256Hex(json));
    }

    private void release(double[][] values, int[] participants, int[] decryptors) throws SQLException {
        long now = System.currentTimeMillis();
        if (round == 0) {
            BigInteger[] ints = scheme.integersFromDigits(concat(values, 0, values.length),
                    cohortStatistics.integers(), STATS_DIGITS);
            if (study.statisticsOnly()) {
                StudyStatistics stats;
                try {
                    stats = cohortStatistics.release(ints, nameList(participants));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    // impossible counts: the decryption went wrong; asking again would give the same sum
                    LOG.error("the statistics release failed: {}", e.getMessage());
                    audit.append("release-failed", "coordinator", "study-wide cohort statistics: " + e.getMessage());
                    phase = Phase.DONE;
                    stage = Stage.COLLECTING;
                    active = new int[0];
                    decrypting = null;
                    saveState(Map.of());
                    return;
                }
                releaseStatistics(stats, decryptors, now);
                return;
            }
            double n = ints[0].doubleValue();
            double[] std = cohortStatistics.standardization(ints);
            standardization = std;
            round = 1;
            stage = Stage.COLLECTING;
            attempt = firstCollectionAttempt();
            active = new int[0];
            decrypting = null;
            evalOnly = false;
            deadline = now + timeoutMillis();
            roundStarted = now;
            roundStartedCpu = processCpuNanos();
            byte[] sb = Payloads.doubles(std);
            byte[] initialModel = Payloads.doubles(model.initial(study.seed()));
            saveState(Map.of("standardization", sb, "model.1", initialModel));
            audit.append("release-standardization", "coordinator", "study-wide feature means and standard deviations"
                    + " over " + (long) n + " training samples of " + names(participants) + ", sha256 "
                    + sha256Hex(sb) + "; initial model sha256 " + sha256Hex(initialModel));
            return;
        }
        boolean trained = !evalOnly;
        double[] all = concat(values, 0, values.length);
        BigInteger[] ev = scheme.integersFromDigits(trained ? scheme.evaluationDigitsOf(all) : all,
                AggregationScheme.EVAL_INTEGERS, EVAL_DIGITS);
        long trainCount = ev[0].longValueExact();
        long[] pos = new long[Evaluation.BINS];
        long[] neg = new long[Evaluation.BINS];
        for (int b = 0; b < Evaluation.BINS; b++) {
            pos[b] = ev[4 + b].longValueExact();
            neg[b] = ev[4 + Evaluation.BINS + b].longValueExact();
        }
        Evaluation e = new Evaluation(ev[1].longValueExact(), ev[2].longValueExact(),
                AggregationScheme.fromFixedPoint(ev[3]), pos, neg);
        Map<String, byte[]> extra = new LinkedHashMap<>();
        if (trained) {
            double[] upd = scheme.updateOf(all);
            double[] theta = modelOf(round).clone();
            double nTotal = standardization[0];
            for (int j = 0; j < modelSize; j++) {
                theta[j] += upd[j] * nTotal / trainCount;
            }
            extra.put("model." + (round + 1), Payloads.doubles(theta));
        }
        double eps = study.privacy().enabled() ? RdpAccountant.epsilon(study.privacy().noiseMultiplier(),
                trained ? round : round - 1, study.privacy().delta()) : 0;
        Map<String, Long> sent = new LinkedHashMap<>();
        for (int p : participants) {
            String h = study.hospitals().get(p);
            long b = 0;
            for (int a = 0; a <= 1; a++) { // a key-share upload abandoned for a public-key one counts too
                b += submission(Kind.UPDATE.ordinal(), round, a, h).map(Store.Submission::bytes).orElse(0L);
            }
            for (int a = 0; a <= attempt; a++) {
                b += submission(Kind.DECRYPTION_SHARES.ordinal(), round, a, h).map(Store.Submission::bytes)
                        .orElse(0L);
            }
            sent.put(h, b);
        }
        for (int d : decryptors) {
            String h = study.hospitals().get(d);
            if (!sent.containsKey(h)) {
                long b = 0;
                for (int a = 0; a <= attempt; a++) {
                    b += submission(Kind.DECRYPTION_SHARES.ordinal(), round, a, h).map(Store.Submission::bytes)
                            .orElse(0L);
                }
                sent.put(h, b);
            }
        }
        RoundReport rep = new RoundReport(round, trained, nameList(participants), nameList(decryptors), e.count(),
                e.meanLoss(), e.accuracy(), e.auc(), eps, sent, now - roundStarted);
        reports.add(rep);
        // one key per report, so a release writes its own report only (a study of R rounds writes R reports, not R²/2)
        extra.put(reportKey(reports.size() - 1), ReportCodec.write(rep));
        int finished = round;
        if (!trained) {
            phase = Phase.DONE;
        } else {
            round = round + 1;
            evalOnly = !study.trainsRound(round); // the hospitals decide alike (the masks they expand)
            if (round <= study.rounds() && evalOnly) {
                audit.append("privacy-budget", "coordinator", "stopping before round " + round + ": epsilon would"
                        + " exceed the budget " + study.privacy().epsilonBudget());
            }
        }
        stage = Stage.COLLECTING;
        attempt = firstCollectionAttempt();
        active = new int[0];
        decrypting = null;
        deadline = now + timeoutMillis();
        roundStarted = now;
        saveState(extra);
        forgetSubmissionsBefore(finished);
        pruneInBackground(finished);
        LOG.debug("+{} ms: round {} released (state saved and chunks pruned in {} ms more){}", rep.millis(), finished,
                System.currentTimeMillis() - now, cpuSinceRoundStart());
        roundStartedCpu = processCpuNanos();
        audit.append("model-release", "coordinator", String.format(java.util.Locale.ROOT,
                "round %d%s: participants %s, decrypted by %s, validation n=%d loss=%.4f accuracy=%.4f AUC=%.4f,"
                        + " epsilon=%.3f%s", finished, trained ? "" : " (evaluation only)", rep.participants(),
                rep.decryptors(), rep.validationCount(), rep.loss(), rep.accuracy(), rep.auc(), eps,
                trained ? ", model sha256 " + sha256Hex(extra.get("model." + (finished + 1))) : ""));
        try {
            listener.accept(rep);
        } catch (RuntimeException ex) {
            LOG.warn("round listener failed", ex);
        }
    }

    /**
     * Deletes the stored chunks of rounds before {@code r} (uploads, aggregates, and shares stored by earlier
     * versions; the submission rows stay as
     * the idempotency record) on a background thread: deleting megabytes of rows took up to a second under the
     * coordinator's lock, delaying the next round. Only disk space depends on it; a later release catches up.
     */
    private void pruneInBackground(int r) {
        try {
            pruner.execute(() -> {
                try {
                    store.pruneChunks(Kind.UPDATE.ordinal(), r);
                    store.pruneChunks(Kind.DECRYPTION_SHARES.ordinal(), r);
                    store.pruneChunks(Kind.AGGREGATE.ordinal(), r);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("pruning chunks before round {}: {}", r, e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("coordinator closed: chunks before round {} are pruned after the next release", r);
        }
    }

    private List<String> nameList(int[] idx) {
        List<String> n = new ArrayList<>();
        for (int i : idx) {
            n.add(study.hospitals().get(i));
        }
        return n;
    }

    /** The final model (after the closing evaluation), or the latest released one. */
    public synchronized double[] finalModel() throws SQLException {
        return modelOf(round).clone();
    }

    @Override
    public synchronized void close() {
        closed = true;
        pruner.shutdown(); // no interrupt: an interrupted H2 file channel would be closed under the database
        notifyAll();
    }
}
