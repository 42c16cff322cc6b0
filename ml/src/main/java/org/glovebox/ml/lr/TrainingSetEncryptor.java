package org.glovebox.ml.lr;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;

/**
 * The data owner's side of training: scales the features, forms z_i = y'_i·(1, x'_i), packs the records
 * ({@link RowPacking}) and encrypts them, together with their sum and the scaling, into an
 * {@link EncryptedTrainingSet}.
 *
 * <p>Default scaling: {@link FeatureScaling#standardized} with k = 2 (center = mean, half-range = 2 standard
 * deviations); then (1/n)·Σ|z_i|^2 = 1 + d/4 exactly, and the default learning rate γ_0 = 4 / (1 + d/4) bounds the
 * first step by the data's curvature. docs/ml.md explains the choice (it keeps |z·β| inside the sigmoid
 * approximation's interval [-8, 8] on every shared data set).
 */
public final class TrainingSetEncryptor {
    /** The k of the default standardization. */
    public static final double DEFAULT_SPREAD = 2;

    private final Parameters params;
    private final Encoder encoder;
    private final Encryptor encryptor;

    public TrainingSetEncryptor(Parameters params, Encryptor encryptor) {
        this.params = params;
        this.encoder = new Encoder(params);
        this.encryptor = encryptor;
    }

    /** γ_0 = 4 / (1 + d/k^2): 4 over the trace of (1/n)·Z^T·Z for features standardized with spread k. */
    public static double defaultLearningRate(int features, double spread) {
        return 4 / (1 + features / (spread * spread));
    }

    /** The default scaling for these rows. */
    public static FeatureScaling defaultScaling(double[][] x) {
        return FeatureScaling.standardized(x, DEFAULT_SPREAD);
    }

    /** Encrypts with the default scaling and learning rate. */
    public EncryptedTrainingSet encrypt(List<String> names, String labelName, double[][] x, int[] labels) {
        return encrypt(names, labelName, x, labels, defaultScaling(x),
                defaultLearningRate(names.size(), DEFAULT_SPREAD));
    }

    /**
     * Encrypts with an explicit scaling (e.g. agreed between hospitals) and learning rate.
     *
     * @param x features in original units, one row per record
     * @param labels 0 or 1 per record
     */
    public EncryptedTrainingSet encrypt(List<String> names, String labelName, double[][] x, int[] labels,
            FeatureScaling scaling, double learningRate) {
        int n = x.length;
        int d = names.size();
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException("need at least one row and one label per row");
        }
        if (scaling.features() != d) {
            throw new IllegalArgumentException("scaling has " + scaling.features() + " features, data " + d);
        }
        RowPacking packing = RowPacking.of(d, params.maxSlots());
        if (packing.recordsPerCiphertext() < 2) {
            throw new IllegalArgumentException(d + " features need more slots than this parameter set has");
        }
        int w = packing.blockWidth();
        int per = packing.recordsPerCiphertext();
        List<Ciphertext> data = new ArrayList<>();
        double[] slots = new double[packing.slots()];
        double[] total = new double[d + 1];
        for (int start = 0; start < n; start += per) {
            java.util.Arrays.fill(slots, 0);
            for (int i = start; i < Math.min(n, start + per); i++) {
                if (x[i].length != d) {
                    throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, expected " + d);
                }
                if (labels[i] != 0 && labels[i] != 1) {
                    throw new IllegalArgumentException("label of row " + i + " is not 0 or 1");
                }
                double sign = labels[i] == 1 ? 1 : -1;
                int base = (i - start) * w;
                slots[base] = sign;
                total[0] += sign;
                double[] scaled = scaling.apply(x[i]);
                for (int j = 0; j < d; j++) {
                    if (!Double.isFinite(scaled[j])) {
                        throw new IllegalArgumentException("row " + i + " has a non-finite value");
                    }
                    slots[base + 1 + j] = sign * scaled[j];
                    total[1 + j] += sign * scaled[j];
                }
            }
            data.add(encrypt(slots));
        }
        java.util.Arrays.fill(slots, 0);
        Ciphertext sum = encrypt(packing.replicate(total));
        java.util.Arrays.fill(total, 0);
        Ciphertext a = encrypt(packing.replicate(scaling.multipliers()));
        Ciphertext b = encrypt(packing.replicate(scaling.offsets()));
        Ciphertext c = encrypt(SpreadLayout.encode(packing, scaling));
        return new EncryptedTrainingSet(params, packing, n, learningRate, labelName, names, data, sum, a, b, c);
    }

    private Ciphertext encrypt(double[] slots) {
        return encryptor.encrypt(encoder.encode(slots, null, params.maxSlots(), params.maxLevel(),
                params.defaultScale()));
    }
}
