package org.glovebox.ml.lr;

import java.util.function.Function;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.SecretKey;

/**
 * The data owner's side of a trained model: decrypts the weights and the scaling (with noise flooding, as the model
 * is meant to be released) and returns the model in original feature units. Each value is the average of its copies
 * in all blocks, which divides the decryption noise by the square root of the block count.
 *
 * <p>For a model trained under a collective key, pass the collective decryption as the slot decryptor
 * ({@link #decrypt(EncryptedLogisticModel, Function)}).
 */
public final class ModelDecryptor {
    private ModelDecryptor() {
    }

    /** Decrypts with one secret key (flooded release decryption). */
    public static LogisticModel decrypt(EncryptedLogisticModel model, SecretKey sk) {
        Decryptor dec = new Decryptor(sk);
        Encoder enc = new Encoder(sk.parameters());
        return decrypt(model, ct -> enc.decode(dec.decryptForRelease(ct, Decryptor.DEFAULT_RELEASE_FLOOD_BITS)));
    }

    /** Decrypts with any slot decryptor (e.g. collective decryption); returns the model in original units. */
    public static LogisticModel decrypt(EncryptedLogisticModel model, Function<Ciphertext, double[]> decryptSlots) {
        RowPacking p = model.packing();
        double[] beta = blockAverage(decryptSlots.apply(model.weights()), p);
        // Half-ranges and centers as mantissa and exponent (SpreadLayout): full relative precision after a flooded
        // decryption, whatever the feature's magnitude.
        double[][] hc = SpreadLayout.decode(decryptSlots.apply(model.spread()), p);
        double[] a = new double[beta.length];
        double[] b = new double[beta.length];
        a[0] = 1;
        for (int j = 1; j < beta.length; j++) {
            a[j] = 1 / hc[0][j];
            b[j] = -hc[1][j] / hc[0][j];
        }
        return LogisticModel.of(model.names(), FeatureScaling.toOriginalUnits(beta, a, b));
    }

    /** The weights in the scaled space (β_0, …, β_d), as the trainer computed them. */
    public static double[] scaledWeights(EncryptedLogisticModel model, Function<Ciphertext, double[]> decryptSlots) {
        return blockAverage(decryptSlots.apply(model.weights()), model.packing());
    }

    /** The first features+1 slots of a block, averaged over all blocks. */
    static double[] blockAverage(double[] slots, RowPacking p) {
        int w = p.blockWidth();
        int d = p.features() + 1;
        double[] out = new double[d];
        int blocks = slots.length / w;
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < d; j++) {
                out[j] += slots[i * w + j];
            }
        }
        for (int j = 0; j < d; j++) {
            out[j] /= blocks;
        }
        return out;
    }
}
