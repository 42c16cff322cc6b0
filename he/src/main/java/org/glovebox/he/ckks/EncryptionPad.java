package org.glovebox.he.ckks;

import java.util.Arrays;

/**
 * The secret half of a public-key encryption made before its message is known ({@link
 * Encryptor#padWithoutSpecialPrimes}): the mask c_1 = v·a + e_1 can be sent ahead (it is an RLWE sample and shows
 * nothing of the message to come), and the pad v·b + e_0 stays here until {@link #encryptCompressed} adds the encoded
 * message to it and sends the message part c_0. The two parts make a level-0 ciphertext over q_0 with the noise of
 * {@link Encryptor#encryptCompressedWithoutSpecialPrimes}.
 *
 * <p>Single use: a pad that served two messages would give away their difference (c_0 − c_0' = m − m'), so the
 * second call of {@link #encryptCompressed} throws, and the pad is erased after its use or by {@link #destroy}. Keep a
 * pad in memory only; it is as sensitive as the message it will hide. Thread-safe.
 */
public final class EncryptionPad {
    private final Parameters params;
    private final long[] pad;
    private final byte[] mask;
    private boolean used;

    EncryptionPad(Parameters params, long[] pad, byte[] mask) {
        this.params = params;
        this.pad = pad;
        this.mask = mask;
    }

    /** The mask part c_1 as sent ({@link Serialization#compressedPartBytes}, part 1): public. */
    public byte[] maskBytes() {
        return mask.clone();
    }

    /**
     * The message part c_0 = pad + Δ·m of the ciphertext whose mask is {@link #maskBytes}, compressed to
     * {@code c0Bits} ({@link Serialization#compressedPartBytes}, part 0); the values are encoded as by {@link
     * Encoder#encodeCoefficients} at level 0. Uses up the pad.
     *
     * @throws IllegalStateException if the pad was used or destroyed before
     * @throws IllegalArgumentException if the encoder belongs to other parameters, or as {@link
     *     Encoder#encodeCoefficients} and {@link Serialization#writeCompressedCiphertext} for the values and width
     */
    public synchronized byte[] encryptCompressed(Encoder encoder, double[] re, double[] im, int slots, double scale,
            int c0Bits) {
        if (used) {
            throw new IllegalStateException("this encryption pad was used (or destroyed) before: a pad hides one"
                    + " message only");
        }
        if (!params.sameAs(encoder.parameters())) {
            throw new IllegalArgumentException("encoder belongs to a different parameter set");
        }
        org.glovebox.he.io.ResidueCompression.checkWidth(params.q(0), c0Bits);
        long[] m = encoder.encodeCoefficients(re, im, slots, 0, scale).limb(0);
        used = true;
        long q = params.q(0);
        for (int c = 0; c < m.length; c++) {
            long sum = pad[c] + m[c] - q;
            m[c] = sum + ((sum >> 63) & q);
        }
        Arrays.fill(pad, 0);
        return Serialization.compressedPartFromCoefficients(params, 0, m, slots, scale, c0Bits);
    }

    /** Whether the pad was used or destroyed. */
    public synchronized boolean used() {
        return used;
    }

    /** Erases the pad (its mask may have been sent: the ciphertext it began is then never completed). */
    public synchronized void destroy() {
        used = true;
        Arrays.fill(pad, 0);
    }

    @Override
    public String toString() {
        return "EncryptionPad[" + (used() ? "used" : "unused") + "]";
    }
}
