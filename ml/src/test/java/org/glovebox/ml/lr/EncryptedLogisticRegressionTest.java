package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.MlTestSupport.Keys;
import org.glovebox.ml.TrainingParameters;
import org.junit.jupiter.api.Test;

/**
 * Encrypted training against its plaintext twin on small insecure rings of the training set's structure (same
 * scale-stable 40-bit chain, N = 2^12 instead of 2^16). Bounds: weights in the scaled space within 1e-3 of the twin
 * (raw decryption; measured errors are about 1e-6), AUC within 0.01 (measured: identical to 4 decimals).
 */
class EncryptedLogisticRegressionTest {
    static final double WEIGHT_BOUND = 1e-3;

    static Keys keysFor(Parameters p) {
        return MlTestSupport.keys(p, TrainingParameters.rotationSteps(p), false);
    }

    record Run(double[] encryptedScaled, double[] plainScaled, LogisticModel released, LogisticModel plain,
            double seconds) {
    }

    static Run train(Keys keys, List<String> names, double[][] x, int[] y, int iterations) {
        EncryptedTrainingSet set = new TrainingSetEncryptor(keys.params(), keys.encryptor())
                .encrypt(names, "y", x, y);
        long start = System.nanoTime();
        EncryptedLogisticModel model = new EncryptedLogisticRegression(keys.cloud())
                .train(set, iterations, TrainingListener.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(model.level()).isEqualTo(keys.params().maxLevel() - EncryptedLogisticRegression.levelsNeeded(
                iterations));
        double[] enc = ModelDecryptor.scaledWeights(model, keys::decryptRaw);
        FeatureScaling scaling = TrainingSetEncryptor.defaultScaling(x);
        TrainingConfig cfg = new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(set.learningRate()));
        double[] plain = new PlainLogisticRegression(cfg).trainScaled(scaling.apply(x), y);
        return new Run(enc, plain, ModelDecryptor.decrypt(model, keys.sk()),
                LogisticModel.of(names, scaling.toOriginalUnits(plain)), seconds);
    }

    @Test
    void lbwSevenIterationsMatchesTwin() {
        Optional<FeatureMatrix> data = MlTestSupport.shared("lbw");
        assumeTrue(data.isPresent(), () -> MlTestSupport.skipMessage("lbw"));
        FeatureMatrix m = data.get();
        Keys keys = keysFor(TrainingParameters.insecureForTesting(12, 7));
        List<String> names = m.columns().stream().map(c -> c.name()).toList();
        Run run = train(keys, names, m.toRows(), m.labelsAsInts(), 7);
        assertThat(MlTestSupport.maxAbsDiff(run.encryptedScaled(), run.plainScaled())).isLessThan(WEIGHT_BOUND);
        double aucEnc = Metrics.auc(MlTestSupport.logits(run.released(), m.toRows()), m.labelsAsInts());
        double aucPlain = Metrics.auc(MlTestSupport.logits(run.plain(), m.toRows()), m.labelsAsInts());
        System.out.printf("lbw, 7 iterations, N=2^12: max weight error %.2e (raw), released model vs twin %.2e"
                + " (original units); AUC encrypted %.4f, twin %.4f; %.1f s%n",
                MlTestSupport.maxAbsDiff(run.encryptedScaled(), run.plainScaled()),
                MlTestSupport.maxAbsDiff(run.released().weights(), run.plain().weights()), aucEnc, aucPlain,
                run.seconds());
        assertThat(Math.abs(aucEnc - aucPlain)).isLessThanOrEqualTo(0.01);
        assertThat(aucPlain).isGreaterThan(0.65);
    }

    @Test
    void syntheticModelIsRecoveredAndMatchesTwin() {
        int d = 5;
        double[][] x = MlTestSupport.syntheticRows(700, d, 7);
        double[] truth = {-6, 0.5, -0.3, 0.2, 0.1, 0.05};
        int[] y = MlTestSupport.syntheticLabels(x, truth, 7);
        Keys keys = keysFor(TrainingParameters.insecureForTesting(11, 4));
        List<String> names = IntStream.range(0, d).mapToObj(j -> "f" + j).toList();
        Run run = train(keys, names, x, y, 4);
        assertThat(MlTestSupport.maxAbsDiff(run.encryptedScaled(), run.plainScaled())).isLessThan(WEIGHT_BOUND);
        double aucEnc = Metrics.auc(MlTestSupport.logits(run.released(), x), y);
        double aucPlain = Metrics.auc(MlTestSupport.logits(run.plain(), x), y);
        assertThat(Math.abs(aucEnc - aucPlain)).isLessThanOrEqualTo(0.01);
        // The released model is in original units: same signs as the truth for the strong features.
        assertThat(run.released().coefficient(0)).isPositive();
        assertThat(run.released().coefficient(1)).isNegative();
    }

