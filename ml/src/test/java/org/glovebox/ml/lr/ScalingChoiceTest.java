package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.ml.MlTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scaling, learning-rate and sigmoid choices of docs/ml.md, on the shared data sets (plaintext twin only, so
 * fast): the default keeps every sigmoid input inside the approximation interval, and (slow) the comparison table.
 */
class ScalingChoiceTest {
    static final String[] SETS = {"edin", "lbw", "pima", "wdbc", "cleveland"};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"edin", "lbw", "pima", "wdbc", "cleveland"})
    void defaultKeepsSigmoidInputsInsideTheInterval(String name) {
        var data = MlTestSupport.shared(name);
        assumeTrue(data.isPresent(), () -> MlTestSupport.skipMessage(name));
        FeatureMatrix m = data.get();
        double[][] x = m.toRows();
        int d = m.columnCount();
        TrainingConfig cfg = new TrainingConfig(7, SigmoidApproximation.defaultForTraining(), new NesterovSchedule(
                TrainingSetEncryptor.defaultLearningRate(d, TrainingSetEncryptor.DEFAULT_SPREAD)));
        PlainLogisticRegression twin = new PlainLogisticRegression(cfg);
        twin.trainScaled(TrainingSetEncryptor.defaultScaling(x).apply(x), m.labelsAsInts());
        assertThat(twin.maxAbsSigmoidInput()).isLessThan(cfg.sigmoid().radius());
    }

    interface Fit {
        double[] fit(double[][] xScaled, int[] y, double[] maxInput);
    }

    static double cvAuc(FeatureMatrix m, Function<double[][], FeatureScaling> scaling, Fit fit, double[] maxInput) {
        double[][] x = m.toRows();
        int[] y = m.labelsAsInts();
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Collections.shuffle(Arrays.asList(idx), new Random(1));
        double sum = 0;
        for (int f = 0; f < 5; f++) {
            List<double[]> trx = new ArrayList<>();
            List<double[]> tex = new ArrayList<>();
            List<Integer> tr = new ArrayList<>();
            List<Integer> te = new ArrayList<>();
            for (int i = 0; i < idx.length; i++) {
                boolean test = i % 5 == f;
                (test ? tex : trx).add(x[idx[i]]);
                (test ? te : tr).add(y[idx[i]]);
            }
            double[][] trX = trx.toArray(new double[0][]);
            FeatureScaling s = scaling.apply(trX);
            double[] beta = s.toOriginalUnits(fit.fit(s.apply(trX), tr.stream().mapToInt(Integer::intValue).toArray(),
                    maxInput));
            if (!Arrays.stream(beta).allMatch(Double::isFinite)) {
                return Double.NaN; // diverged
            }
            LogisticModel model = LogisticModel.of(m.columns().stream().map(c -> c.name()).toList(), beta);
            sum += Metrics.auc(MlTestSupport.logits(model, tex.toArray(new double[0][])),
                    te.stream().mapToInt(Integer::intValue).toArray());
        }
        return sum / 5;
    }

    static Fit twin(int degree, double gamma0) {
        return (x, y, max) -> {
            PlainLogisticRegression t = new PlainLogisticRegression(new TrainingConfig(7,
                    SigmoidApproximation.leastSquares(degree, 8), new NesterovSchedule(gamma0)));
            double[] b = t.trainScaled(x, y);
            max[0] = Math.max(max[0], t.maxAbsSigmoidInput());
            return b;
        };
    }

    /** Maximum likelihood by Newton's method (the reference). */
    static double[] newton(double[][] x, int[] y) {
        int n = x.length;
        int w = x[0].length + 1;
        double[] b = new double[w];
        for (int it = 0; it < 30; it++) {
            double[] g = new double[w];
            double[][] h = new double[w][w];
            for (int i = 0; i < n; i++) {
                double[] z = new double[w];
                z[0] = 1;
                System.arraycopy(x[i], 0, z, 1, w - 1);
                double dot = 0;
                for (int j = 0; j < w; j++) {
                    dot += z[j] * b[j];
                }
                double p = 1 / (1 + Math.exp(-dot));
                for (int j = 0; j < w; j++) {
                    g[j] += (y[i] - p) * z[j];
                    for (int k = 0; k < w; k++) {
                        h[j][k] += p * (1 - p) * z[j] * z[k];
                    }
                }
            }
            for (int j = 0; j < w; j++) {
                h[j][j] += 1e-6 * n;
                g[j] -= 1e-6 * n * b[j];
            }
            double[] step = SigmoidApproximation.solve(h, g);
            for (int j = 0; j < w; j++) {
                b[j] += step[j];
            }
        }
        return b;
    }

    @Test
    @Tag("slow")
    void designTable() {
        StringBuilder s = new StringBuilder("| data set | exact LR | Glovebox | degree 7 | min-max | γ_0 = 10 |\n");
        for (String name : SETS) {
            var data = MlTestSupport.shared(name);
            if (data.isEmpty()) {
                continue;
            }
            FeatureMatrix m = data.get();
            int d = m.columnCount();
            Function<double[][], FeatureScaling> std = r -> FeatureScaling.standardized(r, 2);
            double g0 = TrainingSetEncryptor.defaultLearningRate(d, 2);
            double[] maxOurs = {0};
            double[] max10 = {0};
            double exact = cvAuc(m, std, (x, y, mx) -> newton(x, y), new double[1]);
            double ours = cvAuc(m, std, twin(3, g0), maxOurs);
            double deg7 = cvAuc(m, std, twin(7, g0), new double[1]);
            double minmax = cvAuc(m, FeatureScaling::minMax, twin(3, 4.0 / (1 + d)), new double[1]);
            double kim = cvAuc(m, std, twin(3, 10), max10);
            s.append(String.format(Locale.ROOT, "| %s %dx%d | %.4f | %.4f (max|s| %.1f) | %.4f | %.4f | %s |%n",
                    name, m.rows(), d, exact, ours, maxOurs[0], deg7, minmax, Double.isNaN(kim) || max10[0] > 100
                            ? "diverges" : String.format(Locale.ROOT, "%.4f (max|s| %.1f)", kim, max10[0])));
        }
        System.out.print(s);
    }
}
