package org.glovebox.ml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.HostileInput;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.MlTestSupport.Keys;
import org.glovebox.ml.crypto.ScaleStableChain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Covariance and correlation matrices, per-group counts and means, 2x2 contingency tables with chi-square, and
 * histograms, computed by the untrusted party on encrypted columns with missing values, against the plaintext twin.
 * Small insecure ring with 2^55 scale primes (the structure of the STATS set). Bounds: counts exact; sums,
 * covariances and means within 1e-6 relative; correlations within 1e-6; chi-square within 1e-6 relative.
 */
class CrossProductsTest {
    static Keys keys;
    static List<String> names = List.of("age", "chol", "female", "smoker", "group=a", "group=b");
    static List<double[]> cols;

    @BeforeAll
    static void setUp() {
        Parameters p = ScaleStableChain.parameters(12, 60, 55, 3, 60, 2, true);
        keys = MlTestSupport.keys(p, EncryptedCrossProducts.requiredRotationSteps(p), true);
        int n = 3000; // 2 batches of 2048 slots
        SplittableRandom r = new SplittableRandom(3);
        double[] age = new double[n];
        double[] chol = new double[n];
        double[] female = new double[n];
        double[] smoker = new double[n];
        double[] ga = new double[n];
        double[] gb = new double[n];
        for (int i = 0; i < n; i++) {
            age[i] = Math.round(r.nextDouble(20, 90));
            chol[i] = r.nextDouble() < 0.08 ? Double.NaN : 150 + 1.2 * age[i] + r.nextGaussian() * 30;
            female[i] = r.nextDouble() < 0.5 ? 1 : 0;
            smoker[i] = r.nextDouble() < 0.03 ? Double.NaN : r.nextDouble() < (female[i] == 1 ? 0.15 : 0.3) ? 1 : 0;
            ga[i] = r.nextDouble() < 0.4 ? 1 : 0;
            gb[i] = 1 - ga[i];
        }
        cols = List.of(age, chol, female, smoker, ga, gb);
    }

    static CrossProducts encrypted(List<String> n, List<double[]> c) throws IOException {
        return encrypted(n, c, null);
    }

    static CrossProducts encrypted(List<String> n, List<double[]> c, List<int[]> pairs) throws IOException {
        EncryptedTable table = new TableEncryptor(keys.params(), keys.encryptor()).encrypt(n, c);
        EncryptedCrossProducts cloud = new EncryptedCrossProducts(keys.cloud());
        CrossProductResult result = pairs == null ? cloud.compute(table) : cloud.compute(table, pairs);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        result.write(bos);
        result = CrossProductResult.read(new ByteArrayInputStream(bos.toByteArray()), keys.params());
        return CrossProductDecryptor.decrypt(result, keys.sk());
    }

