package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.SharedDatasets;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.csv.CsvCohortReader;
import org.glovebox.ml.lr.FeatureScaling;
import org.glovebox.ml.lr.LogisticModel;
import org.glovebox.ml.lr.Metrics;
import org.glovebox.ml.lr.NesterovSchedule;
import org.glovebox.ml.lr.PlainLogisticRegression;
import org.glovebox.ml.lr.SigmoidApproximation;
import org.glovebox.ml.lr.TrainingConfig;
import org.glovebox.ml.lr.TrainingSetEncryptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glovebox train --iterations 30} on every shared data set at the 128-bit bootstrapping set
 * ({@code keygen --params training-bootstrap}, N = 2^16): the released model against the plaintext twin of the same
 * 30 iterations (coefficients in scaled units, AUC on the full data). Slow (keys of 1.5 GB, a bootstrap every two
 * iterations, minutes per data set): run with
 *
 * <pre>./mvnw -pl app -am -Pslow-tests test -Dtest=BootstrappedTrainingCliSlowTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Optional: -Dglovebox.bench.datasets=edin,lbw (default all five), -Dglovebox.bench.iterations=30. The table is
 * printed and written to app/target/bootstrapped-training.md.
 */
@Tag("slow")
class BootstrappedTrainingCliSlowTest {
    /** {example name, file, label name}. */
    static final String[][] DATASETS = {
        {"edin", "edin.txt", "mi"}, {"lbw", "lbw.txt", "y"}, {"pima", "pima-indians-diabetes.csv", "diabetes"},
        {"wdbc", "wdbc.data", "malignant"}, {"cleveland", "processed.cleveland.data", "heart_disease"}};

    @TempDir
    Path dir;

    private static String ok(String... args) {
        return CliCapture.okEcho(args);
    }

    @Test
    void thirtyIterationsOnEverySharedDataSet() throws Exception {
        int iterations = Integer.getInteger("glovebox.bench.iterations", 30);
        List<String> wanted = Arrays.asList(System.getProperty("glovebox.bench.datasets",
                "edin,lbw,pima,wdbc,cleveland").split(","));
        Path keys = dir.resolve("keys");
        long t0 = System.nanoTime();
        ok("keygen", "--params", "training-bootstrap", "--out", keys.toString());
        double keygen = (System.nanoTime() - t0) / 1e9;
        String pub = keys.resolve("public").toString();
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "keygen --params training-bootstrap: %.0f s; %d iterations per data set;"
                + " load average at start %.1f", keygen, iterations,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        rows.add("| data set | n x d | train wall | bootstraps | max coefficient error (scaled) | AUC encrypted |"
                + " AUC twin |");
        rows.add("|---|---|---|---|---|---|---|");
        for (String[] ds : DATASETS) {
            if (!wanted.contains(ds[0])) {
                continue;
            }
            Optional<Path> file = SharedDatasets.file(ds[1]);
            if (file.isEmpty()) {
                System.out.println("shared/datasets/" + ds[1] + " not found: skipping " + ds[0]);
                continue;
            }
            FeatureMatrix m = new CsvCohortReader(CohortDefinitions.example(ds[0])).read(file.get()).build().matrix();
            double[][] x = m.toRows();
            int[] y = m.labelsAsInts();
            Path enc = dir.resolve(ds[0] + ".enc");
            Path model = dir.resolve(ds[0] + "-model.enc");
            ok("encrypt", "--keys", keys.toString(), "--csv", file.get().toString(), "--cohort", "example:" + ds[0],
                    "--label", ds[2], "--out", enc.toString());
            long start = System.nanoTime();
            String progress = ok("train", "--public", pub, "--in", enc.toString(), "--iterations",
                    Integer.toString(iterations), "--out", model.toString());
            double wall = (System.nanoTime() - start) / 1e9;
            long bootstraps = progress.lines().filter(l -> l.contains("bootstrapped after")).count();
            assertThat(progress).contains("iteration " + iterations + "/" + iterations);
            String csv = ok("decrypt", "--keys", keys.toString(), "--in", model.toString());
            LogisticModel released = LogisticModel.readCsv(new StringReader(csv));

            FeatureScaling scaling = TrainingSetEncryptor.defaultScaling(x);
            TrainingConfig cfg = new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(),
                    new NesterovSchedule(TrainingSetEncryptor.defaultLearningRate(x[0].length,
                            TrainingSetEncryptor.DEFAULT_SPREAD)));
            double[] twinScaled = new PlainLogisticRegression(cfg).trainScaled(scaling.apply(x), y);
            LogisticModel twin = LogisticModel.of(released.names(), scaling.toOriginalUnits(twinScaled));
            // Compare in scaled units: w_scaled_j = w_j · halfRange_j (the intercept through the logit at the centre).
            double err = 0;
            for (int j = 0; j < x[0].length; j++) {
                err = Math.max(err, Math.abs(released.coefficient(j) - twin.coefficient(j)) * scaling.halfRange(j));
            }
            double aucEnc = Metrics.auc(logits(released, x), y);
            double aucTwin = Metrics.auc(logits(twin, x), y);
            rows.add(String.format(Locale.ROOT, "| %s | %d x %d | %.0f s | %d | %.1e | %.4f | %.4f |", ds[0], x.length,
                    x[0].length, wall, bootstraps, err, aucEnc, aucTwin));
            System.out.println(rows.get(rows.size() - 1));
            assertThat(Math.abs(aucEnc - aucTwin)).isLessThanOrEqualTo(0.01);
            assertThat(err).isLessThan(0.02);
        }
        String table = String.join("\n", rows) + "\n";
        System.out.print(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/bootstrapped-training.md"), table);
    }

    static double[] logits(LogisticModel m, double[][] x) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = m.logit(x[i]);
        }
        return s;
    }
}
