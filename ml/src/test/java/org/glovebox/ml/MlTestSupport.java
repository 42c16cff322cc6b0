package org.glovebox.ml;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.SharedDatasets;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.csv.CsvCohortReader;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ring.Parallelism;

/** Shared test helpers: small insecure rings with cached keys, the shared data sets, synthetic data. */
public final class MlTestSupport {
    private static final Map<String, Keys> KEYS = new ConcurrentHashMap<>();

    private MlTestSupport() {
    }

    /** A key set: the owner's secret key and the cloud's evaluator (relinearization + Galois keys). */
    public record Keys(Parameters params, SecretKey sk, PublicKey pk, Evaluator cloud) {
        public Encryptor encryptor() {
            return Encryptor.withPublicKey(pk);
        }

        /** Raw decryption (no flooding) of every slot: for precision checks in tests. */
        public double[] decryptRaw(org.glovebox.he.ckks.Ciphertext ct) {
            return new Encoder(params).decode(new Decryptor(sk).decrypt(ct));
        }
    }

    /** Keys with the Galois keys of the given rotation steps (and conjugation), cached per set and steps. */
    public static Keys keys(Parameters params, int[] steps, boolean conjugation) {
        String key = java.util.HexFormat.of().formatHex(params.fingerprint()) + java.util.Arrays.toString(steps)
                + conjugation;
        return KEYS.computeIfAbsent(key, k -> {
            KeyGenerator kg = new KeyGenerator(params);
            SecretKey sk = kg.generateSecretKey();
            PublicKey pk = kg.generatePublicKey(sk);
            Evaluator ev = new Evaluator(params, kg.generateRelinearizationKey(sk),
                    kg.generateGaloisKeys(sk, steps, conjugation), Parallelism.threads(2));
            return new Keys(params, sk, pk, ev);
        });
    }

    /** A shared data set loaded with its example cohort, if shared/datasets is present. */
    public static Optional<FeatureMatrix> shared(String example) {
        String file = switch (example) {
            case "edin" -> "edin.txt";
            case "lbw" -> "lbw.txt";
            case "pima" -> "pima-indians-diabetes.csv";
            case "wdbc" -> "wdbc.data";
            case "cleveland" -> "processed.cleveland.data";
            default -> throw new IllegalArgumentException(example);
        };
        Optional<Path> path = SharedDatasets.file(file);
        return path.map(p -> new CsvCohortReader(CohortDefinitions.example(example)).read(p).build().matrix());
    }

    public static String skipMessage(String example) {
        return "shared/datasets for '" + example + "' not found (set -D" + SharedDatasets.PROPERTY
                + "=<folder>): skipping";
    }

    /** Rows drawn from a known logistic model: x ~ N(0, 1) per feature, P(y = 1) = σ(w·(1, x)). */
    public static double[][] syntheticRows(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = 3 * j + 1 + (j + 1) * r.nextGaussian();
            }
        }
        return x;
    }

    public static int[] syntheticLabels(double[][] x, double[] w, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double z = w[0];
            for (int j = 0; j < x[i].length; j++) {
                z += w[j + 1] * x[i][j];
            }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return y;
    }

    public static double[] logits(org.glovebox.ml.lr.LogisticModel m, double[][] x) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = m.logit(x[i]);
        }
        return s;
    }

    public static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
