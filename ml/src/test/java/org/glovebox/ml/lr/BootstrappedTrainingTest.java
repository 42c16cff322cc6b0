package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.bootstrap.Bootstrapper;
import org.glovebox.he.ckks.bootstrap.BootstrappingKeys;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.TrainingParameters;
import org.junit.jupiter.api.Test;

/**
 * Thirty iterations of encrypted training with bootstrapping (far beyond any leveled depth) against the plaintext
 * twin, on a small insecure bootstrapping ring of the secure set's structure (dense secret with sparse-secret
 * encapsulation, SlotToCoeff first, nine levels between bootstraps so two iterations fit, as at N = 2^16). Data: the
 * shared lbw set when present, else a synthetic hospital of the same shape. Bounds: weights in the scaled space within
 * 1e-3 of the twin after thirty iterations and fourteen bootstraps (measured: 4.4e-5), AUC within 0.01.
 */
class BootstrappedTrainingTest {
    static final int ITERATIONS = 30;
    static final double WEIGHT_BOUND = 1e-3;

    @Test
    void thirtyIterationsWithBootstrappingMatchTheTwin() {
        Optional<FeatureMatrix> shared = MlTestSupport.shared("lbw");
        List<String> names;
        double[][] x;
        int[] y;
        if (shared.isPresent()) {
            names = shared.get().columns().stream().map(c -> c.name()).toList();
            x = shared.get().toRows();
            y = shared.get().labelsAsInts();
        } else {
            System.out.println(MlTestSupport.skipMessage("lbw") + "; training on a synthetic hospital instead");
            x = MlTestSupport.syntheticRows(189, 9, 7);
            y = MlTestSupport.syntheticLabels(x, new double[] {-1, 0.8, -0.5, 0.3, 0, 0.2, -0.1, 0.4, 0, 0.6}, 7);
            names = new ArrayList<>();
            for (int j = 0; j < 9; j++) {
                names.add("x" + j);
            }
        }

        BootstrappingParameters bp = TrainingParameters.insecureBootstrappingForTesting(11, 9);
        SecretKey sk = new KeyGenerator(bp.parameters()).generateSecretKey();
        BootstrappingKeys bootKeys = BootstrappingKeys.generate(bp, sk);
        Parameters comp = bp.computationParameters();
        SecretKey csk = BootstrappingKeys.computationSecretKey(bp, sk);
        KeyGenerator kg = new KeyGenerator(comp);
        Evaluator cloud = new Evaluator(comp, kg.generateRelinearizationKey(csk),
                kg.generateGaloisKeys(csk, TrainingParameters.rotationSteps(comp), false), Parallelism.threads(2));
        EncryptedTrainingSet set = new TrainingSetEncryptor(comp, Encryptor.withPublicKey(kg.generatePublicKey(csk)))
                .encrypt(names, "y", x, y);

        BootstrappingRefresher refresher = new BootstrappingRefresher(new Bootstrapper(bp, bootKeys,
                Parallelism.threads(2)));
        List<int[]> refreshed = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iterationDone(int iteration, int of, double seconds, int levelsLeft) {
                assertThat(levelsLeft).isGreaterThanOrEqualTo(refresher.inputLevel() + 1);
            }

            @Override
            public void refreshed(int iteration, double seconds, int level) {
                refreshed.add(new int[] {iteration, level});
            }
        };
        long t0 = System.nanoTime();
        EncryptedLogisticModel model = new EncryptedLogisticRegression(cloud, refresher).train(set, ITERATIONS,
                listener);
        double seconds = (System.nanoTime() - t0) / 1e9;

        // Iteration 0 costs one level, then two iterations per bootstrap: 11 -> 10 -> 6 -> (refresh) 11 -> 7 -> 3 ...
        assertThat(refresher.refreshes()).isEqualTo(refreshed.size()).isBetween(14, 15);
        assertThat(refreshed).allSatisfy(r -> assertThat(r[1]).isEqualTo(bp.outputLevel()));

        MlTestSupport.Keys owner = new MlTestSupport.Keys(comp, csk, null, cloud);
        double[] enc = ModelDecryptor.scaledWeights(model, owner::decryptRaw);
        FeatureScaling scaling = TrainingSetEncryptor.defaultScaling(x);
        TrainingConfig cfg = new TrainingConfig(ITERATIONS, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(set.learningRate()));
        double[] plain = new PlainLogisticRegression(cfg).trainScaled(scaling.apply(x), y);
        double err = MlTestSupport.maxAbsDiff(enc, plain);
        double aucEnc = Metrics.auc(MlTestSupport.logits(ModelDecryptor.decrypt(model, csk), x), y);
        double aucPlain = Metrics.auc(MlTestSupport.logits(LogisticModel.of(names, scaling.toOriginalUnits(plain)), x),
                y);
        System.out.printf("[bootstrapped training] %d iterations, %d bootstraps (%.1f s of %.1f s): max weight error"
                + " %.2e, AUC %.4f vs twin %.4f%n", ITERATIONS, refresher.refreshes(), refresher.seconds(), seconds,
                err, aucEnc, aucPlain);
        assertThat(err).isLessThan(WEIGHT_BOUND);
        assertThat(Math.abs(aucEnc - aucPlain)).isLessThanOrEqualTo(0.01);
    }
}
