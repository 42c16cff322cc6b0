package org.glovebox.he.ckks;

import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Homomorphic operations on CKKS ciphertexts with public material only (relinearization and Galois keys).
 *
 * <p>Every operation returns a new ciphertext and leaves its inputs unchanged. Binary operations require the same
 * parameter set, level, slot count and scale (scales agree when they differ by less than one part in 10^9, i.e. only by
 * floating-point rounding); otherwise they fail with a message saying what differs and how to fix it
 * ({@link #dropLevel}, {@link #rescale}). Thread-safe when its inputs are not shared mutable state.
 */
public final class Evaluator {
    private static final double SCALE_TOLERANCE = 1e-9;

    private final Parameters params;
    private final RelinearizationKey rlk;
    private final GaloisKeys gks;
    private final Parallelism par;
    private final RnsBasis rq;
    private final KeySwitcher ks;
    private final ConcurrentHashMap<Integer, int[]> permutations = new ConcurrentHashMap<>();

    /** An evaluator for additions, plaintext operations and rescaling only (no keys). */
    public Evaluator(Parameters params) {
        this(params, null, null, Parallelism.SERIAL);
    }

    /** @param rlk may be null (then {@link #relinearize} fails); @param gks may be null (then rotations fail). */
    public Evaluator(Parameters params, RelinearizationKey rlk, GaloisKeys gks) {
        this(params, rlk, gks, Parallelism.SERIAL);
    }

    public Evaluator(Parameters params, RelinearizationKey rlk, GaloisKeys gks, Parallelism par) {
        this.params = params;
        this.rlk = rlk;
        this.gks = gks;
        this.par = par;
        this.rq = params.ringQ();
        this.ks = KeySwitcher.of(params);
        if (rlk != null && !params.sameAs(rlk.parameters())) {
            throw new IllegalArgumentException("relinearization key belongs to a different parameter set");
        }
        if (gks != null && !params.sameAs(gks.parameters())) {
            throw new IllegalArgumentException("Galois keys belong to a different parameter set");
        }
    }

    /** The same keys with a different parallelism setting. */
    public Evaluator withParallelism(Parallelism p) {
        return new Evaluator(params, rlk, gks, p);
    }

    public Parameters parameters() {
        return params;
    }

    public Parallelism parallelism() {
        return par;
    }

    // ---------------------------------------------------------------- checks

    private void check(Ciphertext ct) {
        if (!params.sameAs(ct.parameters())) {
            throw new IllegalArgumentException("ciphertext belongs to a different parameter set: " + ct.parameters());
        }
    }

    private void checkPair(Ciphertext a, Ciphertext b, String op) {
        check(a);
        check(b);
        if (a.level() != b.level()) {
            throw new IllegalArgumentException(op + ": levels differ (" + a.level() + " vs " + b.level()
                    + "); bring the higher one down with dropLevel");
        }
        if (a.slots() != b.slots()) {
            throw new IllegalArgumentException(op + ": slot counts differ (" + a.slots() + " vs " + b.slots() + ")");
        }
    }

    private static void checkScales(double a, double b, String op) {
        if (Math.abs(a / b - 1) > SCALE_TOLERANCE) {
            throw new IllegalArgumentException(String.format(
                    "%s: scales differ (2^%.4f vs 2^%.4f); rescale or multiply by a constant to match them",
                    op, Math.log(a) / Math.log(2), Math.log(b) / Math.log(2)));
        }
    }

    private void checkPlain(Ciphertext ct, Plaintext pt, String op) {
        check(ct);
        if (!params.sameAs(pt.parameters())) {
            throw new IllegalArgumentException(op + ": plaintext belongs to a different parameter set");
        }
        if (pt.level() < ct.level()) {
            throw new IllegalArgumentException(op + ": plaintext level " + pt.level() + " is below the ciphertext level "
                    + ct.level() + "; encode it at level " + ct.level());
        }
        if (pt.slots() != ct.slots()) {
            throw new IllegalArgumentException(op + ": slot counts differ (" + ct.slots() + " vs " + pt.slots() + ")");
        }
    }

    private Ciphertext make(RnsPoly[] parts, int level, double scale, int slots) {
        return new Ciphertext(params, parts, level, scale, slots);
    }

    // ---------------------------------------------------------------- additive

    public Ciphertext add(Ciphertext a, Ciphertext b) {
        checkPair(a, b, "add");
        checkScales(a.scale(), b.scale(), "add");
        return addSub(a, b, false);
    }

    public Ciphertext sub(Ciphertext a, Ciphertext b) {
        checkPair(a, b, "sub");
        checkScales(a.scale(), b.scale(), "sub");
        return addSub(a, b, true);
    }

    private Ciphertext addSub(Ciphertext a, Ciphertext b, boolean subtract) {
        int size = Math.max(a.size(), b.size());
        RnsPoly[] out = new RnsPoly[size];
        for (int i = 0; i < size; i++) {
            if (i < a.size() && i < b.size()) {
                out[i] = rq.newPoly(a.level() + 1);
                if (subtract) {
                    rq.sub(a.part(i), b.part(i), out[i]);
                } else {
                    rq.add(a.part(i), b.part(i), out[i]);
                }
            } else if (i < a.size()) {
                out[i] = a.part(i).copy();
            } else {
                out[i] = b.part(i).copy();
                if (subtract) {
                    rq.neg(out[i], out[i]);
                }
            }
        }
        return make(out, a.level(), a.scale(), a.slots());
    }

    public Ciphertext negate(Ciphertext a) {
        check(a);
        RnsPoly[] out = new RnsPoly[a.size()];
        for (int i = 0; i < a.size(); i++) {
            out[i] = rq.newPoly(a.level() + 1);
            rq.neg(a.part(i), out[i]);
        }
        return make(out, a.level(), a.scale(), a.slots());
    }

    public Ciphertext addPlain(Ciphertext ct, Plaintext pt) {
        checkPlain(ct, pt, "addPlain");
        checkScales(ct.scale(), pt.scale(), "addPlain");
        return withFirstPart(ct, pt.poly(), false);
    }

    public Ciphertext subPlain(Ciphertext ct, Plaintext pt) {
        checkPlain(ct, pt, "subPlain");
        checkScales(ct.scale(), pt.scale(), "subPlain");
        return withFirstPart(ct, pt.poly(), true);
    }

    private Ciphertext withFirstPart(Ciphertext ct, RnsPoly p, boolean subtract) {
        RnsPoly[] out = copyParts(ct);
        if (subtract) {
            rq.sub(out[0], p, out[0]);
        } else {
            rq.add(out[0], p, out[0]);
        }
        return make(out, ct.level(), ct.scale(), ct.slots());
    }

    private static RnsPoly[] copyParts(Ciphertext ct) {
        RnsPoly[] out = new RnsPoly[ct.size()];
        for (int i = 0; i < ct.size(); i++) {
            out[i] = ct.part(i).copy();
        }
        return out;
    }

    /** Adds the real constant c to every slot (exact up to rounding c·scale to an integer). */
    public Ciphertext addConst(Ciphertext ct, double c) {
        check(ct);
        double v = Math.rint(c * ct.scale());
        long[] residues = residues(v, ct.level());
        RnsPoly[] out = copyParts(ct);
        rq.addScalarNtt(out[0], residues, out[0]);
        return make(out, ct.level(), ct.scale(), ct.slots());
    }

    private long[] residues(double integerValued, int level) {
        long[] r = new long[level + 1];
        for (int j = 0; j <= level; j++) {
            r[j] = Encoder.residue(integerValued, rq.modulus(j));
        }
        return r;
    }

    // ---------------------------------------------------------------- multiplicative

    /** Multiplies every slot by the integer k; exact, the scale is unchanged and no level is used. */
    public Ciphertext multiplyInteger(Ciphertext ct, long k) {
        check(ct);
        long[] r = new long[ct.level() + 1];
        for (int j = 0; j <= ct.level(); j++) {
            r[j] = rq.modulus(j).reduce(k);
        }
        return scalarMultiply(ct, r, ct.scale());
    }

    /**
     * Multiplies every slot by the real constant c, encoded at the scale of the ciphertext's last prime, so that
     * {@link #rescale} afterwards restores the input scale exactly. The result's scale is scale·q_level.
     */
    public Ciphertext multiplyConst(Ciphertext ct, double c) {
        check(ct);
        return multiplyConst(ct, c, (double) params.q(ct.level()));
    }

    /** Multiplies every slot by c encoded as round(c·constScale); the result's scale is scale·constScale. */
    public Ciphertext multiplyConst(Ciphertext ct, double c, double constScale) {
        check(ct);
        double v = Math.rint(c * constScale);
        return scalarMultiply(ct, residues(v, ct.level()), ct.scale() * constScale);
    }

    private Ciphertext scalarMultiply(Ciphertext ct, long[] residues, double scale) {
        RnsPoly[] out = new RnsPoly[ct.size()];
        for (int i = 0; i < ct.size(); i++) {
            out[i] = rq.newPoly(ct.level() + 1);
            rq.mulScalar(ct.part(i), residues, out[i]);
        }
        return make(out, ct.level(), scale, ct.slots());
    }

    /** Slot-wise product with a plaintext; the scales multiply. */
    public Ciphertext multiplyPlain(Ciphertext ct, Plaintext pt) {
        checkPlain(ct, pt, "multiplyPlain");
        RnsPoly[] out = new RnsPoly[ct.size()];
        for (int i = 0; i < ct.size(); i++) {
            out[i] = rq.newPoly(ct.level() + 1);
            rq.mul(ct.part(i), pt.poly(), out[i]);
        }
        return make(out, ct.level(), ct.scale() * pt.scale(), ct.slots());
    }

    /** Slot-wise product of two ciphertexts, giving a size-3 ciphertext; the scales multiply. */
    public Ciphertext multiply(Ciphertext a, Ciphertext b) {
        checkPair(a, b, "multiply");
        if (a.size() != 2 || b.size() != 2) {
            throw new IllegalArgumentException("multiply: relinearize size-3 inputs first");
        }
        int limbs = a.level() + 1;
        RnsPoly d0 = rq.newPoly(limbs);
        RnsPoly d1 = rq.newPoly(limbs);
        RnsPoly d2 = rq.newPoly(limbs);
        RnsPoly a0 = a.part(0);
        RnsPoly a1 = a.part(1);
        RnsPoly b0 = b.part(0);
        RnsPoly b1 = b.part(1);
        int n = params.n();
        par.forEach(limbs, j -> {
            Modulus m = rq.modulus(j);
            long[] x0 = a0.limb(j);
            long[] x1 = a1.limb(j);
            long[] y0 = b0.limb(j);
            long[] y1 = b1.limb(j);
            long[] z0 = d0.limb(j);
            long[] z1 = d1.limb(j);
            long[] z2 = d2.limb(j);
            for (int c = 0; c < n; c++) {
                long u0 = x0[c];
                long u1 = x1[c];
                long v0 = y0[c];
                long v1 = y1[c];
                z0[c] = m.mul(u0, v0);
                z2[c] = m.mul(u1, v1);
                // Cross term in 128 bits, reduced once.
                long p0 = u0 * v1;
                long p1 = u1 * v0;
                long hi = Math.multiplyHigh(u0, v1) + Math.multiplyHigh(u1, v0);
                long lo = p0 + p1;
                hi += Long.compareUnsigned(lo, p0) < 0 ? 1 : 0;
                z1[c] = m.reduce128(hi, lo);
            }
        });
        return make(new RnsPoly[] {d0, d1, d2}, a.level(), a.scale() * b.scale(), a.slots());
    }

    /** a·a. */
    public Ciphertext square(Ciphertext a) {
        return multiply(a, a);
    }

    /** Turns a size-3 ciphertext into a size-2 one under the same secret, using the relinearization key. */
    public Ciphertext relinearize(Ciphertext ct) {
        check(ct);
        if (ct.size() == 2) {
            return ct;
        }
        if (rlk == null) {
            throw new IllegalStateException("relinearize: this evaluator has no relinearization key");
        }
        int level = ct.level();
        KeySwitcher.Decomposition dec = ks.decompose(ct.part(2), level, par);
        QPPoly u0 = ks.newQPForInnerProduct(level);
        QPPoly u1 = ks.newQPForInnerProduct(level);
        ks.innerProduct(dec, rlk.key(), null, u0, u1, par);
        ks.recycle(dec);
        RnsPoly d0 = ks.modDownAdd(u0, level, ct.part(0), null, par);
        RnsPoly d1 = ks.modDownAdd(u1, level, ct.part(1), null, par);
        return make(new RnsPoly[] {d0, d1}, level, ct.scale(), ct.slots());
    }

    /** multiply, then relinearize. */
    public Ciphertext multiplyRelin(Ciphertext a, Ciphertext b) {
        return relinearize(multiply(a, b));
    }

    /** multiply, relinearize, then rescale: the usual way to multiply at a steady scale. */
    public Ciphertext multiplyRelinRescale(Ciphertext a, Ciphertext b) {
        return rescale(relinearize(multiply(a, b)));
    }

    /** Divides by the last prime q_level (with rounding): level - 1, scale / q_level. */
    public Ciphertext rescale(Ciphertext ct) {
        check(ct);
        int level = ct.level();
        if (level == 0) {
            throw new IllegalArgumentException("rescale: ciphertext is at level 0; no level left (bootstrap first)");
        }
        Modulus last = rq.modulus(level);
        long ql = last.value();
        long half = ql >>> 1;
        int n = params.n();
        RnsPoly[] out = new RnsPoly[ct.size()];
        for (int i = 0; i < ct.size(); i++) {
            RnsPoly in = ct.part(i);
            long[] top = in.limb(level).clone();
            rq.ntt(level).inverse(top);
            for (int c = 0; c < n; c++) {
                top[c] = last.add(top[c], half);
            }
            RnsPoly o = rq.newPoly(level);
            out[i] = o;
            par.forEach(level, j -> {
                Modulus m = rq.modulus(j);
                long q = m.value();
                long inv = m.inverse(m.reduceUnsigned(ql));
                long invS = m.shoup(inv);
                long halfModQ = m.reduceUnsigned(half);
                long[] t = o.limb(j);
                for (int c = 0; c < n; c++) {
                    long v = m.reduceUnsigned(top[c]) - halfModQ;
                    t[c] = v + ((v >> 63) & q);
                }
                rq.ntt(j).forward(t);
                long[] x = in.limb(j);
                for (int c = 0; c < n; c++) {
                    long d = x[c] - t[c];
                    d += (d >> 63) & q;
                    t[c] = m.mulShoup(d, inv, invS);
                }
            });
        }
        return make(out, level - 1, ct.scale() / ql, ct.slots());
    }

    /** Discards primes down to {@code level} without changing the scale (to align operands). */
    public Ciphertext dropLevel(Ciphertext ct, int level) {
        check(ct);
        if (level < 0 || level > ct.level()) {
            throw new IllegalArgumentException("dropLevel: target " + level + " not in [0, " + ct.level() + "]");
        }
        if (level == ct.level()) {
            return ct;
        }
        RnsPoly[] out = new RnsPoly[ct.size()];
        for (int i = 0; i < ct.size(); i++) {
            out[i] = ct.part(i).copyLimbs(level + 1);
        }
        return make(out, level, ct.scale(), ct.slots());
    }

    // ---------------------------------------------------------------- automorphisms

    private int[] permutation(int g) {
        return permutations.computeIfAbsent(g, e -> RnsBasis.nttAutomorphismPermutation(params.n(), e));
    }

    private KeySwitchingKey galoisKey(int g, String what) {
        if (gks == null) {
            throw new IllegalStateException(what + ": this evaluator has no Galois keys");
        }
        KeySwitchingKey k = gks.key(g);
        if (k == null) {
            throw new IllegalArgumentException(what + ": no Galois key for element " + g
                    + "; generate keys for this rotation step");
        }
        return k;
    }

    /** Rotates the slots left by {@code steps} (right for negative steps). */
    public Ciphertext rotate(Ciphertext ct, int steps) {
        check(ct);
        int g = GaloisElements.forRotation(steps, params.n());
        if (g == 1) {
            return ct;
        }
        return automorphism(ct, g, "rotate by " + steps);
    }

    /** Complex-conjugates every slot. */
    public Ciphertext conjugate(Ciphertext ct) {
        check(ct);
        return automorphism(ct, GaloisElements.conjugation(params.n()), "conjugate");
    }

    /** Applies X -> X^g and switches back to the secret key. */
    public Ciphertext automorphism(Ciphertext ct, int g, String what) {
        check(ct);
        requireSize2(ct, what);
        KeySwitchingKey key = galoisKey(g, what);
        // One rotation: permute c1 first (level + 1 limbs) and take a sequential inner product, instead of gathering
        // every digit of every limb through the permutation as hoisted rotations must.
        int level = ct.level();
        int[] perm = permutation(g);
        RnsPoly c1 = ks.uninitialized(level + 1);
        rq.permuteNtt(ct.part(1), perm, c1);
        KeySwitcher.Decomposition dec = ks.decompose(c1, level, par);
        QPPoly u0 = ks.newQPForInnerProduct(level);
        QPPoly u1 = ks.newQPForInnerProduct(level);
        ks.innerProduct(dec, key, null, u0, u1, par);
        ks.recycle(dec);
        ks.recycle(c1);
        RnsPoly d0 = ks.modDownAdd(u0, level, ct.part(0), perm, par);
        RnsPoly d1 = ks.modDown(u1, level, par);
        return make(new RnsPoly[] {d0, d1}, level, ct.scale(), ct.slots());
    }

    private static void requireSize2(Ciphertext ct, String what) {
        if (ct.size() != 2) {
            throw new IllegalArgumentException(what + ": relinearize the ciphertext first");
        }
    }

    private Ciphertext applyAutomorphism(Ciphertext ct, KeySwitcher.Decomposition dec, int g, KeySwitchingKey key) {
        int level = ct.level();
        int[] perm = permutation(g);
        QPPoly u0 = ks.newQPForInnerProduct(level);
        QPPoly u1 = ks.newQPForInnerProduct(level);
        ks.innerProduct(dec, key, perm, u0, u1, par);
        RnsPoly d0 = ks.modDownAdd(u0, level, ct.part(0), perm, par);
        RnsPoly d1 = ks.modDown(u1, level, par);
        return make(new RnsPoly[] {d0, d1}, level, ct.scale(), ct.slots());
    }

    /**
     * Many rotations of one ciphertext for the price of one key-switching decomposition (hoisting). Returns one
     * ciphertext per step, in order; a step of 0 returns the input.
     */
    public Ciphertext[] rotateHoisted(Ciphertext ct, int[] steps) {
        check(ct);
        requireSize2(ct, "rotateHoisted");
        Ciphertext[] out = new Ciphertext[steps.length];
        KeySwitcher.Decomposition dec = null;
        for (int i = 0; i < steps.length; i++) {
            int g = GaloisElements.forRotation(steps[i], params.n());
            if (g == 1) {
                out[i] = ct;
                continue;
            }
            KeySwitchingKey key = galoisKey(g, "rotate by " + steps[i]);
            if (dec == null) {
                dec = ks.decompose(ct.part(1), ct.level(), par);
            }
            out[i] = applyAutomorphism(ct, dec, g, key);
        }
        if (dec != null) {
            ks.recycle(dec);
        }
        return out;
    }

    /**
     * Sums {@code count} blocks of {@code batch} consecutive slots: afterwards slot j holds
     * Σ_{i < count} x[j + i·batch] (indices mod slots). Needs the rotation keys of
     * {@link #innerSumSteps(int, int)}.
     */
    public Ciphertext innerSum(Ciphertext ct, int batch, int count) {
        check(ct);
        if (batch < 1 || count < 1) {
            throw new IllegalArgumentException("innerSum: batch and count must be >= 1");
        }
        Ciphertext acc = null;
        Ciphertext cur = ct;
        int shift = 0;
        for (int bit = 0; (count >> bit) > 0; bit++) {
            if (((count >> bit) & 1) != 0) {
                Ciphertext part = shift == 0 ? cur : rotate(cur, shift * batch);
                acc = acc == null ? part : add(acc, part);
                shift += 1 << bit;
            }
            if ((count >> (bit + 1)) > 0) {
                cur = add(cur, rotate(cur, (1 << bit) * batch));
            }
        }
        return acc;
    }

    /** The rotation steps {@link #innerSum} uses. */
    public static int[] innerSumSteps(int batch, int count) {
        java.util.TreeSet<Integer> steps = new java.util.TreeSet<>();
        int shift = 0;
        for (int bit = 0; (count >> bit) > 0; bit++) {
            if (((count >> bit) & 1) != 0) {
                if (shift != 0) {
                    steps.add(shift * batch);
                }
                shift += 1 << bit;
            }
            if ((count >> (bit + 1)) > 0) {
                steps.add((1 << bit) * batch);
            }
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---------------------------------------------------------------- scale management helpers

    /**
     * Multiplies by the constant 1 encoded so that, after the rescale that follows, the ciphertext has
     * {@code targetScale} (to within 2^-30 relative): used to align scales before an addition. Consumes one level.
     */
    public Ciphertext rescaleTo(Ciphertext ct, double targetScale) {
        check(ct);
        double constScale = Math.rint(targetScale * params.q(ct.level()) / ct.scale());
        if (constScale < 0x1p30) {
            // Below 2^30 the rounding of the constant would move the scale by more than the tolerance.
            throw new IllegalArgumentException("rescaleTo: target scale too small for this level");
        }
        Ciphertext m = scalarMultiply(ct, residues(constScale, ct.level()), ct.scale() * constScale);
        Ciphertext r = rescale(m);
        return new Ciphertext(params, copyParts(r), r.level(), targetScale, r.slots());
    }

    /** The same ciphertext labelled with a different scale: for internal exact scale bookkeeping only. */
    Ciphertext relabelScale(Ciphertext ct, double scale) {
        return new Ciphertext(params, copyParts(ct), ct.level(), scale, ct.slots());
    }
}