    @Test
    void moreIterationsThanTheDepthAllowsAreRefusedUpFront() {
        Keys keys = keysFor(TrainingParameters.insecureForTesting(11, 2));
        double[][] x = MlTestSupport.syntheticRows(50, 3, 1);
        int[] y = MlTestSupport.syntheticLabels(x, new double[] {0, 1, 0, 0}, 1);
        EncryptedTrainingSet set = new TrainingSetEncryptor(keys.params(), keys.encryptor())
                .encrypt(List.of("a", "b", "c"), "y", x, y);
        assertThat(EncryptedLogisticRegression.maxIterations(keys.params())).isEqualTo(2);
        assertThatThrownBy(() -> new EncryptedLogisticRegression(keys.cloud()).train(set, 3, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 2 iterations without bootstrapping");
    }

    /**
     * The bootstrapping hook: a test-only stand-in that decrypts and re-encrypts (what a bootstrapper will do
     * homomorphically) lets training run past the depth, and the result still matches the twin.
     */
    @Test
    void refresherHookContinuesTrainingPastTheDepth() {
        Keys keys = keysFor(TrainingParameters.insecureForTesting(11, 2));
        double[][] x = MlTestSupport.syntheticRows(120, 3, 3);
        int[] y = MlTestSupport.syntheticLabels(x, new double[] {-4, 0.6, -0.2, 0.1}, 3);
        EncryptedTrainingSet set = new TrainingSetEncryptor(keys.params(), keys.encryptor())
                .encrypt(List.of("a", "b", "c"), "y", x, y);
        org.glovebox.ml.crypto.LevelScales scales = org.glovebox.ml.crypto.LevelScales.of(keys.params());
        int[] calls = {0};
        LevelRefresher decryptAndReencrypt = new LevelRefresher() {
            @Override
            public int inputLevel() {
                return 0;
            }

            @Override
            public org.glovebox.he.ckks.Ciphertext[] refresh(org.glovebox.he.ckks.Ciphertext a,
                    org.glovebox.he.ckks.Ciphertext b) {
                calls[0]++;
                int top = keys.params().maxLevel();
                org.glovebox.he.ckks.Encoder enc = new org.glovebox.he.ckks.Encoder(keys.params());
                return new org.glovebox.he.ckks.Ciphertext[] {
                    keys.encryptor().encrypt(enc.encode(keys.decryptRaw(a), null, a.slots(), top, scales.at(top))),
                    keys.encryptor().encrypt(enc.encode(keys.decryptRaw(b), null, b.slots(), top, scales.at(top)))};
            }
        };
        EncryptedLogisticModel model = new EncryptedLogisticRegression(keys.cloud(), decryptAndReencrypt)
                .train(set, 4, TrainingListener.NONE);
        assertThat(calls[0]).isGreaterThanOrEqualTo(2);
        double[] enc = ModelDecryptor.scaledWeights(model, keys::decryptRaw);
        TrainingConfig cfg = new TrainingConfig(4, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(set.learningRate()));
        double[] plain = new PlainLogisticRegression(cfg).trainScaled(
                TrainingSetEncryptor.defaultScaling(x).apply(x), y);
        assertThat(MlTestSupport.maxAbsDiff(enc, plain)).isLessThan(WEIGHT_BOUND);
    }

    @Test
    void progressIsReportedEveryIteration() {
        Keys keys = keysFor(TrainingParameters.insecureForTesting(11, 2));
        double[][] x = MlTestSupport.syntheticRows(40, 2, 5);
        int[] y = MlTestSupport.syntheticLabels(x, new double[] {0, 1, -1}, 5);
        EncryptedTrainingSet set = new TrainingSetEncryptor(keys.params(), keys.encryptor())
                .encrypt(List.of("a", "b"), "y", x, y);
        List<int[]> seen = new java.util.ArrayList<>();
        new EncryptedLogisticRegression(keys.cloud()).train(set, 2, (it, of, s, lv) -> seen.add(new int[] {it, of, lv}));
        int top = keys.params().maxLevel();
        assertThat(seen).containsExactly(new int[] {1, 2, top - 1}, new int[] {2, 2, top - 5});
    }
}
