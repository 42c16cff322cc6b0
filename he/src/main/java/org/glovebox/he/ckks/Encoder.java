package org.glovebox.he.ckks;

import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.math.SpecialFft;
import org.glovebox.he.ring.CrtReconstructor;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Encodes vectors of real or complex numbers into plaintexts through the canonical embedding (special FFT over the
 * powers of 5) and decodes them back. A vector of n values (n a power of two up to N/2) is packed into n slots;
 * fewer than N/2 slots is sparse packing, whose plaintexts replicate the vector N/(2n) times.
 *
 * <p>Values are multiplied by the scale and rounded; the encoding error is at most about sqrt(N)/scale per slot.
 * Thread-safe.
 */
public final class Encoder {
    private final Parameters params;
    private final Parallelism par;
    private final ConcurrentHashMap<Integer, SpecialFft> ffts = new ConcurrentHashMap<>();
    private final CrtReconstructor crt;

    public Encoder(Parameters params) {
        this(params, Parallelism.SERIAL);
    }

    public Encoder(Parameters params, Parallelism par) {
        this.params = params;
        this.par = par;
        this.crt = new CrtReconstructor(params.ringQ().moduli(params.maxLevel() + 1));
    }

    public Parameters parameters() {
        return params;
    }

    private SpecialFft fft(int slots) {
        return ffts.computeIfAbsent(slots, SpecialFft::new);
    }

    /** Real values, all N/2 slots, top level, default scale. */
    public Plaintext encode(double[] values) {
        return encode(values, null, params.maxSlots(), params.maxLevel(), params.defaultScale());
    }

    /** Real values into all N/2 slots at the given level and scale. */
    public Plaintext encode(double[] values, int level, double scale) {
        return encode(values, null, params.maxSlots(), level, scale);
    }

    /**
     * Complex values (re, im; im may be null for real values) into {@code slots} slots (a power of two, at most N/2;
     * shorter vectors are zero-padded) at the given level and scale.
     */
    public Plaintext encode(double[] re, double[] im, int slots, int level, double scale) {
        RnsPoly poly = encodeCoefficients(re, im, slots, level, scale);
        params.ringQ().ntt(poly, par);
        return new Plaintext(params, poly, level, scale, slots);
    }

