package org.glovebox.he.math;

import java.math.BigInteger;

/**
 * A word-sized modulus q (2 &lt;= q &lt; 2^61) with the precomputed constants for fast modular arithmetic on {@code long}.
 *
 * <p>All methods take operands already reduced to [0, q) unless stated otherwise and return values in [0, q).
 * Products are formed exactly with {@link Math#multiplyHigh} and reduced by Barrett reduction; multiplication by a
 * fixed operand uses Shoup's precomputed quotient. The 61-bit limit leaves headroom for Harvey's lazy butterflies,
 * whose intermediate values live in [0, 4q) and must stay below 2^63.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Modulus {
    /** Largest supported modulus bit length. */
    public static final int MAX_BITS = 61;

    private final long q;
    private final int bits;
    /** floor(2^(2k) / q) for the single-word Barrett reduction of products, k = bit length of q. */
    private final long barrettMu;
    /** floor(2^128 / q) as two words, for reducing arbitrary 128-bit values. */
    private final long ratioHi;
    private final long ratioLo;

    public Modulus(long q) {
        if (q < 2 || 64 - Long.numberOfLeadingZeros(q) > MAX_BITS) {
            throw new IllegalArgumentException("modulus must be in [2, 2^" + MAX_BITS + "), got " + q);
        }
        this.q = q;
        this.bits = 64 - Long.numberOfLeadingZeros(q);
        BigInteger bq = BigInteger.valueOf(q);
        this.barrettMu = BigInteger.ONE.shiftLeft(2 * bits).divide(bq).longValueExact();
        BigInteger ratio = BigInteger.ONE.shiftLeft(128).divide(bq);
        this.ratioLo = ratio.longValue();
        this.ratioHi = ratio.shiftRight(64).longValue();
    }

    /** The modulus value. */
    public long value() {
        return q;
    }

    /** Bit length of the modulus. */
    public int bits() {
        return bits;
    }

    /** (a + b) mod q. */
    public long add(long a, long b) {
        long s = a + b - q;
        return s + ((s >> 63) & q);
    }

    /** (a - b) mod q. */
    public long sub(long a, long b) {
        long s = a - b;
        return s + ((s >> 63) & q);
    }

    /** (-a) mod q. */
    public long neg(long a) {
        return a == 0 ? 0 : q - a;
    }

    /** (a * b) mod q for a, b in [0, q). */
    public long mul(long a, long b) {
        return reduceProduct(Math.multiplyHigh(a, b), a * b);
    }

    /**
     * Reduces a 128-bit value hi·2^64 + lo that is smaller than 2^(2k), such as the product of two residues.
     */
    public long reduceProduct(long hi, long lo) {
        int k = bits;
        long t = (hi << (65 - k)) | (lo >>> (k - 1));
        long qh = Math.multiplyHigh(t, barrettMu);
        long ql = t * barrettMu;
        long qhat = (qh << (63 - k)) | (ql >>> (k + 1));
        long r = lo - qhat * q;
        r -= q;
        r += (r >> 63) & q;
        r -= q;
        r += (r >> 63) & q;
        return r;
    }

    /** Reduces any unsigned 128-bit value hi·2^64 + lo modulo q. */
    public long reduce128(long hi, long lo) {
        long carry = Math.unsignedMultiplyHigh(lo, ratioLo);
        long t2lo = lo * ratioHi;
        long t2hi = Math.unsignedMultiplyHigh(lo, ratioHi);
        long t1 = t2lo + carry;
        long t3 = t2hi + (Long.compareUnsigned(t1, carry) < 0 ? 1 : 0);
        long u2lo = hi * ratioLo;
        long u2hi = Math.unsignedMultiplyHigh(hi, ratioLo);
        long s = t1 + u2lo;
        long c = u2hi + (Long.compareUnsigned(s, t1) < 0 ? 1 : 0);
        long quotient = hi * ratioHi + t3 + c;
        long r = lo - quotient * q;
        return r >= q || r < 0 ? r - q : r;
    }

    /** x mod q for an unsigned 64-bit x (one Barrett step with floor(2^64 / q)). */
    public long reduceUnsigned(long x) {
        long r = x - Math.unsignedMultiplyHigh(x, ratioHi) * q;
        return r >= q || r < 0 ? r - q : r;
    }

    /** x mod q for any signed 64-bit x. */
    public long reduce(long x) {
        long r = x % q;
        return r < 0 ? r + q : r;
    }

    /** The Shoup quotient floor(w · 2^64 / q) of a fixed multiplicand w in [0, q). */
    public long shoup(long w) {
        if (w < 0 || w >= q) {
            throw new IllegalArgumentException("Shoup operand must be in [0, q)");
        }
        // Restoring long division of w·2^64 by q, one quotient bit per step (w < q < 2^61, so no overflow).
        long rem = w;
        long quot = 0;
        for (int i = 0; i < 64; i++) {
            rem <<= 1;
            quot <<= 1;
            if (rem >= q) {
                rem -= q;
                quot |= 1;
            }
        }
        return quot;
    }

    /** (a * w) mod q in [0, 2q) using w's Shoup quotient; a may be any value below 2^63. */
    public long mulShoupLazy(long a, long w, long wShoup) {
        long hi = Math.unsignedMultiplyHigh(a, wShoup);
        return a * w - hi * q;
    }

    /** (a * w) mod q in [0, q) using w's Shoup quotient. */
    public long mulShoup(long a, long w, long wShoup) {
        long r = a * w - Math.unsignedMultiplyHigh(a, wShoup) * q;
        r -= q;
        return r + ((r >> 63) & q);
    }

    /** a^e mod q for e &gt;= 0. */
    public long pow(long a, long e) {
        long result = 1 % q;
        long base = a % q;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = mul(result, base);
            }
            base = mul(base, base);
            e >>>= 1;
        }
        return result;
    }

    /** The inverse of a modulo q (q prime, a not divisible by q). */
    public long inverse(long a) {
        long r = reduce(a);
        if (r == 0) {
            throw new ArithmeticException("0 has no inverse modulo " + q);
        }
        return pow(r, q - 2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Modulus m && m.q == q;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(q);
    }

    @Override
    public String toString() {
        return "Modulus(" + q + ", " + bits + " bits)";
    }
}
