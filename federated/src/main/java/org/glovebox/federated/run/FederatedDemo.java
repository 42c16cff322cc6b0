package org.glovebox.federated.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glovebox.data.Cohorts;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.SharedDatasets;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.federated.audit.AuditCrossCheck;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.CoordinatorServer;
import org.glovebox.federated.coordinator.RoundReport;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.hospital.HospitalNode;
import org.glovebox.federated.hospital.LocalData;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.learn.LocalTraining;
import org.glovebox.federated.learn.Model;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.Pki;
import org.glovebox.federated.study.StudyDefinition;

/**
 * The federated part of {@code glovebox demo}: a consortium CA and certificates, a coordinator and three hospital
 * nodes on loopback (real gRPC, mutual TLS 1.3), each with its own partition of the Edinburgh myocardial-infarction
 * data set (or synthetic patients when the shared data sets are absent), encrypted federated logistic regression with
 * 2-out-of-3 threshold decryption and differential privacy; then the same model trained centrally on the pooled
 * plaintext for comparison, and the audit log verified.
 */
public final class FederatedDemo {
    private FederatedDemo() {
    }

    public static final String STUDY = """
            name: demo-edinburgh-mi
            description: Myocardial infarction (Edinburgh), encrypted federated logistic regression
            cohort: example:edin
            hospitals: [hospital-1, hospital-2, hospital-3]
            model: {type: logistic}
            rounds: 8
            localEpochs: 2
            learningRate: 0.3
            batchSize: 32
            minHospitals: 2
            threshold: 2
            validationFraction: 0.25
            clipNorm: 2
            privacy: {enabled: true, noiseMultiplier: %s, delta: 1e-5, epsilonBudget: %s}
            aggregation: ENCRYPTED
            encryption: {logN: 12}
            timeouts: {roundSeconds: 30, decryptionSeconds: 15}
            seed: 7
            """;

    /** The closing statistics study of the demo: the cohort described across the three hospitals. */
    public static final String STATISTICS_STUDY = """
            name: demo-edinburgh-mi-cohort
            description: Myocardial infarction (Edinburgh), the cohort described across hospitals
            cohort: example:edin
            hospitals: [hospital-1, hospital-2, hospital-3]
            model: {type: statistics}
            statistics:
              histograms: {x1: [0.5], x2: [0.5], x3: [0.5]}
              crossTables: [[x1, x2]]
            threshold: 2
            encryption: {logN: 12}
            timeouts: {roundSeconds: 30, decryptionSeconds: 15}
            """;

    /**
     * Something that watches the demo's coordinator (the app's dashboard): attached once the coordinator exists,
     * closed after the study finished and before the coordinator's database closes.
     */
    @FunctionalInterface
    public interface Observer {
        AutoCloseable attach(Coordinator coordinator) throws Exception;
    }

    /** Runs the demo in {@code work}; returns 0 on success. */
    public static int run(Path work, PrintStream out, double noiseMultiplier, double epsilonBudget) throws Exception {
        return run(work, out, noiseMultiplier, epsilonBudget, c -> () -> { });
    }

