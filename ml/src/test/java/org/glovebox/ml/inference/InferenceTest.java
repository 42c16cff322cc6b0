package org.glovebox.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.stream.IntStream;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.HostileInput;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.MlTestSupport.Keys;
import org.glovebox.ml.TrainingParameters;
import org.glovebox.ml.crypto.ScaleStableChain;
import org.glovebox.ml.lr.EncryptedLogisticModel;
import org.glovebox.ml.lr.EncryptedLogisticRegression;
import org.glovebox.ml.lr.EncryptedTrainingSet;
import org.glovebox.ml.lr.LogisticModel;
import org.glovebox.ml.lr.ModelDecryptor;
import org.glovebox.ml.lr.TrainingConfig;
import org.glovebox.ml.lr.TrainingListener;
import org.glovebox.ml.lr.TrainingSetEncryptor;
import org.glovebox.ml.lr.PlainLogisticRegression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encrypted inference against plaintext scoring: a plaintext logistic model (both layouts), a plaintext MLP with
 * degree-2 and degree-3 activations, and an encrypted model from encrypted training. Scores are compared after raw
 * decryption (CKKS error only: below 1e-6 at scale 2^55, 1e-4 at 2^40) and after the flooded release decryption.
 */
class InferenceTest {
    static final int D = 6;
    static final List<String> NAMES = IntStream.range(0, D).mapToObj(j -> "f" + j).toList();
    static double[][] x;
    static int[] y;
    /** A statistics-like ring: 2^55 scale, 4 levels. */
    static Keys precise;

    @BeforeAll
    static void setUp() {
        x = MlTestSupport.syntheticRows(3000, D, 21);
        y = MlTestSupport.syntheticLabels(x, new double[] {-5, 0.6, -0.2, 0.15, 0.05, 0.02, -0.03}, 21);
        Parameters p = ScaleStableChain.parameters(12, 60, 55, 4, 60, 2, true);
        precise = MlTestSupport.keys(p, Scorer.rotationSteps(p), false);
    }

    static LogisticModel plainModel() {
        return new PlainLogisticRegression(TrainingConfig.of(7)).train(NAMES, x, y,
                TrainingSetEncryptor.defaultScaling(x));
    }

    static double[] plainLogits(LogisticModel m) {
        return MlTestSupport.logits(m, x);
    }

