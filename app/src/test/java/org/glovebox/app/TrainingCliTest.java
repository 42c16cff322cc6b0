package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.glovebox.ml.lr.FeatureScaling;
import org.glovebox.ml.lr.LogisticModel;
import org.glovebox.ml.lr.NesterovSchedule;
import org.glovebox.ml.lr.PlainLogisticRegression;
import org.glovebox.ml.lr.SigmoidApproximation;
import org.glovebox.ml.lr.TrainingConfig;
import org.glovebox.ml.lr.TrainingSetEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training and scoring flow of the CLI with a small 128-bit set (N14: depth 7, so 2 iterations; the training
 * set's 7 iterations at N = 2^16 run in the slow tests): keygen, encrypt --label (header-less CSV with --columns),
 * train on the public directory only, decrypt the model as CSV, encrypt records, score with the plaintext and the
 * encrypted model, decrypt the scores.
 */
class TrainingCliTest {
    @TempDir
    Path dir;

    private static CliCapture.Run run(String... args) {
        return CliCapture.run(args);
    }

    private static String ok(String... args) {
        return CliCapture.ok(args);
    }

    static double[][] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            x[i][0] = Math.round(r.nextDouble(20, 90));
            x[i][1] = 20 + 5 * r.nextGaussian();
            x[i][2] = r.nextDouble() < 0.3 ? 1 : 0;
        }
        return x;
    }

    /** Labels drawn from a known logistic model of age, bmi and smoking. */
    static int[] labels(double[][] x, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double z = -6 + 0.06 * x[i][0] + 0.08 * x[i][1] + 0.9 * x[i][2];
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return y;
    }

    static void writeCsv(Path file, double[][] x, int[] y) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            s.append(String.format(Locale.ROOT, "%s,%s,%s", x[i][0], x[i][1], x[i][2]));
            if (y != null) {
                s.append(',').append(y[i]);
            }
            s.append('\n');
        }
        Files.writeString(file, s.toString());
    }

    static double[] parseModel(String csv) {
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("term,coefficient");
        assertThat(lines.get(1)).startsWith("intercept,");
        assertThat(lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList())
                .containsExactly("intercept", "age", "bmi", "smoker");
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }

    static double[] parseScores(String csv, int n) {
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("row,logit,probability");
        assertThat(lines).hasSize(n + 1);
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }

    @Test
    void trainDecryptAndScoreFromTheCommandLine() throws Exception {
        double[][] x = rows(600, 1);
        int[] y = labels(x, 2);
        Path train = dir.resolve("train.csv");
        writeCsv(train, x, y);
        Path keys = dir.resolve("keys");
        ok("keygen", "--params", "N14", "--out", keys.toString());
        String enc = ok("encrypt", "--keys", keys.toString(), "--csv", train.toString(), "--columns",
                "age,bmi,smoker,outcome", "--label", "outcome", "--out", dir.resolve("train.enc").toString());
        assertThat(enc).contains("600 records x 3 features", "training set");

        // The cloud refuses a directory that holds the secret key, and more iterations than the depth allows.
        assertThat(run("train", "--public", keys.toString(), "--in", dir.resolve("train.enc").toString(),
                "--iterations", "2", "--out", dir.resolve("m.enc").toString()).code()).isNotZero();
        CliCapture.Run tooMany = run("train", "--public", keys.resolve("public").toString(), "--in",
                dir.resolve("train.enc").toString(), "--iterations", "3", "--out", dir.resolve("m.enc").toString());
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.err()).contains("at most 2", "bootstrapping");

        String progress = ok("train", "--public", keys.resolve("public").toString(), "--in",
                dir.resolve("train.enc").toString(), "--iterations", "2", "--out", dir.resolve("model.enc").toString());
        assertThat(progress).contains("iteration 1/2", "iteration 2/2", "levels left 6", "levels left 2");
        String modelCsv = ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("model.enc").toString());
        double[] got = parseModel(modelCsv);

        FeatureScaling scaling = TrainingSetEncryptor.defaultScaling(x);
        TrainingConfig cfg = new TrainingConfig(2, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(TrainingSetEncryptor.defaultLearningRate(3, TrainingSetEncryptor.DEFAULT_SPREAD)));
        double[] twin = scaling.toOriginalUnits(new PlainLogisticRegression(cfg).trainScaled(scaling.apply(x), y));
        for (int j = 1; j <= 3; j++) {
            assertThat(got[j]).isCloseTo(twin[j], org.assertj.core.data.Offset.offset(0.02 / scaling.halfRange(j - 1)));
        }
        assertThat(got[0]).isCloseTo(twin[0], org.assertj.core.data.Offset.offset(0.1));
        Path modelFile = dir.resolve("model.csv");
        Files.writeString(modelFile, modelCsv);
        LogisticModel plain = LogisticModel.readCsv(new java.io.StringReader(modelCsv));

        // Score new patients: plaintext model on the column layout, encrypted model on the row layout.
        double[][] patients = rows(300, 3);
        Path recCsv = dir.resolve("patients.csv");
        writeCsv(recCsv, patients, null);
        double[] want = new double[patients.length];
        for (int i = 0; i < patients.length; i++) {
            want[i] = plain.logit(patients[i]);
        }
        String[] cols = {"--columns", "age,bmi,smoker"};
        ok("encrypt", "--keys", keys.toString(), "--csv", recCsv.toString(), cols[0], cols[1], "--records", "--out",
                dir.resolve("rec-c.enc").toString());
        ok("encrypt", "--keys", keys.toString(), "--csv", recCsv.toString(), cols[0], cols[1], "--records",
                "--layout", "rows", "--out", dir.resolve("rec-r.enc").toString());
        String s1 = ok("score", "--public", keys.resolve("public").toString(), "--model", modelFile.toString(), "--in",
                dir.resolve("rec-c.enc").toString(), "--out", dir.resolve("s1.enc").toString());
        assertThat(s1).contains("300 encrypted records", "patients/s");
        ok("score", "--public", keys.resolve("public").toString(), "--model", dir.resolve("model.enc").toString(),
                "--in", dir.resolve("rec-r.enc").toString(), "--out", dir.resolve("s2.enc").toString());
        double[] plainScores = parseScores(ok("decrypt", "--keys", keys.toString(), "--in",
                dir.resolve("s1.enc").toString()), 300);
        double[] encScores = parseScores(ok("decrypt", "--keys", keys.toString(), "--in",
                dir.resolve("s2.enc").toString()), 300);
        // N14 has a 2^40 scale: release flooding (2^30) costs about 2^-3 per slot; the encrypted-model scores are
        // the mean of 4 copies.
        for (int i = 0; i < 300; i++) {
            assertThat(plainScores[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(0.6));
            assertThat(encScores[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(0.4));
        }
        // The encrypted model cannot score the column layout.
        assertThat(run("score", "--public", keys.resolve("public").toString(), "--model",
                dir.resolve("model.enc").toString(), "--in", dir.resolve("rec-c.enc").toString(), "--out",
                dir.resolve("s3.enc").toString()).code()).isNotZero();
    }

    /**
     * More iterations than any leveled set allows, with bootstrapping keys: the CLI path of keygen --params
     * training-bootstrap, on its tiny insecure twin (N = 2^11) so it runs in seconds; the secure set runs in the slow
     * tests.
     */
    @Test
    void bootstrappedTrainingFromTheCommandLine() throws Exception {
        double[][] x = rows(300, 4);
        int[] y = labels(x, 5);
        Path train = dir.resolve("train.csv");
        writeCsv(train, x, y);
        Path keys = dir.resolve("keys");
        CliCapture.Run keygen = run("keygen", "--params", "insecure-test-training-bootstrap", "--out", keys.toString());
        assertThat(keygen.code()).as(keygen.err()).isZero();
        assertThat(keygen.err()).contains("INSECURE");
        assertThat(keygen.out()).contains("bootstrapping keys in bootstrapping/");
        ok("encrypt", "--keys", keys.toString(), "--csv", train.toString(), "--columns", "age,bmi,smoker,outcome",
                "--label", "outcome", "--out", dir.resolve("train.enc").toString());
        String pub = keys.resolve("public").toString();
        String progress = ok("train", "--public", pub, "--in", dir.resolve("train.enc").toString(), "--iterations",
                "12", "--out", dir.resolve("model.enc").toString());
        assertThat(progress).contains("Bootstrapping every 9 levels", "bootstrapped after iteration", "iteration 12/12");
        assertThat(progress.lines().filter(l -> l.contains("bootstrapped after")).count()).isEqualTo(5);
        double[] got = parseModel(ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("model.enc").toString()));

        FeatureScaling scaling = TrainingSetEncryptor.defaultScaling(x);
        TrainingConfig cfg = new TrainingConfig(12, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(TrainingSetEncryptor.defaultLearningRate(3, TrainingSetEncryptor.DEFAULT_SPREAD)));
        double[] twin = scaling.toOriginalUnits(new PlainLogisticRegression(cfg).trainScaled(scaling.apply(x), y));
        for (int j = 1; j <= 3; j++) {
            assertThat(got[j]).isCloseTo(twin[j], org.assertj.core.data.Offset.offset(0.02 / scaling.halfRange(j - 1)));
        }
        assertThat(got[0]).isCloseTo(twin[0], org.assertj.core.data.Offset.offset(0.1));

        // Without the bootstrapping keys the cloud says what is missing.
        Path bootDir = keys.resolve("public").resolve("bootstrapping");
        Files.move(bootDir, dir.resolve("moved"));
        CliCapture.Run missing = run("train", "--public", pub, "--in", dir.resolve("train.enc").toString(), "--iterations", "12",
                "--out", dir.resolve("m2.enc").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("bootstrapping keys are missing");
    }

    @Test
    void pairwiseStatisticsFromTheCommandLine() throws Exception {
        double[][] x = rows(800, 6);
        StringBuilder csv = new StringBuilder("age,bmi,smoker,female\n");
        SplittableRandom r = new SplittableRandom(7);
        for (double[] row : x) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d%n", row[0], r.nextDouble() < 0.05 ? "NA" : row[1], row[2],
                    r.nextDouble() < 0.5 ? 1 : 0));
        }
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv.toString());
        Path keys = dir.resolve("keys");
        ok("keygen", "--params", "STATS", "--out", keys.toString());
        ok("encrypt", "--keys", keys.toString(), "--csv", file.toString(), "--out", dir.resolve("t.enc").toString());
        ok("pairwise", "--public", keys.resolve("public").toString(), "--in", dir.resolve("t.enc").toString(), "--out",
                dir.resolve("p.enc").toString());
        List<String> out = ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("p.enc").toString())
                .lines().toList();
        assertThat(out.get(0)).isEqualTo("covariance,age,bmi,smoker,female");
        assertThat(out).contains("correlation,age,bmi,smoker,female");
        assertThat(out).anyMatch(l -> l.startsWith("a,b,n11,n10,n01,n00,chi_square,p_value"));
        assertThat(out).anyMatch(l -> l.startsWith("smoker,female,"));
        String corr = out.get(out.indexOf("correlation,age,bmi,smoker,female") + 1);
        assertThat(corr).startsWith("age,1.00000,");
    }

    @Test
    void plaintextModelScoringWithTheStatisticsSetIsPrecise() throws Exception {
        double[][] patients = rows(500, 4);
        Path recCsv = dir.resolve("patients.csv");
        writeCsv(recCsv, patients, null);
        Path keys = dir.resolve("keys");
        ok("keygen", "--params", "STATS", "--out", keys.toString());
        ok("encrypt", "--keys", keys.toString(), "--csv", recCsv.toString(), "--columns", "age,bmi,smoker",
                "--records", "--out", dir.resolve("rec.enc").toString());
        LogisticModel model = LogisticModel.of(List.of("age", "bmi", "smoker"), new double[] {-5, 0.05, 0.1, 0.7});
        Path modelFile = dir.resolve("model.csv");
        Files.writeString(modelFile, model.toCsv());
        ok("score", "--public", keys.resolve("public").toString(), "--model", modelFile.toString(), "--in",
                dir.resolve("rec.enc").toString(), "--out", dir.resolve("s.enc").toString());
        double[] got = parseScores(ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("s.enc").toString()),
                500);
        for (int i = 0; i < 500; i++) {
            assertThat(got[i]).isCloseTo(model.logit(patients[i]), org.assertj.core.data.Offset.offset(1e-4));
        }
    }
}
