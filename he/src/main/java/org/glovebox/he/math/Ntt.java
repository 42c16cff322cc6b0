package org.glovebox.he.math;

/**
 * Negacyclic number-theoretic transform over Z_q[X]/(X^N + 1) for one prime q = 1 mod 2N.
 *
 * <p>The forward transform (Cooley–Tukey) maps coefficients in natural order to evaluations in bit-reversed order:
 * output index j holds a(psi^(2·bitrev(j) + 1)); the inverse (Gentleman–Sande) undoes it. Both use Harvey's lazy
 * butterflies with precomputed Shoup twiddles, so intermediate values stay in [0, 4q) and are reduced once at the
 * end. Arrays are transformed in place and must hold values in [0, q). Instances are immutable and thread-safe.
 */
public final class Ntt {
    private final Modulus modulus;
    private final int n;
    private final int logN;
    private final long psi;
    private final long[] rootPowers;
    private final long[] rootPowersShoup;
    private final long[] invRootPowers;
    private final long[] invRootPowersShoup;
    private final long nInv;
    private final long nInvShoup;
    /** nInv · psi^-(N/2 bitreversed) merged into the last inverse stage. */
    private final long lastInvRoot;
    private final long lastInvRootShoup;
    /** The SIMD-friendly transforms for primes below 2^50, or null (scalar transforms only). */
    private final VectorizedNtt vectorized;

    /**
     * {@code -Dglovebox.ntt.scalar=true} keeps every transform on the scalar integer path (before/after benchmarks of
     * the floating-point path; results are identical either way).
     */
    private static final boolean SCALAR_ONLY = Boolean.getBoolean("glovebox.ntt.scalar");