    @Test
    void plainLogisticModelInBothLayouts() {
        LogisticModel model = plainModel();
        double[] want = plainLogits(model);
        for (RecordLayout layout : RecordLayout.values()) {
            EncryptedRecords rec = new RecordEncryptor(precise.params(), precise.encryptor()).encrypt(NAMES, x, layout);
            long start = System.nanoTime();
            EncryptedScores scores = new Scorer(precise.cloud()).score(model, rec);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] raw = ScoreDecryptor.decrypt(scores, precise::decryptRaw);
            double[] released = ScoreDecryptor.decrypt(scores, precise.sk());
            System.out.printf("LR %s, N=2^12: %d patients in %.3f s (%.0f/s), raw error %.1e, released %.1e%n", layout,
                    x.length, seconds, x.length / seconds, MlTestSupport.maxAbsDiff(raw, want),
                    MlTestSupport.maxAbsDiff(released, want));
            assertThat(MlTestSupport.maxAbsDiff(raw, want)).isLessThan(1e-6);
            assertThat(MlTestSupport.maxAbsDiff(released, want)).isLessThan(1e-3);
        }
    }

    @Test
    void pimaScoredEncryptedRanksLikePlaintext() {
        var data = MlTestSupport.shared("pima");
        org.junit.jupiter.api.Assumptions.assumeTrue(data.isPresent(), () -> MlTestSupport.skipMessage("pima"));
        var m = data.get();
        double[][] px = m.toRows();
        int[] py = m.labelsAsInts();
        List<String> names = m.columns().stream().map(c -> c.name()).toList();
        LogisticModel model = new PlainLogisticRegression(TrainingConfig.of(7)).train(names, px, py,
                TrainingSetEncryptor.defaultScaling(px));
        Mlp mlp = Mlp.train(names, px, py, 4, Mlp.reluApproximation(4), 200, 0.3, 3);
        EncryptedRecords rec = new RecordEncryptor(precise.params(), precise.encryptor()).encrypt(names, px,
                RecordLayout.COLUMNS);
        Scorer scorer = new Scorer(precise.cloud());
        double[] lr = ScoreDecryptor.decrypt(scorer.score(model, rec), precise.sk());
        double[] nn = ScoreDecryptor.decrypt(scorer.score(mlp, rec), precise.sk());
        double[] lrWant = MlTestSupport.logits(model, px);
        double[] nnWant = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            nnWant[i] = mlp.logit(px[i]);
        }
        assertThat(Math.abs(org.glovebox.ml.lr.Metrics.auc(lr, py) - org.glovebox.ml.lr.Metrics.auc(lrWant, py)))
                .isLessThanOrEqualTo(1e-4);
        assertThat(Math.abs(org.glovebox.ml.lr.Metrics.auc(nn, py) - org.glovebox.ml.lr.Metrics.auc(nnWant, py)))
                .isLessThanOrEqualTo(1e-4);
        assertThat(org.glovebox.ml.lr.Metrics.auc(lr, py)).isGreaterThan(0.8);
    }

    @Test
    void mlpWithQuadraticAndCubicActivations() {
        EncryptedRecords rec = new RecordEncryptor(precise.params(), precise.encryptor())
                .encrypt(NAMES, x, RecordLayout.COLUMNS);
        for (double[] act : new double[][] {Mlp.reluApproximation(4), {0, 0.5, 0.1, -0.01}}) {
            Mlp mlp = Mlp.train(NAMES, x, y, 4, act, 150, 0.3, 5);
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = mlp.logit(x[i]);
            }
            long start = System.nanoTime();
            EncryptedScores scores = new Scorer(precise.cloud()).score(mlp, rec);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] raw = ScoreDecryptor.decrypt(scores, precise::decryptRaw);
            System.out.printf("MLP(4 hidden, degree %d), N=2^12: %.0f patients/s, raw error %.1e%n",
                    mlp.activationDegree(), x.length / seconds, MlTestSupport.maxAbsDiff(raw, want));
            assertThat(MlTestSupport.maxAbsDiff(raw, want)).isLessThan(1e-5);
            double[] released = ScoreDecryptor.decrypt(scores, precise.sk());
            assertThat(MlTestSupport.maxAbsDiff(released, want)).isLessThan(1e-3);
            // It is a real classifier.
            assertThat(org.glovebox.ml.lr.Metrics.auc(want, y)).isGreaterThan(0.6);
        }
        Mlp mlp = Mlp.train(NAMES, x, y, 2, Mlp.reluApproximation(4), 5, 0.1, 1);
        EncryptedRecords rows = new RecordEncryptor(precise.params(), precise.encryptor())
                .encrypt(NAMES, x, RecordLayout.ROWS);
        assertThatThrownBy(() -> new Scorer(precise.cloud()).score(mlp, rows)).hasMessageContaining("COLUMNS");
    }

    @Test
    void encryptedModelScoresEncryptedRecords() {
        int iterations = 3;
        Parameters p = TrainingParameters.insecureForTesting(12, iterations);
        Keys keys = MlTestSupport.keys(p, TrainingParameters.rotationSteps(p), false);
        double[][] train = java.util.Arrays.copyOf(x, 400);
        int[] labels = java.util.Arrays.copyOf(y, 400);
        EncryptedTrainingSet set = new TrainingSetEncryptor(p, keys.encryptor()).encrypt(NAMES, "y", train, labels);
        EncryptedLogisticModel model = new EncryptedLogisticRegression(keys.cloud()).train(set, iterations,
                TrainingListener.NONE);
        assertThat(model.level()).isEqualTo(EncryptedLogisticRegression.RESERVED_LEVELS);
        LogisticModel decrypted = ModelDecryptor.decrypt(model, keys::decryptRaw);
        double[][] patients = java.util.Arrays.copyOfRange(x, 400, 1000);
        EncryptedRecords rec = new RecordEncryptor(p, keys.encryptor()).encrypt(NAMES, patients, RecordLayout.ROWS);
        EncryptedScores scores = new Scorer(keys.cloud()).score(model, rec);
        double[] raw = ScoreDecryptor.decrypt(scores, keys::decryptRaw);
        double[] want = MlTestSupport.logits(decrypted, patients);
        double[] released = ScoreDecryptor.decrypt(scores, keys.sk());
        System.out.printf("encrypted model, N=2^12: raw score error %.1e, released (flooded, mean of %d copies) %.1e%n",
                MlTestSupport.maxAbsDiff(raw, want), model.packing().blockWidth(),
                MlTestSupport.maxAbsDiff(released, want));
        assertThat(MlTestSupport.maxAbsDiff(raw, want)).isLessThan(1e-4);
        // Release flooding 2^30 at scale 2^40, N = 2^12: about 2^-4 per slot, a quarter after averaging 8 copies.
        assertThat(MlTestSupport.maxAbsDiff(released, want)).isLessThan(0.1);
        EncryptedRecords columns = new RecordEncryptor(p, keys.encryptor()).encrypt(NAMES, patients,
                RecordLayout.COLUMNS);
        assertThatThrownBy(() -> new Scorer(keys.cloud()).score(model, columns)).hasMessageContaining("ROWS");
        EncryptedRecords other = new RecordEncryptor(p, keys.encryptor()).encrypt(List.of("a", "b", "c", "d", "e",
                "f"), patients, RecordLayout.ROWS);
        assertThatThrownBy(() -> new Scorer(keys.cloud()).score(model, other)).hasMessageContaining("features");
    }

    @Test
    void recordAndScoreFilesRefuseHostileInput() throws IOException {
        double[][] few = new double[10][];
        for (int i = 0; i < few.length; i++) {
            few[i] = java.util.Arrays.copyOf(x[i], 2);
        }
        List<String> two = NAMES.subList(0, 2);
        LogisticModel small = LogisticModel.of(two, new double[] {0.5, 1, -1});
        for (RecordLayout layout : RecordLayout.values()) {
            EncryptedRecords rec = new RecordEncryptor(precise.params(), precise.encryptor()).encrypt(two, few,
                    layout);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            rec.write(bos);
            byte[] recBytes = bos.toByteArray();
            EncryptedRecords back = EncryptedRecords.read(new ByteArrayInputStream(recBytes), precise.params());
            assertThat(back.rows()).isEqualTo(10);
            assertThat(back.layout()).isEqualTo(layout);
            HostileInput.check(recBytes, in -> EncryptedRecords.read(in, precise.params()));
            byte[] badLayout = recBytes.clone();
            badLayout[6] = 9;
            assertThatThrownBy(() -> EncryptedRecords.read(new ByteArrayInputStream(badLayout), precise.params()))
                    .isInstanceOf(MalformedDataException.class).hasMessageContaining("layout");

            EncryptedScores scores = new Scorer(precise.cloud()).score(small, rec);
            bos = new ByteArrayOutputStream();
            scores.write(bos);
            byte[] scoreBytes = bos.toByteArray();
            assertThat(ScoreDecryptor.decrypt(EncryptedScores.read(new ByteArrayInputStream(scoreBytes),
                    precise.params()), precise::decryptRaw)).hasSize(10);
            HostileInput.check(scoreBytes, in -> EncryptedScores.read(in, precise.params()));
            assertThatThrownBy(() -> EncryptedScores.read(new ByteArrayInputStream(
                    HostileInput.withInt(scoreBytes, 11, 12345)), precise.params())).hasMessageContaining("width");
        }
    }

    @Test
    void mlpTextRoundTripsAndRefusesMalformedText() throws IOException {
        Mlp mlp = Mlp.train(NAMES, x, y, 3, Mlp.reluApproximation(4), 20, 0.3, 2);
        Mlp back = Mlp.readText(new StringReader(mlp.toText()));
        for (int i = 0; i < 20; i++) {
            assertThat(back.logit(x[i])).isEqualTo(mlp.logit(x[i]));
        }
        String ok = "glovebox-mlp,1\ninputs,a,b\nactivation,0,1,0.5\nhidden,1,2,0\noutput,1,0\n";
        assertThat(Mlp.readText(new StringReader(ok)).hidden()).isEqualTo(1);
        for (String bad : new String[] {"", "glovebox-mlp,2\n", ok.replace("inputs,a,b", "inputs,a,a"),
            ok.replace("activation,0,1,0.5", "activation,0,1"), ok.replace("activation,0,1,0.5", "activation,1,2,3,4,5"),
            ok.replace("hidden,1,2,0", "hidden,1,2"), ok.replace("output,1,0", "output,1"),
            ok.replace("output,1,0", "output,1,x"), ok.replace("hidden,1,2,0", "hidden,1,NaN,0"),
            ok + "bogus,1\n", ok.replace("output,1,0\n", ""), ok + "output,1,0\n",
            "glovebox-mlp,1\ninputs,a\nactivation,0,1,1\n" + "hidden,1,0\n".repeat(Mlp.MAX_HIDDEN + 1)
                    + "output," + "1,".repeat(Mlp.MAX_HIDDEN + 1) + "0\n"}) {
            assertThatThrownBy(() -> Mlp.readText(new StringReader(bad))).as(bad).isInstanceOf(IOException.class);
        }
    }
}