    /**
     * The message polynomial of {@link #encode(double[], double[], int, int, double)} before its transform to the
     * NTT domain: the rounded, scaled coefficients over q_0 … q_level (for encryption straight into the coefficient
     * form that transport compression needs, {@link Encryptor#encryptCompressed}).
     */
    RnsPoly encodeCoefficients(double[] re, double[] im, int slots, int level, double scale) {
        int n = params.n();
        if (slots < 1 || slots > params.maxSlots() || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two in [1, " + params.maxSlots() + "], got "
                    + slots);
        }
        if (re.length > slots || (im != null && im.length > slots)) {
            throw new IllegalArgumentException("got " + Math.max(re.length, im == null ? 0 : im.length)
                    + " values for " + slots + " slots");
        }
        if (level < 0 || level > params.maxLevel()) {
            throw new IllegalArgumentException("level must be in [0, " + params.maxLevel() + "], got " + level);
        }
        if (!(scale >= 1) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and >= 1, got " + scale);
        }
        double[] r = new double[slots];
        double[] i = new double[slots];
        System.arraycopy(re, 0, r, 0, re.length);
        if (im != null) {
            System.arraycopy(im, 0, i, 0, im.length);
        }
        for (int k = 0; k < slots; k++) {
            if (!Double.isFinite(r[k]) || !Double.isFinite(i[k])) {
                throw new IllegalArgumentException("value at slot " + k + " is not finite");
            }
        }
        fft(slots).inverse(r, i);
        int gap = n / (2 * slots);
        double[] coeffs = new double[n];
        for (int k = 0; k < slots; k++) {
            coeffs[k * gap] = Math.rint(r[k] * scale);
            coeffs[(k + slots) * gap] = Math.rint(i[k] * scale);
        }
        RnsBasis rq = params.ringQ();
        RnsPoly poly = rq.newPoly(level + 1);
        writeRounded(coeffs, rq, poly);
        return poly;
    }

    /** Writes integer-valued doubles into every limb, exactly, also beyond 2^63. */
    static void writeRounded(double[] coeffs, RnsBasis basis, RnsPoly out) {
        int n = coeffs.length;
        boolean anyLarge = false;
        for (int c = 0; c < n; c++) {
            anyLarge |= !(Math.abs(coeffs[c]) < SMALL);
        }
        for (int j = 0; j < out.limbCount(); j++) {
            Modulus m = basis.modulus(j);
            long[] z = out.limb(j);
            if (!anyLarge) {
                reduceSmall(coeffs, m.value(), z);
                continue;
            }
            long q = m.value();
            double qInv = 1.0 / q;
            for (int c = 0; c < n; c++) {
                double v = coeffs[c];
                double a = Math.abs(v);
                if (a < SMALL) {
                    z[c] = reduceSmall(v, q, qInv);
                } else if (a < 0x1p62) {
                    long r = m.reduceUnsigned((long) a);
                    z[c] = v < 0 ? m.neg(r) : r;
                } else {
                    z[c] = residue(v, m);
                }
            }
        }
    }

    /** Below 2^52 an integer-valued double converts to a long exactly and its quotient by q is off by at most one. */
    private static final double SMALL = 0x1p52;

    /**
     * z[c] = coeffs[c] mod q for integer-valued |coeffs[c]| &lt; 2^52: one floating-point quotient, one product and three
     * conditional corrections, no branch, so the JIT vectorizes the loop (a Barrett reduction per value does not).
     */
    private static void reduceSmall(double[] coeffs, long q, long[] z) {
        double qInv = 1.0 / q;
        for (int c = 0; c < coeffs.length; c++) {
            z[c] = reduceSmall(coeffs[c], q, qInv);
        }
    }

    private static long reduceSmall(double v, long q, double qInv) {
        long x = (long) v;
        long k = (long) (v * qInv); // within one of x/q, so r below is in (-2q, 2q)
        long r = x - k * q;
        r += (r >> 63) & q;
        r += (r >> 63) & q;
        r -= q;
        return r + ((r >> 63) & q);
    }

    /** The residue of an integer-valued double modulo q. */
    static long residue(double v, Modulus m) {
        if (Math.abs(v) < 0x1p62) {
            return m.reduce((long) v);
        }
        int exp = Math.getExponent(v) - 52;
        long mantissa = (long) Math.scalb(Math.abs(v), -exp);
        long r = m.mul(m.reduce(mantissa), m.pow(2, exp));
        return v < 0 ? m.neg(r) : r;
    }

    /** Decodes the real parts of the slots. */
    public double[] decode(Plaintext pt) {
        return decodeComplex(pt)[0];
    }

    /** Decodes the slots as {real parts, imaginary parts}. */
    public double[][] decodeComplex(Plaintext pt) {
        if (!params.sameAs(pt.parameters())) {
            throw new IllegalArgumentException("plaintext belongs to a different parameter set");
        }
        RnsPoly coeff = pt.poly().copy();
        params.ringQ().intt(coeff, par);
        return decodeCoefficients(coeff, pt.scale(), pt.slots());
    }

    /**
     * Decodes a plaintext given in coefficient form (residues over q_0 … q_level, one limb per level) at {@code scale}
     * into {@code slots} slots as {real parts, imaginary parts}: {@link #decodeComplex} without its transform, for
     * callers that hold the coefficients already (a decryption combined in coefficient form).
     */
    public double[][] decodeComplexFromCoefficients(RnsPoly coefficients, double scale, int slots) {
        if (coefficients.degree() != params.n() || coefficients.limbCount() < 1
                || coefficients.limbCount() > params.maxLevel() + 1) {
            throw new IllegalArgumentException("coefficients of degree " + coefficients.degree() + " over "
                    + coefficients.limbCount() + " primes do not belong to these parameters");
        }
        if (slots < 1 || slots > params.maxSlots() || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two in [1, " + params.maxSlots() + "], got "
                    + slots);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        return decodeCoefficients(coefficients, scale, slots);
    }

    private double[][] decodeCoefficients(RnsPoly coeff, double scale, int slots) {
        int n = params.n();
        int limbs = coeff.limbCount();
        int gap = n / (2 * slots);
        double[] r = new double[slots];
        double[] i = new double[slots];
        long[] scratch = new long[limbs];
        double inv = 1.0 / scale;
        for (int k = 0; k < slots; k++) {
            r[k] = crt.centered(coeff, limbs, k * gap, scratch) * inv;
            i[k] = crt.centered(coeff, limbs, (k + slots) * gap, scratch) * inv;
        }
        fft(slots).forward(r, i);
        return new double[][] {r, i};
    }
}
