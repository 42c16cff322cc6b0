package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.glovebox.ml.MlTestSupport;
import org.junit.jupiter.api.Test;

/** The plaintext building blocks: sigmoid fit, Nesterov schedule, scaling, metrics, the twin. */
class LogisticBasicsTest {
    @Test
    void degreeThreeLeastSquaresOnMinusEightEightIsKimsG3() {
        SigmoidApproximation g = SigmoidApproximation.defaultForTraining();
        assertThat(g.degree()).isEqualTo(3);
        assertThat(g.coefficient(0)).isEqualTo(0.5);
        assertThat(g.coefficient(1)).isCloseTo(0.15012, within(5e-5));
        assertThat(g.coefficient(2)).isZero();
        assertThat(g.coefficient(3)).isCloseTo(-0.0015930, within(5e-7));
        assertThat(g.maxError()).isLessThan(0.12);
        // Higher degrees fit better; odd symmetry.
        SigmoidApproximation g7 = SigmoidApproximation.leastSquares(7, 8);
        assertThat(g7.maxError()).isLessThan(g.maxError() / 2);
        assertThat(g7.evaluate(-3) + g7.evaluate(3)).isCloseTo(1, within(1e-12));
        assertThatThrownBy(() -> SigmoidApproximation.leastSquares(4, 8)).hasMessageContaining("odd");
    }

    @Test
    void nesterovScheduleStartsWithoutMomentum() {
        NesterovSchedule s = NesterovSchedule.KIM;
        assertThat(s.gamma(0)).isEqualTo(10);
        assertThat(s.gamma(4)).isEqualTo(2);
        assertThat(s.eta(0)).isZero();
        assertThat(s.eta(1)).isCloseTo((1 - (1 + Math.sqrt(5)) / 2) / 2.1935, within(1e-3));
        assertThat(s.eta(5)).isNegative();
    }

    @Test
    void scalingRoundTripsModels() {
        double[][] x = MlTestSupport.syntheticRows(200, 3, 4);
        FeatureScaling s = FeatureScaling.standardized(x, 2);
        double[] scaledModel = {0.3, -1.2, 0.5, 2.0};
        double[] orig = s.toOriginalUnits(scaledModel);
        for (double[] row : x) {
            double[] xs = s.apply(row);
            double a = scaledModel[0];
            double b = orig[0];
            for (int j = 0; j < 3; j++) {
                a += scaledModel[j + 1] * xs[j];
                b += orig[j + 1] * row[j];
            }
            assertThat(b).isCloseTo(a, within(1e-9));
        }
        FeatureScaling mm = FeatureScaling.minMax(x);
        for (double[] row : mm.apply(x)) {
            for (double v : row) {
                assertThat(v).isBetween(-1.0, 1.0);
            }
        }
        assertThatThrownBy(() -> FeatureScaling.of(new double[] {0}, new double[] {0})).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void aucAndAccuracy() {
        assertThat(Metrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1})).isEqualTo(0.75);
        assertThat(Metrics.auc(new double[] {1, 1, 1}, new int[] {0, 1, 1})).isEqualTo(0.5);
        assertThat(Metrics.auc(new double[] {1, 2}, new int[] {1, 1})).isNaN();
        assertThat(Metrics.accuracy(new double[] {-1, 2, 0.5}, new int[] {0, 1, 0})).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void twinApproachesTheMaximumLikelihoodDirection() {
        double[][] x = MlTestSupport.syntheticRows(3000, 2, 8);
        int[] y = MlTestSupport.syntheticLabels(x, new double[] {-2, 0.8, -0.4}, 8);
        PlainLogisticRegression twin = new PlainLogisticRegression(TrainingConfig.of(7));
        LogisticModel m = twin.train(java.util.List.of("a", "b"), x, y, FeatureScaling.standardized(x, 2));
        assertThat(m.coefficient(0)).isPositive();
        assertThat(m.coefficient(1)).isNegative();
        assertThat(twin.maxAbsSigmoidInput()).isLessThan(8);
        assertThat(Metrics.auc(MlTestSupport.logits(m, x), y)).isGreaterThan(0.7);
    }
}
