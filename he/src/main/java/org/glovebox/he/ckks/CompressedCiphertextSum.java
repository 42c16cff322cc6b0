package org.glovebox.he.ckks;

import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.ring.RnsPoly;

/**
 * A running sum of compressed ciphertexts ({@link Serialization#writeCompressedCiphertext}) of one shape: the same
 * parameters, widths, slot count and scale. The sum is kept in coefficient form, where the transport format already
 * is, so each added ciphertext is read, validated and decompressed but not transformed; {@link #toCiphertext}
 * transforms once. An aggregator of k uploads thus spends two number-theoretic transforms per sum instead of 2k.
 * The result equals, residue by residue, the {@link Evaluator#add} sum of the same ciphertexts read by
 * {@link Serialization#compressedCiphertextFromBytes(byte[], Parameters, int, int)}.
 *
 * <p>Every refusal (malformed or truncated bytes, other parameters or widths, another slot count or scale than the
 * terms already added) throws and leaves the sum as it was. Not thread-safe.
 */
public final class CompressedCiphertextSum {
    private final Parameters params;
    private final int c0Bits;
    private final int c1Bits;
    private final long q;
    private long[] c0; // null while empty
    private long[] c1;
    private int terms;
    private int slots;
    private double scale;

    /** An empty sum of ciphertexts compressed to exactly these widths. */
    public CompressedCiphertextSum(Parameters params, int c0Bits, int c1Bits) {
        this.params = params;
        this.q = params.q(0);
        ResidueCompression.checkWidth(q, c0Bits);
        ResidueCompression.checkWidth(q, c1Bits);
        this.c0Bits = c0Bits;
        this.c1Bits = c1Bits;
    }

    /** Reads one compressed ciphertext (nothing may follow it) and adds it. */
    public void add(byte[] compressed) throws MalformedDataException {
        Serialization.CompressedParts p = Serialization.fromBytes(compressed,
                in -> Serialization.readCompressedParts(in, params, c0Bits, c1Bits));
        if (terms > 0 && (p.slots() != slots || p.scale() != scale)) {
            throw new MalformedDataException("a ciphertext of " + p.slots() + " slots at scale 2^" + log2(p.scale())
                    + " cannot join a sum of " + slots + " slots at scale 2^" + log2(scale));
        }
        if (terms == 0) {
            c0 = p.c0();
            c1 = p.c1();
            slots = p.slots();
            scale = p.scale();
        } else {
            addInto(c0, p.c0());
            addInto(c1, p.c1());
        }
        terms++;
    }

    /** Adds every term of {@code other} (same parameters, widths, slots and scale); {@code other} is unchanged. */
    public void add(CompressedCiphertextSum other) {
        if (!params.sameAs(other.params) || other.c0Bits != c0Bits || other.c1Bits != c1Bits) {
            throw new IllegalArgumentException("sums of different parameters or widths");
        }
        if (other.terms == 0) {
            return;
        }
        if (terms > 0 && (other.slots != slots || other.scale != scale)) {
            throw new IllegalArgumentException("sums of different slot counts or scales");
        }
        if (terms == 0) {
            c0 = other.c0.clone();
            c1 = other.c1.clone();
            slots = other.slots;
            scale = other.scale;
        } else {
            addInto(c0, other.c0);
            addInto(c1, other.c1);
        }
        terms += other.terms;
    }

    private void addInto(long[] acc, long[] x) {
        for (int i = 0; i < acc.length; i++) {
            long s = acc[i] + x[i] - q;
            acc[i] = s + ((s >> 63) & q);
        }
    }

    /** Number of ciphertexts added. */
    public int terms() {
        return terms;
    }

    public int slots() {
        return slots;
    }

    public double scale() {
        return scale;
    }

    /**
     * A copy of the sum's c_0 in coefficient form (as summed): for a decryption combined in coefficient form
     * ({@link org.glovebox.he.multiparty.KeySwitch#combinedSharesInCoefficientForm}).
     */
    public RnsPoly c0InCoefficientForm() {
        if (terms == 0) {
            throw new IllegalStateException("an empty sum has no ciphertext");
        }
        return new RnsPoly(new long[][] {c0.clone()});
    }

    /** The sum as an ordinary level-0 ciphertext (NTT domain). The sum itself is unchanged. */
    public Ciphertext toCiphertext() {
        if (terms == 0) {
            throw new IllegalStateException("an empty sum has no ciphertext");
        }
        long[] p0 = c0.clone();
        long[] p1 = c1.clone();
        params.ringQ().ntt(0).forward(p0);
        params.ringQ().ntt(0).forward(p1);
        return new Ciphertext(params, new RnsPoly[] {new RnsPoly(new long[][] {p0}), new RnsPoly(new long[][] {p1})},
                0, scale, slots, null);
    }

    private static String log2(double x) {
        return String.format(java.util.Locale.ROOT, "%.3f", Math.log(x) / Math.log(2));
    }
}
