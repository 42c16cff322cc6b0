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
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.io.Containers;

/**
 * The encrypted pairwise sums of {@link EncryptedCrossProducts}, as the untrusted party returns them. File format
 * "GBXP" version 1: magic, version, column names, pair count, then per pair: the two column indices, a flag (1 when
 * the weighted-square sums follow), Σu_a·u_b, Σu_a·conj(u_b) [, Σ|u_a|^2·u_b, Σ|u_b|^2·u_a].
 */
public final class CrossProductResult {
    public static final int MAGIC = 0x47425850; // "GBXP"
    static final int VERSION = 1;
    static final int MAX_PAIRS = 1 << 16;

    /** One pair's encrypted sums (squares null when a == b). */
    record Pair(int a, int b, Ciphertext product, Ciphertext mixed, Ciphertext squaresA, Ciphertext squaresB) {
    }

    private final Parameters params;
    private final List<String> names;
    private final List<Pair> pairs;

    CrossProductResult(Parameters params, List<String> names, List<Pair> pairs) {
        this.params = params;
        this.names = List.copyOf(names);
        this.pairs = List.copyOf(pairs);
    }

    public List<String> names() {
        return names;
    }

    Parameters parameters() {
        return params;
    }

    List<Pair> pairs() {
        return pairs;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        Containers.writeHeader(out, MAGIC, VERSION);
        Containers.writeNames(out, names);
        out.writeInt(pairs.size());
        for (Pair p : pairs) {
            out.writeInt(p.a());
            out.writeInt(p.b());
            out.writeByte(p.squaresA() != null ? 1 : 0);
            Containers.writeCiphertext(out, p.product());
            Containers.writeCiphertext(out, p.mixed());
            if (p.squaresA() != null) {
                Containers.writeCiphertext(out, p.squaresA());
                Containers.writeCiphertext(out, p.squaresB());
            }
        }
        out.flush();
    }

    public static CrossProductResult read(InputStream is, Parameters params) throws IOException {
        DataInputStream in = new DataInputStream(is);
        try {
            Containers.readHeader(in, MAGIC, VERSION, "an encrypted cross-product result");
            List<String> names = Containers.readNames(in, -1);
            int cols = names.size();
            int count = Containers.readInt(in, "pair count", 0, Math.min(MAX_PAIRS, cols * (cols + 1) / 2));
            List<Pair> pairs = new ArrayList<>(count);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            int slots = params.maxSlots();
            for (int i = 0; i < count; i++) {
                int a = Containers.readInt(in, "column index", 0, cols - 1);
                int b = Containers.readInt(in, "column index", 0, cols - 1);
                if (!seen.add(((long) Math.min(a, b) << 32) | Math.max(a, b))) {
                    throw new MalformedDataException("pair (" + a + ", " + b + ") appears twice");
                }
                int flag = in.readUnsignedByte();
                if (flag != (a != b ? 1 : 0)) {
                    throw new MalformedDataException("pair (" + a + ", " + b + ") has an invalid squares flag");
                }
                Ciphertext p = Containers.readCiphertext(in, params, slots, false, "pair product");
                Ciphertext m = Containers.readCiphertext(in, params, slots, false, "pair mixed product");
                Ciphertext sa = null;
                Ciphertext sb = null;
                if (flag == 1) {
                    sa = Containers.readCiphertext(in, params, slots, false, "pair squares");
                    sb = Containers.readCiphertext(in, params, slots, false, "pair squares");
                }
                pairs.add(new Pair(a, b, p, m, sa, sb));
            }
            Containers.requireEnd(in, "cross-product result");
            return new CrossProductResult(params, names, pairs);
        } catch (EOFException e) {
            throw new MalformedDataException("cross-product result is truncated", e);
        }
    }
}
