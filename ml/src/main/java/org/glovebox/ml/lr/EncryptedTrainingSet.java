package org.glovebox.ml.lr;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.io.Containers;

/**
 * A labelled training set as the cloud receives it: in clear only the shape (row count, feature names, label name)
 * and the suggested learning rate; encrypted, the records z_i = y'_i·(1, x'_i) (y' = ±1, x' the scaled features) in
 * {@link RowPacking}, their sum Σ z_i replicated in every block (the data owner's one precomputation: it makes the
 * first iteration, whose gradient at β = 0 is proportional to it, free of rotations), and the feature scaling, so the
 * model can be returned in original units without the cloud learning the scaling: as multipliers (1, 1/h_j) and
 * offsets (0, -c_j/h_j) for homomorphic use (scoring with the encrypted model), and as the half-ranges h_j and
 * centers c_j in mantissa and exponent ({@link #spread}, {@link SpreadLayout}) for the key holder's conversion, which
 * needs them to full relative precision after flooded decryption.
 *
 * <p>File format "GBTS" version 2 (validated on reading): magic, version, rows, features, block width, slots,
 * learning rate, label name, feature names, ciphertext count, the data ciphertexts, the sum, the multiplier, offset
 * and spread ciphertexts. Training sets of several hospitals encrypted under one collective key can be {@link #pool}ed.
 */
public final class EncryptedTrainingSet {
    static final int MAGIC = 0x47425453; // "GBTS"
    /** 2: the spread ciphertext holds mantissas and exponents ({@link SpreadLayout}). */
    static final int VERSION = 2;

    private final Parameters params;
    private final RowPacking packing;
    private final int rows;
    private final double learningRate;
    private final String labelName;
    private final List<String> names;
    private final List<Ciphertext> data;
    private final Ciphertext sum;
    private final Ciphertext multipliers;
    private final Ciphertext offsets;
    private final Ciphertext spread;

    EncryptedTrainingSet(Parameters params, RowPacking packing, int rows, double learningRate, String labelName,
            List<String> names, List<Ciphertext> data, Ciphertext sum, Ciphertext multipliers, Ciphertext offsets,
            Ciphertext spread) {
        if (names.size() != packing.features()) {
            throw new IllegalArgumentException("one name per feature");
        }
        this.params = params;
        this.packing = packing;
        this.rows = rows;
        this.learningRate = learningRate;
        this.labelName = labelName;
        this.names = List.copyOf(names);
        this.data = List.copyOf(data);
        this.sum = sum;
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

    public int rows() {
        return rows;
    }

    public int features() {
        return packing.features();
    }

    /** γ_0 suggested by the data owner for its scaling (see {@link TrainingSetEncryptor#defaultLearningRate}). */
    public double learningRate() {
        return learningRate;
    }

    public String labelName() {
        return labelName;
    }

    public List<String> names() {
        return names;
    }

    /** The data ciphertexts (fresh, top level). */
    public List<Ciphertext> data() {
        return data;
    }

    /** Σ z_i, replicated in every block (fresh). */
    public Ciphertext sum() {
        return sum;
    }

    Ciphertext multipliers() {
        return multipliers;
    }

    Ciphertext offsets() {
        return offsets;
    }

    /** (0, h_1, …, h_d) in even blocks, (0, c_1, …, c_d) in odd blocks. */
    Ciphertext spread() {
        return spread;
    }

    /**
     * The union of training sets encrypted under the same (collective) key with the same features and the same
     * agreed scaling: the cloud trains on all their records as one set. The scaling vectors and learning rate of the
     * first set are kept (the hospitals agreed on them beforehand; the cloud cannot check it).
     */
    public static EncryptedTrainingSet pool(List<EncryptedTrainingSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("nothing to pool");
        }
        EncryptedTrainingSet first = sets.get(0);
        List<Ciphertext> all = new ArrayList<>();
        org.glovebox.he.ckks.Evaluator adder = new org.glovebox.he.ckks.Evaluator(first.params);
        Ciphertext sum = null;
        long rows = 0;
        for (EncryptedTrainingSet s : sets) {
            if (!s.params.sameAs(first.params)) {
                throw new IllegalArgumentException("training sets use different parameter sets (or keys)");
            }
            if (!s.names.equals(first.names) || !s.packing.equals(first.packing)) {
                throw new IllegalArgumentException("training sets have different features");
            }
            all.addAll(s.data);
            sum = sum == null ? s.sum : adder.add(sum, s.sum);
            rows += s.rows;
        }
        if (rows > Containers.MAX_ROWS) {
            throw new IllegalArgumentException("too many rows");
        }
        return new EncryptedTrainingSet(first.params, first.packing, (int) rows, first.learningRate, first.labelName,
                first.names, all, sum, first.multipliers, first.offsets, first.spread);
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        Containers.writeHeader(out, MAGIC, VERSION);
        out.writeInt(rows);
        out.writeInt(packing.features());
        out.writeInt(packing.blockWidth());
        out.writeInt(packing.slots());
        out.writeDouble(learningRate);
        Containers.writeName(out, labelName);
        Containers.writeNames(out, names);
        out.writeInt(data.size());
        for (Ciphertext ct : data) {
            Containers.writeCiphertext(out, ct);
        }
        Containers.writeCiphertext(out, sum);
        Containers.writeCiphertext(out, multipliers);
        Containers.writeCiphertext(out, offsets);
        Containers.writeCiphertext(out, spread);
        out.flush();
    }

    /** Reads a training set made with {@code params}; refuses anything malformed, truncated or inconsistent. */
    public static EncryptedTrainingSet read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            Containers.readHeader(in, MAGIC, VERSION, "an encrypted training set");
            int rows = Containers.readInt(in, "row count", 1, Containers.MAX_ROWS);
            int features = Containers.readInt(in, "feature count", 1, Containers.MAX_COLUMNS);
            int width = in.readInt();
            int slots = in.readInt();
            if (slots != params.maxSlots()) {
                throw new MalformedDataException("slot count " + slots + " does not match the parameters ("
                        + params.maxSlots() + ")");
            }
            RowPacking packing;
            try {
                packing = new RowPacking(features, width, slots);
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("invalid packing: " + e.getMessage());
            }
            double rate = Containers.readDouble(in, "learning rate", 1e-9, 1e6);
            String label = Containers.readName(in);
            List<String> names = Containers.readNames(in, features);
            int count = in.readInt();
            int minCts = packing.ciphertexts(rows);
            // Pooled sets hold one partly filled ciphertext per hospital: allow up to one per 1 row.
            if (count < minCts || count > rows) {
                throw new MalformedDataException("ciphertext count " + count + " does not fit " + rows + " rows");
            }
            List<Ciphertext> data = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                data.add(Containers.readCiphertext(in, params, slots, true, "data ciphertext " + k));
            }
            Ciphertext sum = Containers.readCiphertext(in, params, slots, true, "record sum");
            Ciphertext a = Containers.readCiphertext(in, params, slots, true, "scaling multipliers");
            Ciphertext b = Containers.readCiphertext(in, params, slots, true, "scaling offsets");
            Ciphertext c = Containers.readCiphertext(in, params, slots, true, "scaling spread");
            Containers.requireEnd(in, "training set");
            return new EncryptedTrainingSet(params, packing, rows, rate, label, names, data, sum, a, b, c);
        } catch (EOFException e) {
            throw new MalformedDataException("training set is truncated", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptedTrainingSet[" + rows + " rows x " + packing.features() + " features, " + data.size()
                + " ciphertexts]";
    }
}
