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
    /** Per-thread reusable limbs: work buffers of one task, and the coefficient form of a decomposed polynomial. */
    private final ThreadLocal<long[][]> workScratch = ThreadLocal.withInitial(() -> new long[0][]);
    private final ThreadLocal<long[][]> coeffScratch = ThreadLocal.withInitial(() -> new long[0][]);
    /** Per-thread row for ModDown's converted limb (the work buffers may hold the shared conversion inputs). */
    private final ThreadLocal<long[]> rowScratch;
    private static final ConcurrentHashMap<String, KeySwitcher> INSTANCES = new ConcurrentHashMap<>();

    private KeySwitcher(Parameters params) {
        this.params = params;
        this.rq = params.ringQ();
        this.rp = params.ringP();
        this.n = params.n();
        this.k = params.specialPrimeCount();
        this.rowScratch = ThreadLocal.withInitial(() -> new long[n]);
        this.maxSpare = (32 << 20) / (8 * n);
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

    /** Most spare limbs kept for reuse (about 32 MB), so a large parameter set does not pin a whole decomposition. */
    private final int maxSpare;
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> spare =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger spareCount = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A limb of length N with undefined contents, for work that overwrites it completely: recycled decomposition and
     * special-prime limbs are handed out again, since zeroing fresh ones costs a few percent of a key switch.
     */
    private long[] takeLimb() {
        long[] l = spare.poll();
        if (l == null) {
            return new long[n];
        }
        spareCount.decrementAndGet();
        return l;
    }

    private void giveLimb(long[] l) {
        if (spareCount.incrementAndGet() <= maxSpare) {
            spare.offer(l);
        } else {
            spareCount.decrementAndGet();
        }
    }

    /**
     * Returns the limbs a decomposition owns (not those it borrows from the decomposed polynomial) for reuse. The
     * decomposition must not be used afterwards; its arrays are cleared so that a stray use fails at once.
     */
    void recycle(Decomposition dec) {
        for (int d = 0; d < dec.digitQ.length; d++) {
            int start = params.digitStart(d);
            int end = params.digitEnd(d, dec.level);
            for (int j = 0; j <= dec.level; j++) {
                if (j < start || j >= end) {
                    giveLimb(dec.digitQ[d].limb(j));
                }
            }
            for (int i = 0; i < k; i++) {
                giveLimb(dec.digitP[d].limb(i));
            }
            dec.digitQ[d] = null;
            dec.digitP[d] = null;
        }
    }

    /** Returns the limbs of a polynomial that is no longer used (e.g. a permuted copy after its key switch). */
    void recycle(RnsPoly p) {
        for (int j = 0; j < p.limbCount(); j++) {
            giveLimb(p.limb(j));
        }
    }

    /** A polynomial of {@code limbs} limbs with undefined contents, to be overwritten completely. */
    RnsPoly uninitialized(int limbs) {
        long[][] l = new long[limbs][];
        for (int j = 0; j < limbs; j++) {
            l[j] = takeLimb();
        }
        return new RnsPoly(l);
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
        // The coefficient form of c, in this thread's reusable buffers (read by the digit tasks, which only write
        // their own per-thread work buffers).
        long[][] coeffLimbs = buffers(coeffScratch, level + 1);
        for (int j = 0; j <= level; j++) {
            System.arraycopy(c.limb(j), 0, coeffLimbs[j], 0, n);
        }
        RnsPoly coeff = new RnsPoly(java.util.Arrays.copyOf(coeffLimbs, level + 1));
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
            for (int j = start; j < end; j++) {
                qLimbs[j] = c.limb(j);
                in[j - start] = coeff.limb(j);
            }
            // Each converted limb is transformed right after it is written, while it is still in cache. Lazy
            // transforms (outputs in [0, 4q)): the inner product reduces once per coefficient anyway.
            BasisExtender up = modUpExtender(level, d);
            long[][] conv = scratch(end - start + 1);
            up.prepareCentered(in, conv);
            int t = 0;
            for (int j = 0; j <= level; j++) {
                if (j < start || j >= end) {
                    qLimbs[j] = takeLimb();
                    up.convertCenteredLimb(conv, t++, qLimbs[j]);
                    rq.ntt(j).forwardLazy(qLimbs[j]);
                }
            }
            for (int i = 0; i < k; i++) {
                pLimbs[i] = takeLimb();
                up.convertCenteredLimb(conv, t++, pLimbs[i]);
                rp.ntt(i).forwardLazy(pLimbs[i]);
            }
            dq[d] = new RnsPoly(qLimbs);
            dp[d] = new RnsPoly(pLimbs);
        });
        return new Decomposition(level, dq, dp);
    }

    /**
     * (out0, out1) = Σ_d σ(digit_d)·(b_d, a_d) over Q_l·P, where σ is the NTT-domain permutation {@code perm} (null for
     * none). {@code out0} and {@code out1} are overwritten. Products are accumulated in 128 bits and reduced once.
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
            // 128-bit accumulation, one reduction per coefficient. The digits are taken up to four at a time with
            // the running sums in registers; between groups they are kept in z (low words) and h (high words).
            long[][] hs = digits > GROUP ? scratch(2) : null;
            long[] h0 = hs == null ? null : hs[0];
            long[] h1 = hs == null ? null : hs[1];
            long[][] gx = new long[GROUP][];
            long[][] gb = new long[GROUP][];
            long[][] ga = new long[GROUP][];
            for (int d = 0; d < digits; d += GROUP) {
                int g = Math.min(GROUP, digits - d);
                java.util.Arrays.fill(gx, null);
                java.util.Arrays.fill(gb, null);
                java.util.Arrays.fill(ga, null);
                System.arraycopy(x, d, gx, 0, g);
                System.arraycopy(kb, d, gb, 0, g);
                System.arraycopy(ka, d, ga, 0, g);
                innerProductGroup(gx, gb, ga, g, perm, z0, z1, h0, h1, d == 0, d + g == digits, m);
            }
        });
    }

    /** Digits accumulated per pass of the inner product (running sums in registers). */
    private static final int GROUP = 4;

    /**
     * Accumulates {@code count} (1 to 4) digits into (z, h) as 128-bit sums; {@code first}: start from zero instead
     * of (z, h); {@code last}: reduce into z instead of storing the sums (h is then unused and may be null).
     */
    private void innerProductGroup(long[][] x, long[][] kb, long[][] ka, int count, int[] perm, long[] z0, long[] z1,
            long[] h0, long[] h1, boolean first, boolean last, Modulus m) {
        // Loop-invariant test: C2 unswitches the loop, so the unpermuted case reads the digits sequentially.
        boolean direct = perm == null;
        int[] src = direct ? identity : perm;
        long[] xa = x[0];
        long[] ba = kb[0];
        long[] aa = ka[0];
        long[] xb = x[1];
        long[] bb = kb[1];
        long[] ab = ka[1];
        long[] xc = x[2];
        long[] bc = kb[2];
        long[] ac = ka[2];
        long[] xd = x[3];
        long[] bd = kb[3];
        long[] ad = ka[3];
        for (int c = 0; c < n; c++) {
            int sc = direct ? c : src[c];
            long lo0;
            long hi0;
            long lo1;
            long hi1;
            if (first) {
                lo0 = 0;
                hi0 = 0;
                lo1 = 0;
                hi1 = 0;
            } else {
                lo0 = z0[c];
                hi0 = h0[c];
                lo1 = z1[c];
                hi1 = h1[c];
            }
            long v = xa[sc];
            long b = ba[c];
            long a = aa[c];
            long p = v * b;
            lo0 += p;
            hi0 += Math.multiplyHigh(v, b) + (Long.compareUnsigned(lo0, p) < 0 ? 1 : 0);
            p = v * a;
            lo1 += p;
            hi1 += Math.multiplyHigh(v, a) + (Long.compareUnsigned(lo1, p) < 0 ? 1 : 0);
            if (count >= 2) {
                v = xb[sc];
                b = bb[c];
                a = ab[c];
                p = v * b;
                lo0 += p;
                hi0 += Math.multiplyHigh(v, b) + (Long.compareUnsigned(lo0, p) < 0 ? 1 : 0);
                p = v * a;
                lo1 += p;
                hi1 += Math.multiplyHigh(v, a) + (Long.compareUnsigned(lo1, p) < 0 ? 1 : 0);
            }
            if (count >= 3) {
                v = xc[sc];
                b = bc[c];
                a = ac[c];
                p = v * b;
                lo0 += p;
                hi0 += Math.multiplyHigh(v, b) + (Long.compareUnsigned(lo0, p) < 0 ? 1 : 0);
                p = v * a;
                lo1 += p;
                hi1 += Math.multiplyHigh(v, a) + (Long.compareUnsigned(lo1, p) < 0 ? 1 : 0);
            }
            if (count == 4) {
                v = xd[sc];
                b = bd[c];
                a = ad[c];
                p = v * b;
                lo0 += p;
                hi0 += Math.multiplyHigh(v, b) + (Long.compareUnsigned(lo0, p) < 0 ? 1 : 0);
                p = v * a;
                lo1 += p;
                hi1 += Math.multiplyHigh(v, a) + (Long.compareUnsigned(lo1, p) < 0 ? 1 : 0);
            }
            if (last) {
                z0[c] = m.reduce128(hi0, lo0);
                z1[c] = m.reduce128(hi1, lo1);
            } else {
                z0[c] = lo0;
                h0[c] = hi0;
                z1[c] = lo1;
                h1[c] = hi1;
            }
        }
    }

    /**
     * At least {@code count} work limbs of length N for this thread: the same arrays on every call from a thread,
     * contents undefined. For work that completes within one task on one thread (conversion scratch, partial sums,
     * ModDown's converted rows).
     */
    private long[][] scratch(int count) {
        return buffers(workScratch, count);
    }

    private long[][] buffers(ThreadLocal<long[][]> local, int count) {
        long[][] s = local.get();
        if (s.length < count) {
            long[][] grown = java.util.Arrays.copyOf(s, count);
            for (int i = s.length; i < count; i++) {
                grown[i] = new long[n];
            }
            local.set(grown);
            s = grown;
        }
        return s;
    }

    /** A zero polynomial over Q_level·P. */
    QPPoly newQP(int level) {
        return new QPPoly(rq.newPoly(level + 1), rp.newPoly(k));
    }

    /**
     * A polynomial over Q_level·P for an inner product to overwrite ({@link #innerProduct} writes every residue), from
     * recycled limbs: ModDown hands the Q limbs on as its result and recycles the P limbs.
     */
    QPPoly newQPForInnerProduct(int level) {
        return new QPPoly(uninitialized(level + 1), uninitialized(k));
    }

    /** round(x / P) over Q_level (NTT domain in and out); {@code x} is consumed. */
    RnsPoly modDown(QPPoly x, int level, Parallelism par) {
        return modDown(x, level, null, null, null, par);
    }

    /**
     * round(x / P) + σ(a) over Q_level (NTT domain), where σ is the NTT-domain permutation {@code perm} (null for none):
     * the addition of a key switch's other ciphertext part, folded into ModDown's last pass. {@code x} is consumed;
     * {@code a} (at least level + 1 limbs) is only read.
     */
    RnsPoly modDownAdd(QPPoly x, int level, RnsPoly a, int[] perm, Parallelism par) {
        return modDown(x, level, null, a, perm, par);
    }

    RnsPoly modDown(QPPoly x, int level, long[] e, Parallelism par) {
        return modDown(x, level, e, null, null, par);
    }

    /**
     * round((x + e) / P) over Q_level, where {@code x} is in the NTT domain and the small error {@code e} (signed
     * coefficients, may be null) is given in coefficient form: it is added to the P part after its inverse transform
     * and to the Q part before the converted rows are transformed, which saves the transforms of e on every prime.
     * The result equals that of adding NTT(e) to {@code x} first. {@code x} is consumed. With {@code addend}, returns
     * that plus σ(addend) (see {@link #modDownAdd}).
     */
    private RnsPoly modDown(QPPoly x, int level, long[] e, RnsPoly addend, int[] perm, Parallelism par) {
        RnsPoly pc = x.p();
        rp.intt(pc, par);
        if (e != null) {
            for (int i = 0; i < k; i++) {
                addSigned(pc.limb(i), e, rp.modulus(i));
            }
        }
        // The conversion's shared inputs in this thread's work buffers; each task converts, transforms and
        // subtracts one limb, so the converted row never leaves the cache.
        long[][] prepared = java.util.Arrays.copyOf(scratch(k + 1), k + 1);
        long[][] in = new long[k][];
        for (int i = 0; i < k; i++) {
            in[i] = pc.limb(i);
        }
        BasisExtender down = modDownExtender(level);
        down.prepareCentered(in, prepared);
        RnsPoly xq = x.q();
        par.forEach(level + 1, j -> {
            Modulus m = rq.modulus(j);
            long q = m.value();
            long[] cj = rowScratch.get();
            down.convertCenteredLimb(prepared, j, cj);
            if (e != null) {
                // conv - e, so that x - NTT(conv - e) = (x + e) - conv.
                for (int c = 0; c < n; c++) {
                    long d = cj[c] - e[c];
                    d += (d >> 63) & q;
                    d -= q;
                    cj[c] = d + ((d >> 63) & q);
                }
            }
            // Lazy transform (cj in [0, 4q)): the Shoup product below reduces x - cj + 4q in (0, 5q) anyway.
            rq.ntt(j).forwardLazy(cj);
            long[] xj = xq.limb(j);
            long w = pInvModQ[j];
            long ws = pInvModQShoup[j];
            long fourQ = 4 * q;
            if (addend == null) {
                for (int c = 0; c < n; c++) {
                    xj[c] = m.mulShoup(xj[c] - cj[c] + fourQ, w, ws);
                }
            } else {
                long[] aj = addend.limb(j);
                boolean direct = perm == null;
                for (int c = 0; c < n; c++) {
                    long r = m.mulShoup(xj[c] - cj[c] + fourQ, w, ws) + aj[direct ? c : perm[c]] - q;
                    xj[c] = r + ((r >> 63) & q);
                }
            }
        });
        recycle(pc);
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
