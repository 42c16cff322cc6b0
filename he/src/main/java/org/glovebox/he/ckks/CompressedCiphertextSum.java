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
 * <p>The sum also takes the parts of ciphertexts sent on their own ({@link Serialization#compressedPartBytes}: a
 * message part c_0 whose mask the receiver knows, as with {@code multiparty.KeyShareEncryptor}, or a mask c_1) and
 * counts them per part: {@link #messageTerms} and {@link #maskTerms}. Its c_0 exists once
 * a message part (or a whole ciphertext) is in; it is a ciphertext ({@link #toCiphertext}) only when both parts count
 * the same terms. Which masks belong to which messages is the caller's matter: the sum only adds.
 *
 * <p>Every refusal (malformed or truncated bytes, other parameters or widths, another slot count or scale than the
 * terms already added) throws and leaves the sum as it was. Not thread-safe.
 */
public final class CompressedCiphertextSum {
    private final Parameters params;
    private final int c0Bits;
    private final int c1Bits;
    private final long q;
    private long[] c0; // null until a message part (or a whole ciphertext) is added
    private long[] c1; // null until a mask part (or a whole ciphertext) is added
    private int messageTerms;
    private int maskTerms;
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

    /**
     * Reads one compressed ciphertext, or one part of one ({@link Serialization#compressedPartBytes}), and adds it;
     * nothing may follow it.
     */
    public void add(byte[] compressed) throws MalformedDataException {
        Serialization.CompressedParts p = Serialization.fromBytes(compressed,
                in -> Serialization.readCompressedCiphertextOrPart(in, params, c0Bits, c1Bits));
        if (p.c0() != null && messageTerms > 0 && (p.slots() != slots || p.scale() != scale)) {
            throw new MalformedDataException("a ciphertext of " + p.slots() + " slots at scale 2^" + log2(p.scale())
                    + " cannot join a sum of " + slots + " slots at scale 2^" + log2(scale));
        }
        if (p.c0() != null) {
            if (messageTerms == 0) {
                c0 = p.c0();
                slots = p.slots();
                scale = p.scale();
            } else {
                addInto(c0, p.c0());
            }
            messageTerms++;
        }
        if (p.c1() != null) {
            if (maskTerms == 0) {
                c1 = p.c1();
            } else {
                addInto(c1, p.c1());
            }
            maskTerms++;
        }
    }

    /**
     * Adds every term of {@code other} (same parameters and widths; its message terms of the same slots and scale);
     * {@code other} is unchanged.
     */
    public void add(CompressedCiphertextSum other) {
        if (!params.sameAs(other.params) || other.c0Bits != c0Bits || other.c1Bits != c1Bits) {
            throw new IllegalArgumentException("sums of different parameters or widths");
        }
        if (messageTerms > 0 && other.messageTerms > 0 && (other.slots != slots || other.scale != scale)) {
            throw new IllegalArgumentException("sums of different slot counts or scales");
        }
        if (other.messageTerms > 0) {
            if (messageTerms == 0) {
                c0 = other.c0.clone();
                slots = other.slots;
                scale = other.scale;
            } else {
                addInto(c0, other.c0);
            }
            messageTerms += other.messageTerms;
        }
        if (other.maskTerms > 0) {
            if (maskTerms == 0) {
                c1 = other.c1.clone();
            } else {
                addInto(c1, other.c1);
            }
            maskTerms += other.maskTerms;
        }
    }

    private void addInto(long[] acc, long[] x) {
        for (int i = 0; i < acc.length; i++) {
            long s = acc[i] + x[i] - q;
            acc[i] = s + ((s >> 63) & q);
        }
    }

    /** Number of whole ciphertexts added, when both parts count the same terms; otherwise IllegalStateException. */
    public int terms() {
        if (messageTerms != maskTerms) {
            throw new IllegalStateException("the sum holds " + messageTerms + " message parts and " + maskTerms
                    + " masks: not a sum of whole ciphertexts");
        }
        return messageTerms;
    }

    /** Number of message parts c_0 added (a whole ciphertext counts one here and one in {@link #maskTerms}). */
    public int messageTerms() {
        return messageTerms;
    }

    /** Number of masks c_1 added. */
    public int maskTerms() {
        return maskTerms;
    }

    /** Slot count of the message parts (0 before the first). */
    public int slots() {
        return slots;
    }

    /** Scale of the message parts (0 before the first). */
    public double scale() {
        return scale;
    }

    /**
     * A copy of the sum's c_0 in coefficient form (as summed): for a decryption combined in coefficient form
     * ({@link org.glovebox.he.multiparty.KeySwitch#combinedSharesInCoefficientForm}).
     *
     * @throws IllegalStateException if no message part was added
     */
    public RnsPoly c0InCoefficientForm() {
        if (messageTerms == 0) {
            throw new IllegalStateException("the sum has no message part");
        }
        return new RnsPoly(new long[][] {c0.clone()});
    }

    /**
     * The sum as an ordinary level-0 ciphertext (NTT domain). The sum itself is unchanged.
     *
     * @throws IllegalStateException if the sum is empty or its parts count different terms
     */
    public Ciphertext toCiphertext() {
        if (terms() == 0) {
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
