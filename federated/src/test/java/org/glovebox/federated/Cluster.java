package org.glovebox.federated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.CoordinatorServer;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.hospital.HospitalNode;
import org.glovebox.federated.hospital.LocalData;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.Pki;
import org.glovebox.federated.study.StudyDefinition;

/** A coordinator and hospital nodes on loopback with real gRPC and TLS, for integration tests. */
final class Cluster implements AutoCloseable {
    final Path dir;
    final StudyDefinition study;
    final List<String> names = new ArrayList<>();
    final List<LocalData> data = new ArrayList<>();
    CoordinatorServer server;
    final List<HospitalNode> nodes = new ArrayList<>();
    final List<Future<Boolean>> runs = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });
    int port;

    /** Study text with the given hospitals; {@code extra} lines are appended. */
    static String studyText(int hospitals, String extra) {
        StringBuilder b = new StringBuilder();
        b.append("name: test-study\ncohort: example:edin\nhospitals: [");
        for (int i = 1; i <= hospitals; i++) {
            b.append(i > 1 ? ", " : "").append("hospital-").append(i);
        }
        b.append("]\nencryption: {logN: 10, insecureTestRing: true}\nlearningRate: 0.5\nbatchSize: 16\n"
                + "timeouts: {roundSeconds: 20, decryptionSeconds: 10}\n");
        b.append(extra);
        return b.toString();
    }

    Cluster(Path dir, String studyText) throws Exception {
        this(dir, studyText, 0);
    }

    /** With {@code patients} synthetic patients per hospital (0: 120, 160, 200, … as the tests use). */
    Cluster(Path dir, String studyText, int patients) throws Exception {
        this.dir = dir;
        this.study = StudyDefinition.parse(studyText);
        Path pki = dir.resolve("pki");
        Pki.initCa(pki, "Test consortium", Duration.ofDays(30));
        Pki.issue(pki, pki, "coordinator", Pki.Role.COORDINATOR, List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(30));
        names.addAll(study.hospitals());
        for (int i = 0; i < names.size(); i++) {
            Pki.issue(pki, pki, names.get(i), Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(30));
            double[][][] xy = synthetic(patients > 0 ? patients : 120 + 40 * i, 9, 1000 + i, i);
            data.add(new LocalData(xy[0], xy[1][0], study.validationFraction(), study.seed() + i));
        }
    }

    /** Logistic data (features, labels) with a fixed true model and a hospital-specific shift. */
    static double[][][] synthetic(int n, int d, long seed, int shift) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        double[][] y = new double[1][n];
        for (int i = 0; i < n; i++) {
            double z = -0.3;
            for (int j = 0; j < d; j++) {
                x[i][j] = 50 + 10 * j + (r.nextDouble() * 2 - 1) * (5 + j) + shift;
                z += ((j % 3) - 1) * 0.8 * (x[i][j] - 50 - 10 * j) / (5 + j);
            }
            y[0][i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new double[][][] {x, y};
    }

    Identity identity(String name) {
        return Identity.inDirectory(dir.resolve("pki"), name);
    }

    Store store;

    Coordinator startCoordinator() throws Exception {
        if (store != null) {
            store.close();
        }
        store = new Store(Store.defaultUrl(dir.resolve("coordinator-db")));
        AuditLog audit = AuditLog.open(dir.resolve("audit.log"));
        Coordinator c = new Coordinator(study, store, audit);
        server = new CoordinatorServer(c, identity("coordinator"), "127.0.0.1", port);
        port = server.port();
        return c;
    }

    HospitalNode startHospital(int i) throws Exception {
        HospitalNode n = new HospitalNode(study, identity(names.get(i)), "127.0.0.1", port, data.get(i),
                dir.resolve("state-" + names.get(i)));
        nodes.add(n);
        runs.add(pool.submit(n::run));
        return n;
    }

    /** Waits until every started hospital's run has returned; fails if one does not within the timeout. */
    void awaitHospitals(long seconds) throws Exception {
        for (Future<Boolean> r : runs) {
            r.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    void startAll() throws Exception {
        startCoordinator();
        for (int i = 0; i < names.size(); i++) {
            startHospital(i);
        }
    }

    @Override
    public void close() {
        for (HospitalNode n : nodes) {
            n.close();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
        pool.shutdownNow();
        for (Future<Boolean> r : runs) {
            if (r.isDone() && !r.isCancelled()) {
                try {
                    r.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("a hospital stopped on an unexpected failure", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static Path temp(String prefix) throws Exception {
        return Files.createTempDirectory(prefix);
    }
}
