package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.hospital.HospitalNode;
import org.glovebox.federated.hospital.LocalData;
import org.glovebox.federated.stats.StudyStatistics;
import org.glovebox.federated.study.HistogramSpec;
import org.glovebox.federated.study.StudyDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statistics study: three hospitals release study-wide counts, means, variances and histograms (overall and among
 * positive outcomes) through encrypted sums and a 2-of-3 threshold decryption; compared with the same figures
 * computed on the pooled plaintext.
 */
class StatisticsStudyTest {
    @TempDir
    Path tmp;

    static final String STUDY = """
            name: cohort-description
            cohort: example:edin
            hospitals: [hospital-1, hospital-2, hospital-3]
            model: {type: statistics}
            statistics:
              histograms: {x1: [50], x4: [75, 80, 85, 90]}
              covariance: true
              crossTables: [[x1, x4]]
            threshold: 2
            encryption: {logN: 10, insecureTestRing: true}
            timeouts: {roundSeconds: 20, decryptionSeconds: 10}
            """;

    @Test
    void releasesExactCountsAndHistogramsAndMatchingMomentsToEveryHospital() throws Exception {
        try (Cluster c = new Cluster(tmp, STUDY)) {
            c.startAll();
            Coordinator co = c.server.coordinator();
            assertThat(co.awaitFinished(120_000)).as("study finished").isTrue();
            StudyStatistics s = co.statistics();
            assertThat(s).isNotNull();
            assertThat(co.reports()).as("no training rounds").isEmpty();

            // the plaintext twin over every patient of every hospital (training and validation rows alike)
            long n = 0;
            long positives = 0;
            double[] sum = new double[9];
            double[] sq = new double[9];
            HistogramSpec h4 = new HistogramSpec("x4", new double[] {75, 80, 85, 90});
            long[] counts4 = new long[5];
            long[] pos4 = new long[5];
            long[] counts1 = new long[2];
            double[][] cross = new double[9][9];
            long[] table = new long[10];
            long[] tablePos = new long[10];
            for (LocalData d : c.data) {
                for (double[][] part : new double[][][] {d.trainX(), d.validX()}) {
                    double[] labels = part == d.trainX() ? d.trainY() : d.validY();
                    for (int i = 0; i < part.length; i++) {
                        n++;
                        positives += labels[i] > 0.5 ? 1 : 0;
                        for (int j = 0; j < 9; j++) {
                            sum[j] += part[i][j];
                            sq[j] += part[i][j] * part[i][j];
                        }
                        counts4[h4.bin(part[i][3])]++;
                        pos4[h4.bin(part[i][3])] += labels[i] > 0.5 ? 1 : 0;
                        counts1[part[i][0] < 50 ? 0 : 1]++;
                        for (int a = 0; a < 9; a++) {
                            for (int b = 0; b < 9; b++) {
                                cross[a][b] += part[i][a] * part[i][b];
                            }
                        }
                        int cell = (part[i][0] < 50 ? 0 : 1) * 5 + h4.bin(part[i][3]);
                        table[cell]++;
                        tablePos[cell] += labels[i] > 0.5 ? 1 : 0;
                    }
                }
            }
            assertThat(s.patients()).isEqualTo(n).isEqualTo(120 + 160 + 200);
            assertThat(s.positives()).isEqualTo(positives);
            assertThat(s.hospitals()).containsExactly("hospital-1", "hospital-2", "hospital-3");
            for (int j = 0; j < 9; j++) {
                double mean = sum[j] / n;
                double variance = (sq[j] - n * mean * mean) / (n - 1);
                assertThat(s.features().get(j).name()).isEqualTo("x" + (j + 1));
                assertThat(s.features().get(j).mean()).isCloseTo(mean, within(1e-6));
                assertThat(s.features().get(j).variance()).isCloseTo(variance, within(1e-5 * variance));
            }
            assertThat(s.histograms()).hasSize(2);
            assertThat(s.histograms().get(0).feature()).isEqualTo("x1");
            assertThat(s.histograms().get(0).counts()).containsExactly(counts1);
            assertThat(s.histograms().get(1).feature()).isEqualTo("x4");
            assertThat(s.histograms().get(1).counts()).containsExactly(counts4);
            assertThat(s.histograms().get(1).positives()).containsExactly(pos4);
            for (int a = 0; a < 9; a++) {
                for (int b = 0; b < 9; b++) {
                    double cov = (cross[a][b] - sum[a] * sum[b] / n) / (n - 1);
                    assertThat(s.covariance()[a][b]).as("cov(x%d, x%d)", a + 1, b + 1)
                            .isCloseTo(cov, within(1e-5 * Math.sqrt(s.covariance()[a][a] * s.covariance()[b][b])));
                }
            }
            assertThat(s.crossTables()).hasSize(1);
            assertThat(s.crossTables().get(0).rowFeature()).isEqualTo("x1");
            assertThat(s.crossTables().get(0).columnFeature()).isEqualTo("x4");
            assertThat(s.crossTables().get(0).counts()).containsExactly(table);
            assertThat(s.crossTables().get(0).positives()).containsExactly(tablePos);
            assertThat(s.toText()).contains("480 patients at 3 hospitals", "histogram of x4", "[75, 80)",
                    "correlation", "by x1 (rows) and x4 (columns)");

            // every hospital receives the same figures and keeps them in its state folder
            for (HospitalNode node : c.nodes) {
                long end = System.currentTimeMillis() + 30_000;
                while (node.statistics() == null && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
                assertThat(node.statistics()).isEqualTo(s);
                assertThat(StudyStatistics.fromJson(Files.readAllBytes(tmp.resolve("state-" + node.name())
                        .resolve("statistics.json")))).isEqualTo(s);
            }
            assertThat(Files.readString(tmp.resolve("audit.log"))).contains("release-statistics");
            assertThat(AuditLog.verify(tmp.resolve("audit.log")).ok()).isTrue();
        }
    }

    @Test
    void aPrivateStudyReleasesNoisyFiguresCalibratedToItsEpsilon() throws Exception {
        StringBuilder bounds = new StringBuilder();
        for (int j = 1; j <= 9; j++) {
            bounds.append(j > 1 ? ", " : "").append("x").append(j).append(": [0, 200]");
        }
        String text = """
                name: private-description
                cohort: example:edin
                hospitals: [hospital-1, hospital-2, hospital-3]
                model: {type: statistics}
                statistics:
                  histograms: {x4: [75, 80, 85, 90]}
                  bounds: {%s}
                privacy: {enabled: true, epsilon: 5, delta: 1e-6}
                threshold: 2
                encryption: {logN: 10, insecureTestRing: true}
                timeouts: {roundSeconds: 20, decryptionSeconds: 10}
                """.formatted(bounds);
        try (Cluster c = new Cluster(tmp, text)) {
            c.startAll();
            Coordinator co = c.server.coordinator();
            assertThat(co.awaitFinished(120_000)).isTrue();
            StudyStatistics s = co.statistics();
            double sigma = s.privacy().countNoiseStd();
            assertThat(s.privacy().epsilon()).isEqualTo(5);
            assertThat(sigma).isCloseTo(org.glovebox.federated.stats.CohortStatistics.forStudy(c.study).privacy()
                    .releasedCountNoiseStd(), within(1e-12));
            // the noise is there: the exact histogram of x4 and n are (almost surely) not what was released
            HistogramSpec h4 = new HistogramSpec("x4", new double[] {75, 80, 85, 90});
            long[] exact = new long[5];
            for (LocalData d : c.data) {
                for (double[][] part : new double[][][] {d.trainX(), d.validX()}) {
                    for (double[] row : part) {
                        exact[h4.bin(Math.min(200, Math.max(0, row[3])))]++;
                    }
                }
            }
            assertThat(s.histograms().get(0).counts()).as("noisy counts").isNotEqualTo(exact);
            // noisy, but centred on the truth: within 6 standard deviations
            assertThat((double) s.patients()).isCloseTo(480, within(6 * sigma));
            long[] counts = s.histograms().get(0).counts();
            assertThat(java.util.Arrays.stream(counts).sum()).isCloseTo(480, within((long) (6 * sigma * 3) + 1));
            for (StudyStatistics.Feature f : s.features()) {
                assertThat(f.mean()).isBetween(0.0, 200.0);
            }
            assertThat(s.toText()).contains("differentially private");
            assertThat(Files.readString(tmp.resolve("audit.log"))).contains("release-statistics");
        }
    }

    @Test
    void aRestartedCoordinatorKeepsTheReleaseAndALateHospitalStillReceivesIt() throws Exception {
        try (Cluster c = new Cluster(tmp, STUDY)) {
            c.startCoordinator();
            c.startHospital(0);
            c.startHospital(1);
            c.startHospital(2);
            Coordinator first = c.server.coordinator();
            assertThat(first.awaitFinished(120_000)).isTrue();
            StudyStatistics released = first.statistics();
            c.nodes.get(2).close(); // hospital-3 goes away, whether or not it fetched the result yet
            c.server.kill();
            first.audit().close();
            Coordinator again = c.startCoordinator();
            assertThat(again.finished()).isTrue();
            assertThat(again.statistics()).isEqualTo(released);
            assertThat(again.status().step()).isEqualTo("finished");
            Files.deleteIfExists(tmp.resolve("state-hospital-3").resolve("statistics.json"));
            HospitalNode late = c.startHospital(2); // restarted with its state folder
            long end = System.currentTimeMillis() + 30_000;
            while (late.statistics() == null && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            assertThat(late.statistics()).isEqualTo(released);
            assertThat(tmp.resolve("state-hospital-3").resolve("statistics.json")).exists();
            assertThat(AuditLog.verify(tmp.resolve("audit.log")).ok()).isTrue();
        }
    }

    @Test
    void studyFilesOfStatisticsStudiesAreValidated() {
        String base = "name: s\ncohort: example:edin\nhospitals: [a, b]\nmodel: {type: statistics}\n";
        assertThat(StudyDefinition.parse(base).rounds()).isZero();
        assertThat(StudyDefinition.parse(base).statisticsOnly()).isTrue();
        assertThat(StudyDefinition.parse(base + "statistics: {histograms: {x2: [0.5]}}\n").histograms())
                .containsExactly(new HistogramSpec("x2", new double[] {0.5}));
        for (String[] bad : new String[][] {
                {"rounds: 3\n", "trains nothing"},
                {"learningRate: 0.1\n", "trains nothing"},
                {"privacy: {enabled: true}\n", "needs privacy.epsilon"},
                {"statistics: {histograms: {x2: [2, 1]}}\n", "strictly increasing"},
                {"statistics: {histograms: {x2: []}}\n", "1 to 63"},
                {"statistics: {histograms: {x2: [1, .nan]}}\n", "unreadable"},
                {"statistics: {histograms: {x2: [1, 1e400]}}\n", "finite"},
                {"statistics: {histograms: {x2: [a]}}\n", "not a number"},
                {"statistics: {histograms: {x2: 3}}\n", "list of bin edges"},
                {"statistics: {histograms: [x2]}\n", "map feature names"},
                {"statistics: {bins: 3}\n", "unknown statistics field"},
                {"statistics: {covariance: yes please}\n", "true or false"},
                {"statistics: {histograms: {x1: [1]}, crossTables: [[x1, x2]]}\n", "need a histogram"},
                {"statistics: {histograms: {x1: [1]}, crossTables: [[x1, x1]]}\n", "two different features"},
                {"statistics: {histograms: {x1: [1], x2: [1]}, crossTables: [[x1, x2], [x1, x2]]}\n",
                        "listed twice"},
                {"statistics: {histograms: {x1: [1], x2: [1]}, crossTables: [x1, x2]}\n", "pair of feature names"},
                {"statistics: {histograms: {x1: [1], x2: [1]}, crossTables: x1}\n", "list of at most"},
                {"statistics: [x1]\n", "must be a map"}}) {
            assertThatThrownBy(() -> StudyDefinition.parse(base + bad[0])).as(bad[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[1]);
        }
        StringBuilder many = new StringBuilder("statistics: {histograms: {x2: [");
        for (int i = 0; i < 64; i++) {
            many.append(i > 0 ? ", " : "").append(i);
        }
        assertThatThrownBy(() -> StudyDefinition.parse(base + many + "]}}\n")).hasMessageContaining("1 to 63");
        assertThatThrownBy(() -> StudyDefinition.parse("name: s\ncohort: example:edin\nhospitals: [a, b]\n"
                + "statistics: {histograms: {x2: [1]}}\n")).hasMessageContaining("model type statistics");
        // a histogram of a feature the cohort does not have is refused when the study is set up
        StudyDefinition unknown = StudyDefinition.parse(base + "statistics: {histograms: {age: [50]}}\n");
        assertThatThrownBy(() -> org.glovebox.federated.stats.CohortStatistics.forStudy(unknown))
                .hasMessageContaining("not a feature of its cohort");
    }

    @Test
    void releasedStatisticsFromAPeerAreValidated() {
        StudyStatistics ok = new StudyStatistics(10, 4, java.util.List.of(new StudyStatistics.Feature("x1", 0.5,
                0.25)), java.util.List.of(new StudyStatistics.Histogram("x1", new double[] {0.5}, new long[] {6, 4},
                new long[] {1, 3})), new double[][] {{0.25}}, java.util.List.of(new StudyStatistics.CrossTable("x1",
                new double[] {0.5}, "x2", new double[] {}, new long[] {3, 7}, new long[] {1, 2})),
                java.util.List.of("a", "b"), null);
        assertThat(StudyStatistics.fromJson(ok.toJson())).isEqualTo(ok);
        String json = new String(ok.toJson(), java.nio.charset.StandardCharsets.UTF_8);
        for (String bad : new String[] {"", "{", "[]", "null", json.replace("\"positives\":4", "\"positives\":11"),
                json.replace("[6,4]", "[6,5]"), json.replace("[1,3]", "[1,5]"), json.replace("[6,4]", "[6]"),
                json.replace("\"patients\":10,", ""), json.substring(0, json.length() / 2),
                json.replace("[[0.25]]", "[[0.25, 1]]"), json.replace("[[0.25]]", "[[0.25],[1]]"),
                json.replace("[3,7]", "[3,8]"), json.replace("[1,2]", "[4,2]")}) {
            assertThatThrownBy(() -> StudyStatistics.fromJson(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StudyStatistics.fromJson(new byte[StudyStatistics.MAX_JSON_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        // 65,535 edges on each side: (65,536)^2 cells overflow an int to 0, which must not pass for "no cells"
        StringBuilder edges = new StringBuilder("[");
        for (int i = 0; i < 65_535; i++) {
            edges.append(i > 0 ? "," : "").append(i);
        }
        edges.append("]");
        String overflow = json.replace("\"rowEdges\":[0.5]", "\"rowEdges\":" + edges)
                .replace("\"columnEdges\":[]", "\"columnEdges\":" + edges)
                .replace("\"counts\":[3,7]", "\"counts\":[]").replace("\"positives\":[1,2]", "\"positives\":[]");
        assertThatThrownBy(() -> StudyStatistics.fromJson(overflow.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHospitalRefusesStatisticsShapedOtherwiseThanItsStudy() throws Exception {
        StudyDefinition study = StudyDefinition.parse(STUDY);
        org.glovebox.federated.stats.CohortStatistics layout =
                org.glovebox.federated.stats.CohortStatistics.forStudy(study);
        double[][] x = Cluster.synthetic(30, 9, 5, 0)[0];
        double[] y = Cluster.synthetic(30, 9, 5, 0)[1][0];
        StudyStatistics good = layout.release(layout.local(x, y), java.util.List.of("hospital-1", "hospital-2"));
        layout.checkShape(good, study.hospitals());
        java.util.function.BiConsumer<StudyStatistics, String> refused = (bad, why) ->
                assertThatThrownBy(() -> layout.checkShape(bad, study.hospitals())).as(why)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features().subList(0, 8),
                good.histograms(), null, good.crossTables(), good.hospitals(), null), "features");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(),
                good.histograms().subList(0, 1), good.covariance(), good.crossTables(), good.hospitals(), null),
                "histograms");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(), good.histograms(),
                null, good.crossTables(), good.hospitals(), null), "covariance matrix is missing");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(), good.histograms(),
                good.covariance(), java.util.List.of(), good.hospitals(), null), "cross tables");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(), good.histograms(),
                good.covariance(), good.crossTables(), good.hospitals(), new StudyStatistics.Privacy(1, 1e-6, 3)),
                "differential privacy the study does not have");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(), good.histograms(),
                good.covariance(), good.crossTables(), java.util.List.of("hospital-1", "mallory"), null),
                "participants");
        refused.accept(new StudyStatistics(good.patients(), good.positives(), good.features(),
                java.util.List.of(good.histograms().get(1), good.histograms().get(0)), good.covariance(),
                good.crossTables(), good.hospitals(), null), "histogram 0");
        // and a study too large to release in one frame is refused when it is set up
        StringBuilder big = new StringBuilder("name: s\ncohort: example:edin\nhospitals: [a, b]\n"
                + "model: {type: statistics}\nstatistics: {histograms: {");
        StringBuilder tables = new StringBuilder();
        for (int j = 1; j <= 9; j++) {
            big.append(j > 1 ? ", " : "").append("x").append(j).append(": [");
            for (int e = 0; e < 63; e++) {
                big.append(e > 0 ? ", " : "").append(e);
            }
            big.append("]");
            for (int k = j + 1; k <= 9; k++) {
                tables.append(tables.length() > 0 ? ", " : "").append("[x").append(j).append(", x").append(k)
                        .append("]");
            }
        }
        big.append("}, crossTables: [").append(tables).append("]}\n");
        StudyDefinition tooBig = StudyDefinition.parse(big.toString());
        assertThatThrownBy(() -> org.glovebox.federated.stats.CohortStatistics.forStudy(tooBig))
                .hasMessageContaining("at most 65536");
    }
}
