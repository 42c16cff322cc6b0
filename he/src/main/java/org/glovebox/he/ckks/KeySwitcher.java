package org.glovebox.he.ckks;

import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.BasisExtender;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Hybrid key switching (Han–Ki 2020; as in Lattigo): decompose a polynomial into digits of consecutive chain primes,
 * raise each digit, centered, to Q_l·P by base conversion (ModUp), take the inner product with a key-switching key, and divide by P
 * (ModDown). The decomposition can be reused for many keys (hoisting), and an NTT-domain automorphism can be folded
 * into the inner product so hoisted rotations cost one decomposition in total.
 */
final class KeySwitcher {
    private final Parameters params;
    private final RnsBasis rq;
    private final RnsBasis rp;
    private final int n;
    private final int k;
    private final long[] pInvModQ;
    private final long[] pInvModQShoup;
    /** The identity permutation, so the inner product has a single (gathering) loop. */
    private final int[] identity;
    private final ConcurrentHashMap<Long, BasisExtender> modUp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, BasisExtender> modDown = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, KeySwitcher> INSTANCES = new ConcurrentHashMap<>();

    private KeySwitcher(Parameters params) {
        this.params = params;
        this.rq = params.ringQ();
        this.rp = params.ringP();
        this.n = params.n();
        this.k = params.specialPrimeCount();
        int qs = rq.size();
        identity = java.util.stream.IntStream.range(0, n).toArray();
        pInvModQ = new long[qs];
        pInvModQShoup = new long[qs];
        for (int j = 0; j < qs; j++) {
            Modulus m = rq.modulus(j);
            long prod = 1;
            for (int i = 0; i < k; i++) {
                prod = m.mul(prod, m.reduceUnsigned(rp.modulus(i).value()));
            }
            pInvModQ[j] = m.inverse(prod);
            pInvModQShoup[j] = m.shoup(pInvModQ[j]);
        }
    }

    /** The shared instance for a parameter set (its tables are immutable). */
    static KeySwitcher of(Parameters params) {
        return INSTANCES.computeIfAbsent(
                java.util.HexFormat.of().formatHex(params.fingerprint()), f -> new KeySwitcher(params));
    }

    /** P mod q_j for every chain prime: the gadget factor of key-switching keys. */
    long pModQ(int j) {
        return rq.modulus(j).inverse(pInvModQ[j]);
    }

    /**
     * The digits of a polynomial raised to Q_l·P, NTT domain, ready for inner products with key-switching keys.
     * Residues are only lazily reduced, in [0, 4q).
     */
    static final class Decomposition {
        final int level;
        final RnsPoly[] digitQ;
        final RnsPoly[] digitP;

        Decomposition(int level, RnsPoly[] digitQ, RnsPoly[] digitP) {
            this.level = level;
            this.digitQ = digitQ;
            this.digitP = digitP;
        }
    }

    private BasisExtender modUpExtender(int level, int digit) {
        return modUp.computeIfAbsent(((long) level << 32) | digit, key -> {
            int start = params.digitStart(digit);
            int end = params.digitEnd(digit, level);
            Modulus[] from = new Modulus[end - start];
            for (int i = start; i < end; i++) {
                from[i - start] = rq.modulus(i);
            }
            Modulus[] to = new Modulus[level + 1 - (end - start) + k];
            int t = 0;
            for (int j = 0; j <= level; j++) {
                if (j < start || j >= end) {
                    to[t++] = rq.modulus(j);
                }
            }
            for (int i = 0; i < k; i++) {
                to[t++] = rp.modulus(i);
            }
            return new BasisExtender(from, to);
        });
    }

    private BasisExtender modDownExtender(int level) {
        return modDown.computeIfAbsent(level, l -> new BasisExtender(rp.moduli(k), rq.moduli(l + 1)));
    }

    /** Decomposes {@code c} (NTT domain, level+1 limbs). {@code c} is read, never modified. */
    Decomposition decompose(RnsPoly c, int level, Parallelism par) {
        RnsPoly coeff = c.copy();
        rq.intt(coeff, par);
        int digits = params.digitCount(level);
        RnsPoly[] dq = new RnsPoly[digits];
        RnsPoly[] dp = new RnsPoly[digits];
        par.forEach(digits, d -> {
            int start = params.digitStart(d);
            int end = params.digitEnd(d, level);
            long[][] qLimbs = new long[level + 1][];
            long[][] pLimbs = new long[k][];
            long[][] in = new long[end - start][];
            long[][] out = new long[level + 1 - (end - start) + k][];
            int t = 0;
            for (int j = 0; j <= level; j++) {
                if (j >= start && j < end) {
                    qLimbs[j] = c.limb(j);
                    in[j - start] = coeff.limb(j);
                } else {
                    qLimbs[j] = new long[n];
                    out[t++] = qLimbs[j];
                }
            }
            for (int i = 0; i < k; i++) {
                pLimbs[i] = new long[n];
                out[t++] = pLimbs[i];
            }
            long[][] scratch = new long[end - start + 1][n];
            modUpExtender(level, d).convertCentered(in, out, scratch);
            // Lazy transforms (outputs in [0, 4q)): the inner product reduces once per coefficient anyway.
            for (int j = 0; j <= level; j++) {
                if (j < start || j >= end) {
                    rq.ntt(j).forwardLazy(qLimbs[j]);
                }
            }
            for (int i = 0; i < k; i++) {
                rp.ntt(i).forwardLazy(pLimbs[i]);
            }
            dq[d] = new RnsPoly(qLimbs);
            dp[d] = new RnsPoly(pLimbs);
        });
        return new Decomposition(level, dq, dp);
    }

