package org.glovebox.he.io;

import java.math.BigInteger;

/**
 * Lossy transport compression of residues modulo one prime by modulus switching (as SEAL's switch to the smallest
 * modulus before sending, and Kyber's ciphertext compression): a residue r mod q is sent as
 *
 * <pre>  x = round(r · 2^b / q) mod 2^b          (b bits)</pre>
 *
 * and the receiver maps it back to r' = round(x · q / 2^b) mod q. The round trip changes r by δ = r' − r (taken
 * centered mod q) with
 *
 * <pre>  |δ| ≤ Δ/2 + 1/2,   Δ = q / 2^b   (the step)</pre>
 *
 * and, for residues that are uniform modulo q (ciphertext parts are), δ is close to uniform on [−Δ/2, Δ/2]: variance
 * about (Δ² + 1)/12 ({@link #errorVariance}). With b equal to the bit width of q (Δ &lt; 1) the round trip is exact.
 *
 * <p>Where it is correct: on the <em>coefficients</em> (not the NTT values) of a polynomial modulo a single prime,
 * because only there is a small change of every value a small polynomial; a ciphertext (c_0, c_1) then decrypts to
 * m + e + δ_0 + δ_1·s, so the receiver sees extra noise of variance Var(δ_0) + N·Var(s_j)·Var(δ_1) per coefficient.
 * Multi-prime (RNS) polynomials would need the rounding of the whole CRT value and are not supported.
 *
 * <p>Everything is exact integer arithmetic on {@code long} (Barrett division of the 128-bit r·2^b by q with a
 * precomputed reciprocal); every x in [0, 2^b) is a valid input of {@link #decompress}, so a reader needs no range
 * check beyond the width itself.
 */
public final class ResidueCompression {
    /** Smallest admissible width. */
    public static final int MIN_BITS = 1;

    private ResidueCompression() {
    }

    /** The bit width of q: the largest admissible compressed width, at which compression is exact. */
    public static int modulusBits(long q) {
        return 64 - Long.numberOfLeadingZeros(q);
    }

    /**
     * Checks that {@code bits} is an admissible width for the modulus q: 1 ≤ bits ≤ bit width of q (wider would
     * be larger than the uncompressed residue and is refused as a sign of a wrong format).
     *
     * @throws IllegalArgumentException if it is not, or if q is not an odd modulus in [3, 2^61)
     */
    public static void checkWidth(long q, int bits) {
        if (q < 3 || (q & 1) == 0 || modulusBits(q) > 61) {
            throw new IllegalArgumentException("modulus " + q + " must be odd and in [3, 2^61)");
        }
        if (bits < MIN_BITS || bits > modulusBits(q)) {
            throw new IllegalArgumentException("compressed width " + bits + " is outside [1, " + modulusBits(q)
                    + "] (the bit width of the modulus)");
        }
    }

    /** The step Δ = q / 2^bits between the residues a compressed value can stand for. */
    public static double step(long q, int bits) {
        checkWidth(q, bits);
        return Math.scalb((double) q, -bits);
    }

    /** Largest |r' − r| (centered) of one round trip: Δ/2 + 1/2, or 0 when the width is that of q (exact). */
    public static double errorBound(long q, int bits) {
        return bits == modulusBits(q) ? 0 : step(q, bits) / 2 + 0.5;
    }

    /**
     * Variance of the round-trip error of a residue uniform modulo q: (Δ² + 1)/12 (uniform rounding to the step,
     * then to an integer), or 0 when the width is that of q.
     */
    public static double errorVariance(long q, int bits) {
        double d = step(q, bits);
        return bits == modulusBits(q) ? 0 : (d * d + 1) / 12;
    }

