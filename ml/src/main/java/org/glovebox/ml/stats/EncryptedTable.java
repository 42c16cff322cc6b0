package org.glovebox.ml.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;

/**
 * Encrypted numeric columns: the column names and the row count in clear, every value encrypted (see
 * {@link ColumnPacking}). This is what a hospital hands to an untrusted party for statistics. The file format is a
 * small validated container ("GBTB", version 1) around ciphertexts in the he binary format.
 */
public final class EncryptedTable {
    static final int MAGIC = 0x47425442; // "GBTB"
    static final int VERSION = 1;
    static final int MAX_COLUMNS = 4096;
    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_ROWS = 100_000_000;

    private final Parameters params;
    private final List<String> names;
    private final int rows;
    private final List<Ciphertext[]> columns;

    EncryptedTable(Parameters params, List<String> names, int rows, List<Ciphertext[]> columns) {
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException("one name per column");
        }
        this.params = params;
        this.names = List.copyOf(names);
        this.rows = rows;
        this.columns = List.copyOf(columns);
    }

    public Parameters parameters() {
        return params;
    }

    public List<String> names() {
        return names;
    }

    public int rows() {
        return rows;
    }

    /** The ciphertexts of one column (shared array: do not modify). */
    Ciphertext[] column(int i) {
        return columns.get(i);
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(rows);
        out.writeInt(names.size());
        for (int c = 0; c < names.size(); c++) {
            writeName(out, names.get(c));
            Ciphertext[] cts = columns.get(c);
            out.writeInt(cts.length);
            for (Ciphertext ct : cts) {
                Serialization.writeCiphertext(ct, out);
            }
        }
        out.flush();
    }

    static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    static String readName(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        if (len > MAX_NAME_BYTES) {
            throw new MalformedDataException("column name of " + len + " bytes exceeds " + MAX_NAME_BYTES);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Reads a table made with {@code params}; refuses anything malformed, truncated or from other parameters. */
    public static EncryptedTable read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            if (in.readInt() != MAGIC) {
                throw new MalformedDataException("not an encrypted table (bad magic)");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new MalformedDataException("unsupported encrypted-table version " + version);
            }
            int rows = in.readInt();
            if (rows < 0 || rows > MAX_ROWS) {
                throw new MalformedDataException("row count " + rows + " out of range");
            }
            int cols = in.readInt();
            if (cols < 0 || cols > MAX_COLUMNS) {
                throw new MalformedDataException("column count " + cols + " out of range");
            }
            int expected = ColumnPacking.ciphertexts(rows, params.maxSlots());
            List<String> names = new ArrayList<>();
            List<Ciphertext[]> columns = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                names.add(readName(in));
                int count = in.readInt();
                if (count != expected) {
                    throw new MalformedDataException("column " + c + " has " + count + " ciphertexts, " + rows
                            + " rows need " + expected);
                }
                Ciphertext[] cts = new Ciphertext[count];
                for (int k = 0; k < count; k++) {
                    cts[k] = Serialization.readCiphertext(in, params);
                    if (cts[k].size() != 2 || cts[k].level() != params.maxLevel()) {
                        throw new MalformedDataException("column " + c + " ciphertext " + k
                                + " is not a fresh encryption");
                    }
                }
                columns.add(cts);
            }
            if (in.read() != -1) {
                throw new MalformedDataException("unexpected data after the end of the table");
            }
            return new EncryptedTable(params, names, rows, columns);
        } catch (EOFException e) {
            throw new MalformedDataException("encrypted table is truncated", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptedTable[" + rows + " rows, columns " + names + "]";
    }
}