    /** Runs the demo in {@code work} with an observer of its coordinator; returns 0 on success. */
    public static int run(Path work, PrintStream out, double noiseMultiplier, double epsilonBudget, Observer observer)
            throws Exception {
        long t0 = System.nanoTime();
        StudyDefinition study = StudyDefinition.parse(String.format(Locale.ROOT, STUDY, noiseMultiplier,
                epsilonBudget));
        Path pki = work.resolve("pki");
        Pki.initCa(pki, "Demo consortium", Duration.ofDays(2));
        Pki.issue(pki, pki, "coordinator", Pki.Role.COORDINATOR, List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(2));
        for (String h : study.hospitals()) {
            Pki.issue(pki, pki, h, Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(2));
        }
        out.println("[pki] consortium CA and certificates for the coordinator and " + study.hospitals().size()
                + " hospitals (ECDSA P-256, Bouncy Castle)");

        Optional<Path> edin = SharedDatasets.file("edin.txt");
        double[][] x;
        double[] y;
        String source;
        if (edin.isPresent()) {
            FeatureMatrix m = Cohorts.load(CohortDefinitions.example("edin"), edin.get()).matrix();
            x = m.toRows();
            y = m.labels();
            source = "Edinburgh MI data set (" + x.length + " patients, 9 features), split across 3 hospitals";
        } else {
            double[][][] s = synthetic(1253, 9, 11);
            x = s[0];
            y = s[1][0];
            source = "synthetic patients (shared data sets not found), 1253 patients, 9 features";
        }
        out.println("[data] " + source);
        int[] sizes = {x.length * 45 / 100, x.length * 33 / 100, 0};
        sizes[2] = x.length - sizes[0] - sizes[1];
        int[] order = shuffled(x.length, 3);
        List<LocalData> parts = new ArrayList<>();
        int o = 0;
        for (int h = 0; h < 3; h++) {
            double[][] px = new double[sizes[h]][];
            double[] py = new double[sizes[h]];
            for (int i = 0; i < sizes[h]; i++) {
                px[i] = x[order[o + i]];
                py[i] = y[order[o + i]];
            }
            o += sizes[h];
            parts.add(new LocalData(px, py, study.validationFraction(), study.seed() * 31 + h));
        }

        Store store = new Store(Store.defaultUrl(work.resolve("coordinator-data")));
        AuditLog audit = AuditLog.open(work.resolve("coordinator-data").resolve("audit.log"));
        Coordinator coordinator = new Coordinator(study, store, audit);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<HospitalNode> nodes = new ArrayList<>();
        List<java.util.concurrent.Future<Boolean>> runs = new ArrayList<>();
        try (CoordinatorServer server = new CoordinatorServer(coordinator,
                Identity.inDirectory(pki, "coordinator"), "127.0.0.1", 0);
                AutoCloseable watching = observer.attach(coordinator)) {
            out.println("[coordinator] listening on 127.0.0.1:" + server.port() + " (gRPC, TLS 1.3, client"
                    + " certificates required); ring " + coordinator.scheme().parameters());
            out.println("[study] " + study + ", DP noise multiplier " + noiseMultiplier + ", budget epsilon "
                    + epsilonBudget + " at delta 1e-5");
            out.println();
            out.println(" round  hospitals  decrypted-by  val-loss  AUC     accuracy  epsilon  KiB sent/hospital"
                    + "   time");
            coordinator.onRound(r -> out.println(format(r)));
            startHospitals(study, pki, server.port(), parts, work, "-state", pool, nodes, runs);
            if (!coordinator.awaitFinished(600_000)) {
                out.println("the study did not finish in time");
                return 1;
            }
            for (java.util.concurrent.Future<Boolean> r : runs) { // each hospital collects FINISHED, closes its log
                r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            double[] fed = coordinator.finalModel();
            double[] std = coordinator.standardization();
            out.println();
            List<RoundReport> reps = coordinator.reports();
            RoundReport last = reps.get(reps.size() - 1);
            out.printf(Locale.ROOT, "[federated] final model (encrypted aggregation, 2-of-3 decryption): validation"
                    + " AUC %.4f, accuracy %.4f, epsilon %.2f%n", last.auc(), last.accuracy(), last.epsilon());
            double central = centralAuc(study, parts, std, reps.stream().filter(RoundReport::trained).count());
            out.printf(Locale.ROOT, "[central]   same model trained on the pooled plaintext (no privacy):"
                    + "       validation AUC %.4f%n", central);
            out.printf(Locale.ROOT, "[federated] exact AUC of the released model on the pooled validation sets:"
                    + "   %.4f%n", pooledAuc(study, parts, std, fed));
            out.println("[privacy]   epsilon is hospital-level (it protects each hospital's whole contribution); with"
                    + " only 3 hospitals a small epsilon needs noise that costs accuracy (try --dp-noise 0.5)");
        } finally {
            for (HospitalNode n : nodes) {
                n.close();
            }
            pool.shutdownNow();
            store.close();
        }
        AuditLog.Result v = AuditLog.verify(audit.file(), audit.entries(), audit.head());
        audit.close();
        out.println("[audit] glovebox audit verify " + audit.file() + ": " + (v.ok() ? "OK" : "FAILED") + " ("
                + v.message() + ")");
        boolean match = true;
        for (String h : study.hospitals()) {
            AuditCrossCheck.Result r = AuditCrossCheck.compare(work.resolve(h + "-state").resolve("audit.log"),
                    audit.file());
            match &= r.ok();
            out.println("[audit] glovebox audit compare --hospital " + h + "-state/audit.log: " + r.message());
        }
        if (!match) {
            return 1;
        }
        if (v.ok() && !describeCohort(work, pki, parts, out)) {
            return 1;
        }
        out.printf(Locale.ROOT, "[demo] federated part finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return v.ok() ? 0 : 1;
    }

    /**
     * A statistics study on the same hospitals: patients, outcomes, feature means and per-feature outcome rates,
     * released by threshold decryption of encrypted sums. Returns whether it finished.
     */
    private static boolean describeCohort(Path work, Path pki, List<LocalData> parts, PrintStream out)
            throws Exception {
        long t0 = System.nanoTime();
        StudyDefinition study = StudyDefinition.parse(STATISTICS_STUDY);
        Path dir = work.resolve("statistics-coordinator-data");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<HospitalNode> nodes = new ArrayList<>();
        List<java.util.concurrent.Future<Boolean>> runs = new ArrayList<>();
        try (Store store = new Store(Store.defaultUrl(dir)); AuditLog audit = AuditLog.open(dir.resolve("audit.log"))) {
            Coordinator coordinator = new Coordinator(study, store, audit);
            try (CoordinatorServer server = new CoordinatorServer(coordinator,
                    Identity.inDirectory(pki, "coordinator"), "127.0.0.1", 0)) {
                startHospitals(study, pki, server.port(), parts, work, "-statistics-state", pool, nodes, runs);
                if (!coordinator.awaitFinished(300_000)) {
                    out.println("the statistics study did not finish in time");
                    return false;
                }
                for (java.util.concurrent.Future<Boolean> r : runs) { // each hospital fetches the result, then stops
                    if (!r.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        out.println("a hospital stopped before it received the statistics");
                        return false;
                    }
                }
                out.println();
                out.println("[statistics] the same hospitals describe their pooled cohort: encrypted sums, 2-of-3"
                        + " decryption (a statistics study)");
                for (String line : coordinator.statistics().toText().split("\n")) {
                    out.println("  " + line);
                }
                out.printf(Locale.ROOT, "[statistics] released to the coordinator and every hospital in %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
                return true;
            } finally {
                for (HospitalNode n : nodes) {
                    n.close();
                }
                pool.shutdownNow();
                coordinator.close();
            }
        }
    }

    /** Starts one node per partition on loopback, each with its state folder {@code <name><stateSuffix>}. */
    private static void startHospitals(StudyDefinition study, Path pki, int port, List<LocalData> parts, Path work,
            String stateSuffix, ExecutorService pool, List<HospitalNode> nodes,
            List<java.util.concurrent.Future<Boolean>> runs) throws java.io.IOException {
        for (int h = 0; h < parts.size(); h++) {
            String name = study.hospitals().get(h);
            HospitalNode node = new HospitalNode(study, Identity.inDirectory(pki, name), "127.0.0.1", port,
                    parts.get(h), work.resolve(name + stateSuffix));
            nodes.add(node);
            runs.add(pool.submit(node::run));
        }
    }

    static String format(RoundReport r) {
        long kib = r.bytesSent().values().stream().mapToLong(Long::longValue).max().orElse(0) / 1024;
        return String.format(Locale.ROOT, " %4d%s   %d of 3     %-12s  %7.4f   %.4f  %.4f    %7.2f  %8d           %5.1f s",
                r.round(), r.trained() ? " " : "*", r.participants().size(), shortNames(r.decryptors()), r.loss(),
                r.auc(), r.accuracy(), r.epsilon(), kib, r.millis() / 1000.0);
    }

    private static String shortNames(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() > 0 ? "," : "").append("h").append(n.substring(n.lastIndexOf('-') + 1));
        }
        return b.toString();
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double centralAuc(StudyDefinition study, List<LocalData> parts, double[] std, long rounds) {
        List<double[]> tx = new ArrayList<>();
        List<Double> ty = new ArrayList<>();
        for (LocalData p : parts) {
            tx.addAll(List.of(p.trainX()));
            for (double v : p.trainY()) {
                ty.add(v);
            }
        }
        int d = parts.get(0).features();
        double[][] x = tx.toArray(new double[0][]);
        double[] means = new double[d];
        double[] sds = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            double sq = 0;
            for (double[] row : x) {
                s += row[j];
                sq += row[j] * row[j];
            }
            means[j] = s / x.length;
            double sd = Math.sqrt(Math.max(sq / x.length - means[j] * means[j], 0));
            sds[j] = sd > 1e-9 ? sd : 1;
        }
        Model model = Model.forStudy(study, d);
        double[] theta = model.initial(study.seed());
        double[] y = ty.stream().mapToDouble(Double::doubleValue).toArray();
        double[] u = LocalTraining.train(model, theta, LocalData.standardize(x, means, sds), y,
                (int) (rounds * study.localEpochs()), study.batchSize(), study.learningRate(), study.seed());
        for (int j = 0; j < theta.length; j++) {
            theta[j] += u[j];
        }
        double[] s = new double[d];
        System.arraycopy(means, 0, s, 0, d);
        double[] std2 = new double[1 + 2 * d];
        System.arraycopy(means, 0, std2, 1, d);
        System.arraycopy(sds, 0, std2, 1 + d, d);
        return pooledAuc(study, parts, std2, theta);
    }

    private static double pooledAuc(StudyDefinition study, List<LocalData> parts, double[] std, double[] theta) {
        int d = parts.get(0).features();
        double[] means = java.util.Arrays.copyOfRange(std, 1, 1 + d);
        double[] sds = java.util.Arrays.copyOfRange(std, 1 + d, 1 + 2 * d);
        Model model = Model.forStudy(study, d);
        List<Double> scores = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        for (LocalData p : parts) {
            double[][] vx = LocalData.standardize(p.validX(), means, sds);
            for (int i = 0; i < vx.length; i++) {
                scores.add(model.predict(theta, vx[i]));
                labels.add(p.validY()[i]);
            }
        }
        return Evaluation.exactAuc(scores.stream().mapToDouble(Double::doubleValue).toArray(),
                labels.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Synthetic logistic data with 9 features (fallback when the shared data sets are absent). */
    static double[][][] synthetic(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        double[][] y = new double[1][n];
        for (int i = 0; i < n; i++) {
            double z = -0.5;
            for (int j = 0; j < d; j++) {
                x[i][j] = 50 + 10 * j + (r.nextDouble() * 2 - 1) * (5 + j);
                z += ((j % 3) - 1) * 1.2 * (x[i][j] - 50 - 10 * j) / (5 + j);
            }
            y[0][i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new double[][][] {x, y};
    }
}
