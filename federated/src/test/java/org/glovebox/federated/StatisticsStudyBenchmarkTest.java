package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.hospital.HospitalNode;
import org.glovebox.federated.stats.StudyStatistics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time and bytes of a whole statistics study on loopback (mutual TLS, N = 2^12, 128-bit secure): collective key
 * generation, threshold re-sharing, one encrypted upload per hospital, threshold decryption and the release, with
 * the 9 features of the example cohort, a 10-bin histogram of each, the covariance matrix and 4 cross tables.
 * Prints a Markdown table. Slow: run with -Pslow-tests -Dtest=StatisticsStudyBenchmarkTest
 * (-Dglovebox.bench.hospitals=3,10 -Dglovebox.bench.patients=10000,100000 to choose).
 */
@Tag("slow")
class StatisticsStudyBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void wholeStudyTimeAndBytes() throws Exception {
        String[] hs = System.getProperty("glovebox.bench.hospitals", "3,10").split(",");
        String[] ps = System.getProperty("glovebox.bench.patients", "10000,100000").split(",");
        StringBuilder edges = new StringBuilder();
        for (int j = 0; j < 9; j++) {
            edges.append(j > 0 ? ", " : "").append("x").append(j + 1).append(": [");
            for (int b = 1; b < 10; b++) {
                edges.append(b > 1 ? ", " : "").append(50 + 10 * j - 12 + 2.4 * b);
            }
            edges.append("]");
        }
        StringBuilder table = new StringBuilder("| hospitals | patients/hospital | integers released | study wall (s)"
                + " | bytes sent/hospital |\n|---|---|---|---|---|\n");
        int run = 0;
        for (String h : hs) {
            for (String p : ps) {
                int hospitals = Integer.parseInt(h.trim());
                int patients = Integer.parseInt(p.trim());
                StringBuilder names = new StringBuilder();
                for (int i = 1; i <= hospitals; i++) {
                    names.append(i > 1 ? ", " : "").append("hospital-").append(i);
                }
                String text = "name: bench\ncohort: example:edin\nhospitals: [" + names + "]\n"
                        + "model: {type: statistics}\nthreshold: " + (hospitals / 2 + 1) + "\n"
                        + "statistics: {histograms: {" + edges + "}, covariance: true,"
                        + " crossTables: [[x1, x2], [x3, x4], [x5, x6], [x7, x8]]}\n"
                        + "timeouts: {roundSeconds: 120, decryptionSeconds: 60}\n";
                Path dir = tmp.resolve(h + "-" + p + "-" + (run++)); // a configuration may repeat (warm-up)
                try (Cluster c = new Cluster(dir, text, patients)) {
                    long t0 = System.nanoTime();
                    c.startAll();
                    Coordinator co = c.server.coordinator();
                    assertThat(co.awaitFinished(600_000)).isTrue();
                    double wall = (System.nanoTime() - t0) / 1e9;
                    StudyStatistics s = co.statistics();
                    assertThat(s.patients()).isEqualTo((long) hospitals * patients);
                    c.awaitHospitals(60);
                    long bytes = c.nodes.stream().mapToLong(HospitalNode::bytesSent).max().orElse(0);
                    int integers = org.glovebox.federated.stats.CohortStatistics.forStudy(c.study).integers();
                    table.append(String.format(Locale.ROOT, "| %d | %d | %d | %.2f | %d |%n", hospitals, patients,
                            integers, wall, bytes));
                }
            }
        }
        System.out.println(table);
    }
}
