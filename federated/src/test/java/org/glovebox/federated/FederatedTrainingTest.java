package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.glovebox.federated.audit.AuditCrossCheck;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.RoundReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederatedTrainingTest {
    @TempDir
    Path tmp;

    static double[] run(Path dir, String text, List<RoundReport> reports) throws Exception {
        try (Cluster c = new Cluster(dir, text)) {
            c.startAll();
            Coordinator co = c.server.coordinator();
            assertThat(co.awaitFinished(120_000)).as("study finished").isTrue();
            reports.addAll(co.reports());
            assertThat(AuditLog.verify(dir.resolve("audit.log")).ok()).isTrue();
            // each hospital's own log: every upload it sent is in the coordinator's log, with the same digest
            c.awaitHospitals(60);
            for (String h : c.names) {
                AuditCrossCheck.Result r = AuditCrossCheck.compare(dir.resolve("state-" + h).resolve("audit.log"),
                        dir.resolve("audit.log"));
                assertThat(r.ok()).as(r.message()).isTrue();
                assertThat(r.hospital()).isEqualTo(h);
                assertThat(r.matched()).isGreaterThan(3);
            }
            return co.finalModel();
        }
    }

    @Test
    void encryptedFedAvgEqualsPlaintextFedAvgWithThreeHospitals() throws Exception {
        String extra = "rounds: 3\nlocalEpochs: 2\nthreshold: 2\n";
        List<RoundReport> enc = new java.util.ArrayList<>();
        List<RoundReport> plain = new java.util.ArrayList<>();
        double[] a = run(tmp.resolve("enc"), Cluster.studyText(3, extra), enc);
        double[] b = run(tmp.resolve("plain"), Cluster.studyText(3, extra
                + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"), plain);
        assertThat(enc).hasSize(4);
        assertThat(plain).hasSize(4);
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            norm = Math.max(norm, Math.abs(b[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertThat(norm).isGreaterThan(0.1);
        assertThat(diff / norm).isLessThan(1e-6);
        for (int r = 0; r < 4; r++) {
            assertThat(enc.get(r).auc()).isEqualTo(plain.get(r).auc());
            assertThat(enc.get(r).participants()).hasSize(3);
        }
        assertThat(enc.get(3).auc()).isGreaterThan(0.7);
        System.out.println("encrypted vs plaintext FedAvg: max relative difference " + diff / norm);
    }

    @Test
    void decryptorsThatDownloadTheAggregateMasksGetThePlaintextModelToo() throws Exception {
        // masks too large to attach (here: all of them) are downloaded as AGGREGATE, streamed from the coordinator
        String extra = "rounds: 2\nlocalEpochs: 1\nthreshold: 2\n";
        double[] a;
        try (Cluster c = new Cluster(tmp.resolve("download"), Cluster.studyText(3, extra))) {
            Coordinator co = c.startCoordinator();
            co.attachMasksUpTo(0);
            for (int i = 0; i < 3; i++) {
                c.startHospital(i);
            }
            assertThat(co.awaitFinished(120_000)).as("study finished").isTrue();
            a = co.finalModel();
        }
        double[] b = run(tmp.resolve("plainDownload"), Cluster.studyText(3, extra
                + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"), new java.util.ArrayList<>());
        assertThat(maxRelativeDifference(a, b)).isLessThan(1e-6);
    }

    @Test
    void fiveHospitalsThreeOutOfFiveWithAnMlpMatchPlaintext() throws Exception {
        String extra = "rounds: 2\nthreshold: 3\nmodel: {type: mlp, hidden: 6}\nlearningRate: 0.2\n";
        List<RoundReport> enc = new java.util.ArrayList<>();
        double[] a = run(tmp.resolve("enc5"), Cluster.studyText(5, extra), enc);
        double[] b = run(tmp.resolve("plain5"), Cluster.studyText(5, extra
                + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"), new java.util.ArrayList<>());
        assertThat(a).hasSize(6 * 9 + 2 * 6 + 1);
        assertThat(maxRelativeDifference(a, b)).isLessThan(1e-6);
        assertThat(enc.get(0).participants()).hasSize(5);
        assertThat(enc.get(0).decryptors()).hasSize(3);
    }

    @Test
    void differentialPrivacyReportsEpsilonAndStopsAtTheBudget() throws Exception {
        String extra = "rounds: 10\nthreshold: 2\nclipNorm: 1\n"
                + "privacy: {enabled: true, noiseMultiplier: 2.0, delta: 1e-5, epsilonBudget: 6}\n";
        List<RoundReport> reps = new java.util.ArrayList<>();
        run(tmp.resolve("dp"), Cluster.studyText(3, extra), reps);
        double budget = 6;
        int trained = (int) reps.stream().filter(RoundReport::trained).count();
        assertThat(trained).isLessThan(10);
        assertThat(reps.get(reps.size() - 1).trained()).isFalse();
        for (int i = 1; i < reps.size(); i++) {
            assertThat(reps.get(i).epsilon()).isGreaterThanOrEqualTo(reps.get(i - 1).epsilon());
        }
        assertThat(reps.get(reps.size() - 1).epsilon()).isLessThanOrEqualTo(budget).isGreaterThan(0);
        assertThat(org.glovebox.federated.learn.RdpAccountant.epsilon(2.0, trained + 1, 1e-5)).isGreaterThan(budget);
    }

    /** Largest |a_i - b_i| over the largest |b_i|: encrypted against plaintext FedAvg. */
    private static double maxRelativeDifference(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            norm = Math.max(norm, Math.abs(b[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / norm;
    }
}