    /**
     * (out0, out1) = Σ_d σ(digit_d)·(b_d, a_d) over Q_l·P, where σ is the NTT-domain permutation {@code perm} (null for
     * none). {@code out0} and {@code out1} must be zero. Products are accumulated in 128 bits and reduced once.
     */
    void innerProduct(Decomposition dec, KeySwitchingKey key, int[] perm, QPPoly out0, QPPoly out1, Parallelism par) {
        int level = dec.level;
        int digits = dec.digitQ.length;
        par.forEach(level + 1 + k, limb -> {
            boolean isQ = limb <= level;
            int j = isQ ? limb : limb - level - 1;
            Modulus m = isQ ? rq.modulus(j) : rp.modulus(j);
            long[][] x = new long[digits][];
            long[][] kb = new long[digits][];
            long[][] ka = new long[digits][];
            for (int d = 0; d < digits; d++) {
                x[d] = isQ ? dec.digitQ[d].limb(j) : dec.digitP[d].limb(j);
                kb[d] = isQ ? key.b(d).q().limb(j) : key.b(d).p().limb(j);
                ka[d] = isQ ? key.a(d).q().limb(j) : key.a(d).p().limb(j);
            }
            long[] z0 = isQ ? out0.q().limb(j) : out0.p().limb(j);
            long[] z1 = isQ ? out1.q().limb(j) : out1.p().limb(j);
            // 128-bit accumulation: z holds the low words, h the high words; one reduction per coefficient.
            long[] h0 = new long[n];
            long[] h1 = new long[n];
            int[] src = perm == null ? identity : perm;
            for (int d = 0; d < digits; d++) {
                long[] xd = x[d];
                long[] bd = kb[d];
                long[] ad = ka[d];
                for (int c = 0; c < n; c++) {
                    long v = xd[src[c]];
                    long b = bd[c];
                    long a = ad[c];
                    long p0 = v * b;
                    long l0 = z0[c] + p0;
                    h0[c] += Math.multiplyHigh(v, b) + (Long.compareUnsigned(l0, p0) < 0 ? 1 : 0);
                    z0[c] = l0;
                    long p1 = v * a;
                    long l1 = z1[c] + p1;
                    h1[c] += Math.multiplyHigh(v, a) + (Long.compareUnsigned(l1, p1) < 0 ? 1 : 0);
                    z1[c] = l1;
                }
            }
            for (int c = 0; c < n; c++) {
                z0[c] = m.reduce128(h0[c], z0[c]);
                z1[c] = m.reduce128(h1[c], z1[c]);
            }
        });
    }

    /** A zero polynomial over Q_level·P. */
    QPPoly newQP(int level) {
        return new QPPoly(rq.newPoly(level + 1), rp.newPoly(k));
    }

    /** round(x / P) over Q_level (NTT domain in and out); {@code x} is consumed. */
    RnsPoly modDown(QPPoly x, int level, Parallelism par) {
        return modDown(x, level, null, par);
    }

    /**
     * round((x + e) / P) over Q_level, where {@code x} is in the NTT domain and the small error {@code e} (signed
     * coefficients, may be null) is given in coefficient form: it is added to the P part after its inverse transform
     * and to the Q part before the converted rows are transformed, which saves the transforms of e on every prime.
     * The result equals that of adding NTT(e) to {@code x} first. {@code x} is consumed.
     */
    RnsPoly modDown(QPPoly x, int level, long[] e, Parallelism par) {
        RnsPoly pc = x.p();
        rp.intt(pc, par);
        if (e != null) {
            for (int i = 0; i < k; i++) {
                addSigned(pc.limb(i), e, rp.modulus(i));
            }
        }
        RnsPoly conv = rq.newPoly(level + 1);
        long[][] in = new long[k][];
        for (int i = 0; i < k; i++) {
            in[i] = pc.limb(i);
        }
        long[][] out = new long[level + 1][];
        for (int j = 0; j <= level; j++) {
            out[j] = conv.limb(j);
        }
        modDownExtender(level).convertCentered(in, out, new long[k + 1][n]);
        RnsPoly xq = x.q();
        par.forEach(level + 1, j -> {
            Modulus m = rq.modulus(j);
            long q = m.value();
            long[] cj = conv.limb(j);
            if (e != null) {
                // conv - e, so that x - NTT(conv - e) = (x + e) - conv.
                for (int c = 0; c < n; c++) {
                    long d = cj[c] - e[c];
                    d += (d >> 63) & q;
                    d -= q;
                    cj[c] = d + ((d >> 63) & q);
                }
            }
            rq.ntt(j).forward(cj);
            long[] xj = xq.limb(j);
            long w = pInvModQ[j];
            long ws = pInvModQShoup[j];
            for (int c = 0; c < n; c++) {
                long d = xj[c] - cj[c];
                d += (d >> 63) & q;
                xj[c] = m.mulShoup(d, w, ws);
            }
        });
        return xq.limbCount() == level + 1 ? xq : xq.copyLimbs(level + 1);
    }

    /** z += e mod q for signed coefficients |e| < q; z in [0, q) in and out. */
    private static void addSigned(long[] z, long[] e, Modulus m) {
        long q = m.value();
        for (int c = 0; c < z.length; c++) {
            long s = z[c] + e[c];
            s += (s >> 63) & q;
            s -= q;
            z[c] = s + ((s >> 63) & q);
        }
    }
}