    /**
     * The smallest width whose step Δ = q/2^b is at most {@code maxStep} (at least 1, at most the width of q).
     */
    public static int widthForStep(long q, double maxStep) {
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("the step must be positive, got " + maxStep);
        }
        int max = modulusBits(q);
        for (int b = MIN_BITS; b < max; b++) {
            if (Math.scalb((double) q, -b) <= maxStep) {
                return b;
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- one residue (reference path)

    /** x = round(r · 2^bits / q) mod 2^bits for a residue 0 ≤ r &lt; q. */
    public static long compress(long r, long q, int bits) {
        checkWidth(q, bits);
        return new Compressor(q, bits).compress(r);
    }

    /** r' = round(x · q / 2^bits) mod q for 0 ≤ x &lt; 2^bits. */
    public static long decompress(long x, long q, int bits) {
        checkWidth(q, bits);
        if (x < 0 || (x >>> bits) != 0) {
            throw new IllegalArgumentException("compressed value " + x + " does not fit in " + bits + " bits");
        }
        return decompressUnchecked(x, q, bits);
    }

    // ---------------------------------------------------------------- arrays (hot path)

    /**
     * Compresses residues (each in [0, q)) into {@code out} (may be the same array).
     *
     * @throws IllegalArgumentException for an inadmissible width or a residue outside [0, q)
     */
    public static void compress(long[] residues, long q, int bits, long[] out) {
        checkWidth(q, bits);
        if (out.length < residues.length) {
            throw new IllegalArgumentException("output array is shorter than the input");
        }
        Compressor c = new Compressor(q, bits);
        for (int i = 0; i < residues.length; i++) {
            out[i] = c.compress(residues[i]);
        }
    }

    /**
     * Maps compressed values (each in [0, 2^bits)) back to residues in [0, q), into {@code out} (may be the same
     * array).
     *
     * @throws IllegalArgumentException for an inadmissible width or a value wider than {@code bits}
     */
    public static void decompress(long[] values, long q, int bits, long[] out) {
        checkWidth(q, bits);
        if (out.length < values.length) {
            throw new IllegalArgumentException("output array is shorter than the input");
        }
        for (int i = 0; i < values.length; i++) {
            long x = values[i];
            if ((x >>> bits) != 0) {
                throw new IllegalArgumentException("compressed value at index " + i + " does not fit in " + bits
                        + " bits");
            }
            out[i] = decompressUnchecked(x, q, bits);
        }
    }

    /** floor((x·q + 2^(bits−1)) / 2^bits), reduced mod q (it can only equal q when the step is below 1/2). */
    private static long decompressUnchecked(long x, long q, int bits) {
        // x < 2^61 and q < 2^61: the product is below 2^122 and non-negative, so the signed high word is exact
        long hi = Math.multiplyHigh(x, q);
        long lo = x * q;
        long half = 1L << (bits - 1);
        long sum = lo + half;
        if (Long.compareUnsigned(sum, lo) < 0) {
            hi++;
        }
        long y = (hi << (64 - bits)) | (sum >>> bits);
        return y >= q ? y - q : y;
    }

    /**
     * Exact round(r·2^b/q) by Barrett division: with s the bit width of q, μ = floor(2^(s+b)/q) and
     * t = floor(n/2^(s−1)) for n = r·2^b + floor(q/2) &lt; 2^(s+b), the estimate floor(t·μ/2^(b+1)) is at most two
     * below floor(n/q) (the classic Barrett bound), and the remainder n − estimate·q (below 3q &lt; 2^63, so exact in
     * 64 bits) corrects it.
     */
    private static final class Compressor {
        private final long q;
        private final int bits;
        private final int s;
        private final long mu;
        private final long half;
        private final long mask;

        Compressor(long q, int bits) {
            this.q = q;
            this.bits = bits;
            this.s = modulusBits(q);
            // once per array, not per residue: 2^(s+b) has up to 122 bits
            this.mu = BigInteger.ONE.shiftLeft(s + bits).divide(BigInteger.valueOf(q)).longValueExact();
            this.half = q >>> 1;
            this.mask = (1L << bits) - 1;
        }

        long compress(long r) {
            if (r < 0 || r >= q) {
                throw new IllegalArgumentException("residue " + r + " is not in [0, " + q + ")");
            }
            // n = r·2^b + floor(q/2) as (hi, lo); bits ≤ 61 < 64
            long hi = r >>> (64 - bits);
            long lo = r << bits;
            long n = lo + half;
            if (Long.compareUnsigned(n, lo) < 0) {
                hi++;
            }
            lo = n;
            // t = floor(n / 2^(s-1)) < 2^(b+1), with 1 ≤ s-1 ≤ 60
            int sh = s - 1;
            long t = (hi << (64 - sh)) | (lo >>> sh);
            // estimate = floor(t·μ / 2^(b+1)); t, μ < 2^62 so the product is below 2^124 and non-negative
            long ph = Math.multiplyHigh(t, mu);
            long pl = t * mu;
            int sh2 = bits + 1;
            long est = (ph << (64 - sh2)) | (pl >>> sh2);
            long rem = lo - est * q;
            while (rem >= q) {
                est++;
                rem -= q;
            }
            return est & mask;
        }
    }
}
