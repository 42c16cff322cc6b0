package org.glovebox.ml.inference;

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
 * Encrypted scores (logits), one per patient, as the cloud returns them. COLUMNS: patient r in slot r mod N/2 of
 * ciphertext r / (N/2). ROWS: patient i of a ciphertext in all w slots of block 2i (averaged on decryption).
 * File format "GBSC" version 1:
 * magic, version, layout, rows, block width (ROWS; 0 for COLUMNS), ciphertext count, ciphertexts.
 */
public final class EncryptedScores {
    public static final int MAGIC = 0x47425343; // "GBSC"
    static final int VERSION = 1;

    private final Parameters params;
    private final RecordLayout layout;
    private final int rows;
    private final int blockWidth;
    private final List<Ciphertext> cts;

    EncryptedScores(Parameters params, RecordLayout layout, int rows, int blockWidth, List<Ciphertext> cts) {
        this.params = params;
        this.layout = layout;
        this.rows = rows;
        this.blockWidth = blockWidth;
        this.cts = List.copyOf(cts);
    }

    public Parameters parameters() {
        return params;
    }

    public RecordLayout layout() {
        return layout;
    }

    public int rows() {
        return rows;
    }

    public List<Ciphertext> ciphertexts() {
        return cts;
    }

    int blockWidth() {
        return blockWidth;
    }

    private static int perCiphertext(Parameters p, RecordLayout layout, int width) {
        return layout == RecordLayout.COLUMNS ? p.maxSlots() : Math.max(1, p.maxSlots() / (2 * width));
    }

    private static int expected(Parameters p, RecordLayout layout, int rows, int width) {
        int per = perCiphertext(p, layout, width);
        return Math.max(1, (rows + per - 1) / per);
    }

    /** The logits from the decrypted slots of each ciphertext (ROWS: the mean of the w copies). */
    double[] extract(List<double[]> decrypted) {
        double[] out = new double[rows];
        int per = perCiphertext(params, layout, blockWidth);
        for (int r = 0; r < rows; r++) {
            double[] slots = decrypted.get(r / per);
            if (layout == RecordLayout.COLUMNS) {
                out[r] = slots[r % per];
            } else {
                int base = 2 * (r % per) * blockWidth;
                double s = 0;
                for (int t = 0; t < blockWidth; t++) {
                    s += slots[base + t];
                }
                out[r] = s / blockWidth;
            }
        }
        return out;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        Containers.writeHeader(out, MAGIC, VERSION);
        out.writeByte(layout.ordinal());
        out.writeInt(rows);
        out.writeInt(blockWidth);
        out.writeInt(cts.size());
        for (Ciphertext ct : cts) {
            Containers.writeCiphertext(out, ct);
        }
        out.flush();
    }

    public static EncryptedScores read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            Containers.readHeader(in, MAGIC, VERSION, "encrypted scores");
            int code = in.readUnsignedByte();
            if (code >= RecordLayout.values().length) {
                throw new MalformedDataException("unknown layout code " + code);
            }
            RecordLayout layout = RecordLayout.values()[code];
            int rows = Containers.readInt(in, "row count", 1, Containers.MAX_ROWS);
            int width = in.readInt();
            if (layout == RecordLayout.COLUMNS ? width != 0
                    : width < 2 || 2 * width > params.maxSlots() || Integer.bitCount(width) != 1) {
                throw new MalformedDataException("block width " + width + " invalid for " + layout);
            }
            int count = in.readInt();
            int expected = expected(params, layout, rows, width);
            if (count != expected) {
                throw new MalformedDataException("ciphertext count " + count + ", " + rows + " scores need "
                        + expected);
            }
            List<Ciphertext> cts = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                cts.add(Containers.readCiphertext(in, params, params.maxSlots(), false, "score ciphertext " + k));
            }
            Containers.requireEnd(in, "scores");
            return new EncryptedScores(params, layout, rows, width, cts);
        } catch (EOFException e) {
            throw new MalformedDataException("scores file is truncated", e);
        }
    }
}