    public Ntt(Modulus modulus, int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("ring degree must be a power of two, got " + n);
        }
        this.modulus = modulus;
        this.n = n;
        this.logN = Integer.numberOfTrailingZeros(n);
        this.psi = Primes.primitiveRoot2N(modulus, n);
        long psiInv = modulus.inverse(psi);
        rootPowers = new long[n];
        rootPowersShoup = new long[n];
        invRootPowers = new long[n];
        invRootPowersShoup = new long[n];
        long p = 1;
        long pi = 1;
        for (int i = 0; i < n; i++) {
            int r = bitReverse(i, logN);
            rootPowers[r] = p;
            invRootPowers[r] = pi;
            p = modulus.mul(p, psi);
            pi = modulus.mul(pi, psiInv);
        }
        for (int i = 0; i < n; i++) {
            rootPowersShoup[i] = modulus.shoup(rootPowers[i]);
            invRootPowersShoup[i] = modulus.shoup(invRootPowers[i]);
        }
        nInv = modulus.inverse(n);
        nInvShoup = modulus.shoup(nInv);
        lastInvRoot = modulus.mul(nInv, invRootPowers[1]);
        lastInvRootShoup = modulus.shoup(lastInvRoot);
        vectorized = !SCALAR_ONLY && VectorizedNtt.supports(modulus.value(), logN)
                ? new VectorizedNtt(modulus.value(), logN, rootPowers, invRootPowers, nInv) : null;
    }

    /** Reverses the lowest {@code bits} bits of {@code i}. */
    public static int bitReverse(int i, int bits) {
        return bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }

    public Modulus modulus() {
        return modulus;
    }

    public int degree() {
        return n;
    }

    /** The primitive 2N-th root of unity psi the transform evaluates at. */
    public long psi() {
        return psi;
    }

    /** Forward transform in place; input and output in [0, q). */
    public void forward(long[] a) {
        if (vectorized != null) {
            vectorized.forward(a);
            return;
        }
        forwardScalarLazy(a);
        long q = modulus.value();
        long twoQ = 2 * q;
        for (int i = 0; i < n; i++) {
            long x = a[i];
            x -= twoQ;
            x += (x >> 63) & twoQ;
            x -= q;
            x += (x >> 63) & q;
            a[i] = x;
        }
    }

    /**
     * Forward transform in place leaving outputs in [0, 4q) (input in [0, 4q)). For primes below 2^50 the outputs are
     * fully reduced (the floating-point path of {@link VectorizedNtt} costs nothing more for it).
     */
    public void forwardLazy(long[] a) {
        if (vectorized != null) {
            vectorized.forward(a);
            return;
        }
        forwardScalarLazy(a);
    }

    /** The integer transform with Harvey's lazy butterflies: input in [0, 4q), output in [0, 4q). */
    void forwardScalarLazy(long[] a) {
        long q = modulus.value();
        long twoQ = 2 * q;
        long[] w = rootPowers;
        long[] ws = rootPowersShoup;
        int t = n;
        int m = 1;
        // Stages with butterfly distance t >= 4. With an odd count, one radix-2 stage first; then the stages are
        // merged in pairs (radix 4: four elements loaded, two butterflies each, stored once), with exactly the same
        // butterflies, so the result is bit-identical to one stage at a time.
        int stages = logN >= 2 ? logN - 2 : 0;
        if ((stages & 1) == 1) {
            t >>= 1;
            for (int i = 0; i < m; i++) {
                int j1 = 2 * i * t;
                int j2 = j1 + t;
                long wi = w[m + i];
                long wsi = ws[m + i];
                for (int j = j1; j < j2; j++) {
                    long x = a[j];
                    x -= twoQ;
                    x += (x >> 63) & twoQ;
                    long y = a[j + t];
                    y = y * wi - Math.unsignedMultiplyHigh(y, wsi) * q;
                    a[j] = x + y;
                    a[j + t] = x - y + twoQ;
                }
            }
            m <<= 1;
            stages--;
        }
        for (; stages > 0; stages -= 2, m <<= 2) {
            // Stage (m, t) then stage (2m, t/2): group i covers [2it, 2it + 2t).
            int h = t >> 2;
            t >>= 1;
            for (int i = 0; i < m; i++) {
                int j1 = 2 * i * t;
                long w1 = w[m + i];
                long ws1 = ws[m + i];
                long w2 = w[2 * m + 2 * i];
                long ws2 = ws[2 * m + 2 * i];
                long w3 = w[2 * m + 2 * i + 1];
                long ws3 = ws[2 * m + 2 * i + 1];
                for (int j = j1; j < j1 + h; j++) {
                    long x0 = a[j];
                    long x1 = a[j + h];
                    long x2 = a[j + t];
                    long x3 = a[j + t + h];
                    // First stage: (x0, x2) and (x1, x3), twiddle w1.
                    x0 -= twoQ;
                    x0 += (x0 >> 63) & twoQ;
                    long y2 = x2 * w1 - Math.unsignedMultiplyHigh(x2, ws1) * q;
                    x1 -= twoQ;
                    x1 += (x1 >> 63) & twoQ;
                    long y3 = x3 * w1 - Math.unsignedMultiplyHigh(x3, ws1) * q;
                    long u0 = x0 + y2;
                    long u2 = x0 - y2 + twoQ;
                    long u1 = x1 + y3;
                    long u3 = x1 - y3 + twoQ;
                    // Second stage: (u0, u1) with w2, (u2, u3) with w3.
                    u0 -= twoQ;
                    u0 += (u0 >> 63) & twoQ;
                    long v1 = u1 * w2 - Math.unsignedMultiplyHigh(u1, ws2) * q;
                    u2 -= twoQ;
                    u2 += (u2 >> 63) & twoQ;
                    long v3 = u3 * w3 - Math.unsignedMultiplyHigh(u3, ws3) * q;
                    a[j] = u0 + v1;
                    a[j + h] = u0 - v1 + twoQ;
                    a[j + t] = u2 + v3;
                    a[j + t + h] = u2 - v3 + twoQ;
                }
            }
            t >>= 1;
        }
        if (n >= 4) {
            // The last two stages (t = 2, then t = 1) fused per block of four, to avoid per-pair loop overhead.
            int m2 = n >> 2;
            int m1 = n >> 1;
            for (int i = 0; i < m2; i++) {
                int j = 4 * i;
                long w2 = w[m2 + i];
                long ws2 = ws[m2 + i];
                long x0 = a[j];
                long x1 = a[j + 1];
                long x2 = a[j + 2];
                long x3 = a[j + 3];
                x0 -= twoQ;
                x0 += (x0 >> 63) & twoQ;
                x1 -= twoQ;
                x1 += (x1 >> 63) & twoQ;
                long y2 = x2 * w2 - Math.unsignedMultiplyHigh(x2, ws2) * q;
                long y3 = x3 * w2 - Math.unsignedMultiplyHigh(x3, ws2) * q;
                long u0 = x0 + y2;
                long u2 = x0 - y2 + twoQ;
                long u1 = x1 + y3;
                long u3 = x1 - y3 + twoQ;
                long wa = w[m1 + 2 * i];
                long wsa = ws[m1 + 2 * i];
                long wb = w[m1 + 2 * i + 1];
                long wsb = ws[m1 + 2 * i + 1];
                u0 -= twoQ;
                u0 += (u0 >> 63) & twoQ;
                u2 -= twoQ;
                u2 += (u2 >> 63) & twoQ;
                long v1 = u1 * wa - Math.unsignedMultiplyHigh(u1, wsa) * q;
                long v3 = u3 * wb - Math.unsignedMultiplyHigh(u3, wsb) * q;
                a[j] = u0 + v1;
                a[j + 1] = u0 - v1 + twoQ;
                a[j + 2] = u2 + v3;
                a[j + 3] = u2 - v3 + twoQ;
            }
        } else if (n == 2) {
            long x = a[0];
            x -= twoQ;
            x += (x >> 63) & twoQ;
            long y = a[1] * w[1] - Math.unsignedMultiplyHigh(a[1], ws[1]) * q;
            a[0] = x + y;
            a[1] = x - y + twoQ;
        }
    }

    /** Inverse transform in place; input in [0, 2q), output in [0, q). */
    public void inverse(long[] a) {
        if (vectorized != null) {
            vectorized.inverse(a);
            return;
        }
        inverseScalar(a);
    }

    /** The integer inverse transform with Harvey's lazy butterflies; input in [0, 2q), output in [0, q). */
    void inverseScalar(long[] a) {
        long q = modulus.value();
        long twoQ = 2 * q;
        long[] w = invRootPowers;
        long[] ws = invRootPowersShoup;
        int t = 1;
        int mStart = n >> 1;
        if (n >= 8) {
            // The first two stages (t = 1, then t = 2) fused per block of four, to avoid per-pair loop overhead.
            int m1 = n >> 1;
            int m2 = n >> 2;
            for (int i = 0; i < m2; i++) {
                int j = 4 * i;
                long x0 = a[j];
                long x1 = a[j + 1];
                long x2 = a[j + 2];
                long x3 = a[j + 3];
                long wa = w[m1 + 2 * i];
                long wsa = ws[m1 + 2 * i];
                long wb = w[m1 + 2 * i + 1];
                long wsb = ws[m1 + 2 * i + 1];
                long s0 = x0 + x1;
                s0 -= twoQ;
                s0 += (s0 >> 63) & twoQ;
                long d0 = x0 - x1 + twoQ;
                d0 = d0 * wa - Math.unsignedMultiplyHigh(d0, wsa) * q;
                long s1 = x2 + x3;
                s1 -= twoQ;
                s1 += (s1 >> 63) & twoQ;
                long d1 = x2 - x3 + twoQ;
                d1 = d1 * wb - Math.unsignedMultiplyHigh(d1, wsb) * q;
                long w2 = w[m2 + i];
                long ws2 = ws[m2 + i];
                long e0 = s0 + s1;
                e0 -= twoQ;
                e0 += (e0 >> 63) & twoQ;
                long f0 = s0 - s1 + twoQ;
                long e1 = d0 + d1;
                e1 -= twoQ;
                e1 += (e1 >> 63) & twoQ;
                long f1 = d0 - d1 + twoQ;
                a[j] = e0;
                a[j + 1] = e1;
                a[j + 2] = f0 * w2 - Math.unsignedMultiplyHigh(f0, ws2) * q;
                a[j + 3] = f1 * w2 - Math.unsignedMultiplyHigh(f1, ws2) * q;
            }
            t = 4;
            mStart = n >> 3;
        }
        // Middle stages (m = mStart down to 2). With an odd count, one radix-2 stage first; then pairs of stages are
        // merged (radix 4), with the same butterflies, so the result is bit-identical.
        int mid = mStart > 1 ? Integer.numberOfTrailingZeros(mStart) : 0;
        int m = mStart;
        if ((mid & 1) == 1) {
            int j1 = 0;
            for (int i = 0; i < m; i++) {
                int j2 = j1 + t;
                long wi = w[m + i];
                long wsi = ws[m + i];
                for (int j = j1; j < j2; j++) {
                    long x = a[j];
                    long y = a[j + t];
                    long s = x + y;
                    s -= twoQ;
                    s += (s >> 63) & twoQ;
                    a[j] = s;
                    long d = x - y + twoQ;
                    a[j + t] = d * wi - Math.unsignedMultiplyHigh(d, wsi) * q;
                }
                j1 += 2 * t;
            }
            t <<= 1;
            m >>= 1;
            mid--;
        }
        for (; mid > 0; mid -= 2, m >>= 2, t <<= 2) {
            // Stage (m, t) then stage (m/2, 2t): group i of the second covers [4it, 4it + 4t).
            int m2 = m >> 1;
            for (int i = 0; i < m2; i++) {
                int j1 = 4 * i * t;
                long wa = w[m + 2 * i];
                long wsa = ws[m + 2 * i];
                long wb = w[m + 2 * i + 1];
                long wsb = ws[m + 2 * i + 1];
                long wc = w[m2 + i];
                long wsc = ws[m2 + i];
                for (int j = j1; j < j1 + t; j++) {
                    long x0 = a[j];
                    long x1 = a[j + t];
                    long x2 = a[j + 2 * t];
                    long x3 = a[j + 3 * t];
                    long s0 = x0 + x1;
                    s0 -= twoQ;
                    s0 += (s0 >> 63) & twoQ;
                    long d0 = x0 - x1 + twoQ;
                    d0 = d0 * wa - Math.unsignedMultiplyHigh(d0, wsa) * q;
                    long s1 = x2 + x3;
                    s1 -= twoQ;
                    s1 += (s1 >> 63) & twoQ;
                    long d1 = x2 - x3 + twoQ;
                    d1 = d1 * wb - Math.unsignedMultiplyHigh(d1, wsb) * q;
                    long e0 = s0 + s1;
                    e0 -= twoQ;
                    e0 += (e0 >> 63) & twoQ;
                    long f0 = s0 - s1 + twoQ;
                    long e1 = d0 + d1;
                    e1 -= twoQ;
                    e1 += (e1 >> 63) & twoQ;
                    long f1 = d0 - d1 + twoQ;
                    a[j] = e0;
                    a[j + t] = e1;
                    a[j + 2 * t] = f0 * wc - Math.unsignedMultiplyHigh(f0, wsc) * q;
                    a[j + 3 * t] = f1 * wc - Math.unsignedMultiplyHigh(f1, wsc) * q;
                }
            }
        }
        // Last stage (m = 1) fused with the multiplication by 1/N.
        int half = n >> 1;
        long ni = nInv;
        long nis = nInvShoup;
        long lw = lastInvRoot;
        long lws = lastInvRootShoup;
        for (int j = 0; j < half; j++) {
            long x = a[j];
            long y = a[j + half];
            long s = x + y;
            long d = x - y + twoQ;
            long r0 = s * ni - Math.unsignedMultiplyHigh(s, nis) * q;
            long r1 = d * lw - Math.unsignedMultiplyHigh(d, lws) * q;
            r0 -= q;
            r0 += (r0 >> 63) & q;
            r1 -= q;
            r1 += (r1 >> 63) & q;
            a[j] = r0;
            a[j + half] = r1;
        }
    }
}
