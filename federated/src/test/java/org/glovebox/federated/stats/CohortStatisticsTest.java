package org.glovebox.federated.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.federated.study.StudyDefinition;
import org.junit.jupiter.api.Test;

/**
 * The release-0 vector without encryption: hospitals' vectors summed as the encrypted sum would be, then released,
 * against the pooled plaintext. Covers the layout's offsets (every section present) and tiny cohorts.
 */
class CohortStatisticsTest {
    private static final StudyDefinition STUDY = StudyDefinition.parse("""
            name: layout
            cohort: example:edin
            hospitals: [a, b]
            model: {type: statistics}
            statistics:
              histograms: {x1: [0.5], x3: [-1, 0, 1]}
              covariance: true
              crossTables: [[x3, x1], [x1, x3]]
            """);

    private static BigInteger[] add(BigInteger[] u, BigInteger[] v) {
        BigInteger[] s = new BigInteger[u.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = u[i].add(v[i]);
        }
        return s;
    }

    private static double[][] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][9];
        for (double[] row : x) {
            for (int j = 0; j < 9; j++) {
                row[j] = j == 0 ? r.nextInt(2) : 1000 + r.nextGaussian() * (j + 1); // x1 binary, others large mean
            }
            row[2] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void summedVectorsReleaseThePooledFigures() {
        CohortStatistics layout = CohortStatistics.forStudy(STUDY);
        assertThat(layout.integers()).isEqualTo(1 + 18 + 1 + (4 + 8) + 36 + 2 * (8 + 8));
        double[][] xa = rows(40, 1);
        double[][] xb = rows(25, 2);
        double[] ya = new double[40];
        double[] yb = new double[25];
        for (int i = 0; i < 40; i++) {
            ya[i] = i % 3 == 0 ? 1 : 0;
        }
        for (int i = 0; i < 25; i++) {
            yb[i] = i % 2;
        }
        StudyStatistics s = layout.release(add(layout.local(xa, ya), layout.local(xb, yb)), List.of("a", "b"));
        assertThat(s.patients()).isEqualTo(65);
        assertThat(s.positives()).isEqualTo(14 + 12);
        double[][] all = new double[65][];
        System.arraycopy(xa, 0, all, 0, 40);
        System.arraycopy(xb, 0, all, 40, 25);
        double[] y = new double[65];
        System.arraycopy(ya, 0, y, 0, 40);
        System.arraycopy(yb, 0, y, 40, 25);
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                double ma = 0;
                double mb = 0;
                for (double[] row : all) {
                    ma += row[a] / 65;
                    mb += row[b] / 65;
                }
                double c = 0;
                for (double[] row : all) {
                    c += (row[a] - ma) * (row[b] - mb) / 64; // two-pass: the reference the exact sums must match
                }
                // each of 2 hospitals rounds its sums to 2^-20: (|Σa| + |Σb| + n)·2·2^-21 / (n(n−1)) at most
                double tol = (65 * (Math.abs(ma) + Math.abs(mb)) + 65) * 0x1p-20 / (65 * 64) + 1e-9;
                assertThat(s.covariance()[a][b]).as("cov(%d, %d)", a, b).isCloseTo(c, within(tol));
                if (a == b) {
                    assertThat(s.features().get(a).variance()).isCloseTo(c, within(tol));
                    assertThat(s.features().get(a).mean()).isCloseTo(ma, within(2 * 0x1p-21 / 65 + 1e-12));
                }
            }
        }
        long[] x3 = new long[4];
        long[][] table = new long[4][2];
        long[][] tablePos = new long[4][2];
        for (int i = 0; i < 65; i++) {
            int b3 = all[i][2] < -1 ? 0 : all[i][2] < 0 ? 1 : all[i][2] < 1 ? 2 : 3;
            int b1 = (int) all[i][0];
            x3[b3]++;
            table[b3][b1]++;
            tablePos[b3][b1] += (long) y[i];
        }
        assertThat(s.histograms().get(1).counts()).containsExactly(x3);
        StudyStatistics.CrossTable t = s.crossTables().get(0);
        assertThat(t.rowFeature()).isEqualTo("x3");
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(t.count(i, j)).isEqualTo(table[i][j]);
                assertThat(t.positives()[i * 2 + j]).isEqualTo(tablePos[i][j]);
                assertThat(s.crossTables().get(1).count(j, i)).as("the transposed table").isEqualTo(table[i][j]);
            }
        }
    }

    @Test
    void aSinglePatientHasZeroVariancesAndKeepsEveryLaterSectionInPlace() {
        CohortStatistics layout = CohortStatistics.forStudy(STUDY);
        double[][] x = rows(1, 3);
        StudyStatistics s = layout.release(layout.local(x, new double[] {1}), List.of("a"));
        assertThat(s.patients()).isEqualTo(1);
        assertThat(s.features()).allSatisfy(f -> assertThat(f.variance()).isZero());
        assertThat(s.covariance()[0][1]).isZero();
        assertThat(s.crossTables().get(1).positives()).containsOnlyOnce(1L);
        assertThat(java.util.Arrays.stream(s.crossTables().get(0).counts()).sum()).isEqualTo(1);
        StudyStatistics none = layout.release(layout.local(new double[0][9], new double[0]), List.of("a"));
        assertThat(none.patients()).isZero();
        assertThat(none.features().get(0).mean()).isNaN();
    }
}
