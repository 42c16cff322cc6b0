package org.glovebox.ml.stats;

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
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;

/**
 * The encrypted aggregates of each column, as the untrusted party returns them: Σx + i·n per column and, for the
 * variance, Σ(x + i·m)^2. Only the secret-key holder can turn them into numbers ({@link StatisticsDecryptor}).
 * File format "GBST" version 1, validated on reading.
 */
public final class EncryptedStatisticsResult {
    static final int MAGIC = 0x47425354; // "GBST"
    static final int VERSION = 1;

    private final Parameters params;
    private final Statistic statistic;
    private final List<String> names;
    private final List<Ciphertext> totals;
    private final List<Ciphertext> squares;

    EncryptedStatisticsResult(Parameters params, Statistic statistic, List<String> names, List<Ciphertext> totals,
            List<Ciphertext> squares) {
        this.params = params;
        this.statistic = statistic;
        this.names = List.copyOf(names);
        this.totals = List.copyOf(totals);
        this.squares = squares == null ? null : List.copyOf(squares);
    }

    public Statistic statistic() {
        return statistic;
    }

    public List<String> names() {
        return names;
    }

    Ciphertext total(int c) {
        return totals.get(c);
    }

    Ciphertext squares(int c) {
        return squares.get(c);
    }

    Parameters parameters() {
        return params;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(statistic.ordinal());
        out.writeInt(names.size());
        for (int c = 0; c < names.size(); c++) {
            EncryptedTable.writeName(out, names.get(c));
            Serialization.writeCiphertext(totals.get(c), out);
            if (statistic.needsSquares()) {
                Serialization.writeCiphertext(squares.get(c), out);
            }
        }
        out.flush();
    }

    public static EncryptedStatisticsResult read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            if (in.readInt() != MAGIC) {
                throw new MalformedDataException("not an encrypted statistics result (bad magic)");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new MalformedDataException("unsupported statistics-result version " + version);
            }
            int code = in.readUnsignedByte();
            if (code >= Statistic.values().length) {
                throw new MalformedDataException("unknown statistic code " + code);
            }
            Statistic statistic = Statistic.values()[code];
            int cols = in.readInt();
            if (cols < 0 || cols > EncryptedTable.MAX_COLUMNS) {
                throw new MalformedDataException("column count " + cols + " out of range");
            }
            List<String> names = new ArrayList<>();
            List<Ciphertext> totals = new ArrayList<>();
            List<Ciphertext> squares = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                names.add(EncryptedTable.readName(in));
                totals.add(Serialization.readCiphertext(in, params));
                if (statistic.needsSquares()) {
                    squares.add(Serialization.readCiphertext(in, params));
                }
            }
            if (in.read() != -1) {
                throw new MalformedDataException("unexpected data after the end of the result");
            }
            return new EncryptedStatisticsResult(params, statistic, names, totals,
                    statistic.needsSquares() ? squares : null);
        } catch (EOFException e) {
            throw new MalformedDataException("statistics result is truncated", e);
        }
    }
}
