package org.glovebox.ml.lr;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.io.Containers;

/**
 * A logistic-regression model as the cloud returns it: the weights β (in the scaled feature space, replicated in
 * every block of {@link RowPacking}) and the data owner's scaling vectors, all encrypted; in clear the feature names,
 * the label name, the row count and the iteration count. Only the key holder(s) can read it
 * ({@link ModelDecryptor}); with the same keys the cloud can also score encrypted records with it.
 *
 * <p>File format "GBLM" version 2: magic, version, features, block width, slots, rows, iterations, label name,
 * feature names, β, multipliers, offsets, spread (validated on reading).
 */
public final class EncryptedLogisticModel {
    public static final int MAGIC = 0x47424c4d; // "GBLM"
    /** 2: the spread ciphertext holds mantissas and exponents ({@link SpreadLayout}). */
    static final int VERSION = 2;

    private final Parameters params;
    private final RowPacking packing;
    private final int rows;
    private final int iterations;
    private final String labelName;
    private final List<String> names;
    private final Ciphertext weights;
    private final Ciphertext multipliers;
    private final Ciphertext offsets;
    private final Ciphertext spread;

    EncryptedLogisticModel(Parameters params, RowPacking packing, int rows, int iterations, String labelName,
            List<String> names, Ciphertext weights, Ciphertext multipliers, Ciphertext offsets,
            Ciphertext spread) {
        this.params = params;
        this.packing = packing;
        this.rows = rows;
        this.iterations = iterations;
        this.labelName = labelName;
        this.names = List.copyOf(names);
        this.weights = weights;
        this.multipliers = multipliers;
        this.offsets = offsets;
        this.spread = spread;
    }

    public Parameters parameters() {
        return params;
    }

    public RowPacking packing() {
        return packing;
    }

    /** Records the model was trained on. */
    public int rows() {
        return rows;
    }

    public int iterations() {
        return iterations;
    }

    public String labelName() {
        return labelName;
    }

    public List<String> names() {
        return names;
    }

    /** Level of the weight ciphertext: multiplications still possible with it. */
    public int level() {
        return weights.level();
    }

    /** β in the scaled space, (β_0, β_1, …, β_d, 0, …) in every block. */
    public Ciphertext weights() {
        return weights;
    }

    /** (1, 1/h_1, …, 1/h_d) in every block. */
    public Ciphertext multipliers() {
        return multipliers;
    }

    /** (0, -c_1/h_1, …, -c_d/h_d) in every block. */
    public Ciphertext offsets() {
        return offsets;
    }

    /** (0, h_1, …, h_d) in even blocks, (0, c_1, …, c_d) in odd blocks: the scaling for decryption. */
    public Ciphertext spread() {
        return spread;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        Containers.writeHeader(out, MAGIC, VERSION);
        out.writeInt(packing.features());
        out.writeInt(packing.blockWidth());
        out.writeInt(packing.slots());
        out.writeInt(rows);
        out.writeInt(iterations);
        Containers.writeName(out, labelName);
        Containers.writeNames(out, names);
        Containers.writeCiphertext(out, weights);
        Containers.writeCiphertext(out, multipliers);
        Containers.writeCiphertext(out, offsets);
        Containers.writeCiphertext(out, spread);
        out.flush();
    }

    public static EncryptedLogisticModel read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            Containers.readHeader(in, MAGIC, VERSION, "an encrypted logistic model");
            int features = Containers.readInt(in, "feature count", 1, Containers.MAX_COLUMNS);
            int width = in.readInt();
            int slots = in.readInt();
            if (slots != params.maxSlots()) {
                throw new MalformedDataException("slot count " + slots + " does not match the parameters");
            }
            RowPacking packing;
            try {
                packing = new RowPacking(features, width, slots);
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("invalid packing: " + e.getMessage());
            }
            int rows = Containers.readInt(in, "row count", 1, Containers.MAX_ROWS);
            int iterations = Containers.readInt(in, "iteration count", 1, TrainingConfig.MAX_ITERATIONS);
            String label = Containers.readName(in);
            List<String> names = Containers.readNames(in, features);
            Ciphertext w = Containers.readCiphertext(in, params, slots, false, "model weights");
            Ciphertext a = Containers.readCiphertext(in, params, slots, true, "scaling multipliers");
            Ciphertext b = Containers.readCiphertext(in, params, slots, true, "scaling offsets");
            Ciphertext c = Containers.readCiphertext(in, params, slots, true, "scaling spread");
            Containers.requireEnd(in, "model");
            return new EncryptedLogisticModel(params, packing, rows, iterations, label, names, w, a, b, c);
        } catch (EOFException e) {
            throw new MalformedDataException("model file is truncated", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptedLogisticModel[" + names.size() + " features, " + iterations + " iterations, level "
                + weights.level() + "]";
    }
}