    @Test
    void pairwiseStatisticsMatchThePlaintextTwin() throws IOException {
        // The 4 x 4 matrices of age, chol, female, smoker, and the group indicators with chol.
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            for (int b = a; b < 4; b++) {
                pairs.add(new int[] {a, b});
            }
        }
        pairs.add(new int[] {4, 1});
        pairs.add(new int[] {5, 1});
        CrossProducts got = encrypted(names, cols, pairs);
        CrossProducts want = PlainCrossProducts.compute(names, cols);
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double cw = want.pair(a, b).covariance();
                double rw = want.pair(a, b).correlation();
                assertThat(got.pair(a, b).n()).isEqualTo(want.pair(a, b).n());
                assertThat(got.pair(a, b).covariance()).as("cov %s %s", names.get(a), names.get(b))
                        .isCloseTo(cw, within(1e-6 * Math.max(1, Math.abs(cw))));
                assertThat(got.pair(a, b).correlation()).as("corr %s %s", names.get(a), names.get(b))
                        .isCloseTo(rw, within(1e-6));
            }
        }
        assertThat(want.correlation("age", "chol")).isGreaterThan(0.5); // chol rises with age
        double[][] full = PlainCrossProducts.compute(names.subList(0, 2), cols.subList(0, 2)).covarianceMatrix();
        assertThat(full[0][1]).isCloseTo(want.covariance("age", "chol"), within(1e-9 * Math.abs(full[0][1])));
        // Per-group count and mean of cholesterol (group one-hot encoded before encryption).
        for (String g : List.of("group=a", "group=b")) {
            double[] cm = got.groupCountAndMean(g, "chol");
            double[] wm = want.groupCountAndMean(g, "chol");
            assertThat(cm[0]).isEqualTo(wm[0]);
            assertThat(cm[1]).isCloseTo(wm[1], within(1e-6 * wm[1]));
        }
        // 2x2 table sex x smoking and chi-square.
        long[][] tg = got.contingency("female", "smoker");
        long[][] tw = want.contingency("female", "smoker");
        assertThat(tg).isDeepEqualTo(tw);
        double chi = CrossProducts.chiSquare(tw);
        assertThat(CrossProducts.chiSquare(tg)).isCloseTo(chi, within(1e-9 * chi));
        assertThat(chi).isGreaterThan(20);
        assertThat(CrossProducts.chiSquarePValue(chi)).isLessThan(1e-4);
        assertThat(CrossProducts.chiSquarePValue(3.841)).isCloseTo(0.05, within(1e-4));
    }

    @Test
    void histogramFromOneHotBinsAndEncryptedSums() {
        double[] age = cols.get(0).clone();
        age[7] = Double.NaN;
        double[] edges = {20, 40, 60, 80, 90};
        OneHot.Columns bins = OneHot.bins("age", age, edges);
        assertThat(bins.names()).containsExactly("age[20,40)", "age[40,60)", "age[60,80)", "age[80,90]");
        EncryptedTable table = new TableEncryptor(keys.params(), keys.encryptor()).encrypt(bins.names(),
                bins.columns());
        List<ColumnStatistics> sums = new StatisticsDecryptor(keys.sk())
                .decrypt(new EncryptedStatistics(keys.cloud()).compute(table, Statistic.SUM));
        long[] want = OneHot.histogram(age, edges);
        List<Long> got = new ArrayList<>();
        for (ColumnStatistics s : sums) {
            got.add(Math.round(s.sum()));
        }
        assertThat(got).containsExactly(java.util.Arrays.stream(want).boxed().toArray(Long[]::new));
        assertThat(java.util.Arrays.stream(want).sum()).isEqualTo(age.length - 1);
        OneHot.Columns cats = OneHot.categories("cp", new double[] {1, 2, Double.NaN, 4}, new double[] {1, 2, 3, 4});
        assertThat(cats.names()).containsExactly("cp=1", "cp=2", "cp=3", "cp=4");
        assertThat(cats.columns().get(3)).containsExactly(0, 0, Double.NaN, 1);
    }

    @Test
    void clevelandCorrelationsIfPresent() throws IOException {
        var data = MlTestSupport.shared("cleveland");
        org.junit.jupiter.api.Assumptions.assumeTrue(data.isPresent(), () -> MlTestSupport.skipMessage("cleveland"));
        var m = data.get();
        List<String> n = List.of("age", "trestbps", "chol", "thalach", "oldpeak");
        List<double[]> c = n.stream().map(s -> m.column(m.columnIndex(s))).toList();
        double[][] got = encrypted(n, c).correlationMatrix();
        double[][] want = PlainCrossProducts.compute(n, c).correlationMatrix();
        for (int a = 0; a < n.size(); a++) {
            for (int b = 0; b < n.size(); b++) {
                assertThat(got[a][b]).isCloseTo(want[a][b], within(1e-6));
            }
        }
        assertThat(want[0][3]).isLessThan(-0.3); // maximum heart rate falls with age
    }

    @Test
    void resultFileRefusesHostileInput() throws IOException {
        EncryptedTable table = new TableEncryptor(keys.params(), keys.encryptor()).encrypt(List.of("a", "b"),
                List.of(new double[] {1, 2, Double.NaN}, new double[] {3, Double.NaN, 5}));
        CrossProductResult result = new EncryptedCrossProducts(keys.cloud()).compute(table, List.of(new int[] {0, 1},
            new int[] {1, 1}));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        result.write(bos);
        byte[] bytes = bos.toByteArray();
        HostileInput.check(bytes, in -> CrossProductResult.read(in, keys.params()));
        // names: count @6, "a" (2+1 bytes), "b" (2+1): pair count @16, first pair a @20, b @24, flag @28
        assertThatThrownBy(() -> CrossProductResult.read(new ByteArrayInputStream(
                HostileInput.withInt(bytes, 16, 99)), keys.params())).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("pair count");
        assertThatThrownBy(() -> CrossProductResult.read(new ByteArrayInputStream(
                HostileInput.withInt(bytes, 24, 7)), keys.params())).hasMessageContaining("column index");
        byte[] flag = bytes.clone();
        flag[28] = 0;
        assertThatThrownBy(() -> CrossProductResult.read(new ByteArrayInputStream(flag), keys.params()))
                .hasMessageContaining("flag");
        CrossProducts twoCols = CrossProductDecryptor.decrypt(CrossProductResult.read(new ByteArrayInputStream(bytes),
                keys.params()), keys.sk());
        assertThat(twoCols.pair(0, 1).n()).isEqualTo(1);
        assertThatThrownBy(() -> twoCols.pair(0, 0)).hasMessageContaining("not computed");
    }
}
