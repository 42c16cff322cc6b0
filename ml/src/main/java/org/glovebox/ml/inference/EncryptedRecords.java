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
import org.glovebox.ml.lr.RowPacking;

/**
 * Patient records to be scored, encrypted feature values in original units; in clear the feature names, the patient
 * count and the layout. File format "GBRC" version 1: magic, version, layout, rows, features, names, ciphertext
 * count, ciphertexts (COLUMNS: feature-major, {@code batches} per feature; ROWS: {@link RowPacking} blocks, each
 * patient twice).
 */
public final class EncryptedRecords {
    public static final int MAGIC = 0x47425243; // "GBRC"
    static final int VERSION = 1;

    private final Parameters params;
    private final RecordLayout layout;
    private final int rows;
    private final List<String> names;
    private final List<Ciphertext> cts;

    EncryptedRecords(Parameters params, RecordLayout layout, int rows, List<String> names, List<Ciphertext> cts) {
        this.params = params;
        this.layout = layout;
        this.rows = rows;
        this.names = List.copyOf(names);
        this.cts = List.copyOf(cts);
        if (cts.size() != expectedCiphertexts(params, layout, rows, names.size())) {
            throw new IllegalArgumentException("wrong ciphertext count for the layout");
        }
    }

    static int batches(Parameters params, int rows) {
        return Math.max(1, (rows + params.maxSlots() - 1) / params.maxSlots());
    }

    static int expectedCiphertexts(Parameters params, RecordLayout layout, int rows, int features) {
        return layout == RecordLayout.COLUMNS ? features * batches(params, rows)
                : (rows + perCiphertext(RowPacking.of(features, params.maxSlots())) - 1)
                        / perCiphertext(RowPacking.of(features, params.maxSlots()));
    }

    /** ROWS: patients per ciphertext (each takes two blocks). */
    static int perCiphertext(RowPacking p) {
        return Math.max(1, p.recordsPerCiphertext() / 2);
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

    public int features() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    /** COLUMNS: batches of N/2 patients. */
    public int batches() {
        return batches(params, rows);
    }

    /** COLUMNS: the ciphertext of feature j for batch b. */
    public Ciphertext column(int j, int batch) {
        requireLayout(RecordLayout.COLUMNS);
        return cts.get(j * batches() + batch);
    }

    /** ROWS: the packing. */
    public RowPacking packing() {
        requireLayout(RecordLayout.ROWS);
        return RowPacking.of(names.size(), params.maxSlots());
    }

    /** ROWS: the ciphertexts in order. */
    public List<Ciphertext> rowCiphertexts() {
        requireLayout(RecordLayout.ROWS);
        return cts;
    }

    private void requireLayout(RecordLayout l) {
        if (layout != l) {
            throw new IllegalStateException("records are in the " + layout + " layout, not " + l);
        }
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        Containers.writeHeader(out, MAGIC, VERSION);
        out.writeByte(layout.ordinal());
        out.writeInt(rows);
        Containers.writeNames(out, names);
        out.writeInt(cts.size());
        for (Ciphertext ct : cts) {
            Containers.writeCiphertext(out, ct);
        }
        out.flush();
    }

    public static EncryptedRecords read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            Containers.readHeader(in, MAGIC, VERSION, "encrypted records");
            int code = in.readUnsignedByte();
            if (code >= RecordLayout.values().length) {
                throw new MalformedDataException("unknown layout code " + code);
            }
            RecordLayout layout = RecordLayout.values()[code];
            int rows = Containers.readInt(in, "row count", 1, Containers.MAX_ROWS);
            List<String> names = Containers.readNames(in, -1);
            if (names.isEmpty()) {
                throw new MalformedDataException("no features");
            }
            if (layout == RecordLayout.ROWS && 2 * RowPacking.blockWidthFor(names.size()) > params.maxSlots()) {
                throw new MalformedDataException("too many features for the row layout");
            }
            long expected = layout == RecordLayout.COLUMNS ? (long) names.size() * batches(params, rows)
                    : expectedCiphertexts(params, layout, rows, names.size());
            int count = in.readInt();
            if (count != expected) {
                throw new MalformedDataException("ciphertext count " + count + ", the layout needs " + expected);
            }
            List<Ciphertext> cts = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                cts.add(Containers.readCiphertext(in, params, params.maxSlots(), true, "record ciphertext " + k));
            }
            Containers.requireEnd(in, "records");
            return new EncryptedRecords(params, layout, rows, names, cts);
        } catch (EOFException e) {
            throw new MalformedDataException("records file is truncated", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptedRecords[" + rows + " x " + names.size() + ", " + layout + "]";
    }
}
