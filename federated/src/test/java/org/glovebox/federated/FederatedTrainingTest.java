package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
}
