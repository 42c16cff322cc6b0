package org.glovebox.he.ckks.bootstrap;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Parallelism;

/**
 * CKKS bootstrapping: refreshes a ciphertext that has run out of levels into an encryption of the same slots at
 * level {@link BootstrappingParameters#outputLevel()}, without the secret key.
 *
 * <pre>
 *   BootstrappingParameters bp = BootstrappingParameters.n16();
 *   Bootstrapper bt = new Bootstrapper(bp, BootstrappingKeys.generate(bp, secretKey));
 *   Ciphertext fresh = bt.bootstrap(exhausted);   // level >= bp.inputLevel(), slots = bp.slots()
 * </pre>
 *
 * <p>Pipeline (Cheon–Han–Kim–Kim–Song 2018, Chen–Chillotti–Song 2019, Han–Ki 2020, Bossuat et al. 2021), in the
 * default order {@link BootstrappingParameters.Order#SLOT_TO_COEFF_FIRST}:
 * <ol>
 *   <li>SlotToCoeff: the homomorphic special FFT at the bottom of the chain (on the sub-chain parameters), landing
 *       at level 0 with scale q_0/2^ratio and the slot values as coefficients;</li>
 *   <li>ModRaise (with sparse-secret encapsulation around it when enabled): the ciphertext now encrypts
 *       t + q_0·I over the whole chain; with sparse packing a trace keeps the subring of the slots;</li>
 *   <li>CoeffToSlot: the homomorphic inverse special FFT in {@link BootstrappingParameters#coeffToSlotLevels()}
 *       BSGS levels with hoisted rotations, then conjugation splits real and imaginary parts (one ciphertext of 2n
 *       real slots for sparse packing, two ciphertexts for full packing);</li>
 *   <li>EvalMod: sin(2πy) through a cosine interpolant and double angles (optionally arcsine), i.e. t mod q_0 up to
 *       the scale;</li>
 *   <li>recombination of real and imaginary parts (with sparse packing, one repacking level).</li>
 * </ol>
 * With {@link BootstrappingParameters.Order#MOD_RAISE_FIRST} the input is scaled down to level 0 by an integer
 * multiplication, and SlotToCoeff comes last.
 *
 * <p>Every constant factor (1/q_0, 1/K, the trace's N/(2n), q_0/(2πΔ)) is folded into exact scale labels, and the
 * plaintext scales of the linear transforms are chosen so that each stage lands on a planned scale; the output has
 * exactly the parameters' default scale.
 *
 * <p>Slot values must be small against 2^{@link BootstrappingParameters#logMessageRatio() ratio}: values in [-1, 1]
 * are safe. Thread-safe; build one per parameter set and reuse it (construction factors the DFT matrices).
 */
public final class Bootstrapper {
    private final BootstrappingParameters bp;
    private final Parameters params;
    private final BootstrappingKeys keys;
    private final Parallelism par;
    /** Relinearization only: arithmetic, rescaling, the modular reduction. */
    private final Evaluator ev;
    /** With every Galois key, when all are in memory; null for lazily loaded keys (per-stage evaluators). */
    private volatile Evaluator full;
    private final Encoder encoder;
    /** Encoder of the SlotToCoeff sub-chain (SlotToCoeff first), else null. */
    private final Encoder subEncoder;
    private final List<BsgsTransform> cts;
    private final List<BsgsTransform> stc;
    /** Sparse packing with SlotToCoeff first: [a | b] (2n real slots) to a + i·b (n slots); else null. */
    private final BsgsTransform repack;
    private final EvalMod evalMod;

    public Bootstrapper(BootstrappingParameters bp, BootstrappingKeys keys) {
        this(bp, keys, Parallelism.SERIAL);
    }

    public Bootstrapper(BootstrappingParameters bp, BootstrappingKeys keys, Parallelism par) {
        this.bp = bp;
        this.params = bp.parameters();
        if (!params.sameAs(keys.parameters())) {
            throw new IllegalArgumentException("bootstrapping keys belong to a different parameter set");
        }
        if ((bp.ephemeralSecretWeight() > 0) != (keys.encapsulationKeys() != null)) {
            throw new IllegalArgumentException(bp.ephemeralSecretWeight() > 0
                    ? "these parameters use sparse-secret encapsulation: the keys need EncapsulationKeys"
                    : "these parameters do not use encapsulation, but the keys carry EncapsulationKeys");
        }
        this.keys = keys;
        this.par = par;
        this.ev = new Evaluator(params, keys.relinearizationKey(), null, par);
        for (int g : bp.galoisElements()) {
            if (!keys.hasElement(g)) {
                throw new IllegalArgumentException("the Galois keys lack element " + g
                        + " (generate them for BootstrappingParameters.galoisElements())");
            }
        }
        for (int g : bp.slotToCoeffGaloisElements()) {
            if (!keys.slotToCoeffGaloisElements().contains(g)
                    || !bp.slotToCoeffParameters().sameAs(keys.slotToCoeffParameters())) {
                throw new IllegalArgumentException("the keys lack the SlotToCoeff sub-chain Galois key " + g
                        + " (generate them for BootstrappingParameters.slotToCoeffGaloisElements())");
            }
        }
        this.encoder = new Encoder(params, par);
        this.subEncoder = bp.slotToCoeffParameters() == null ? null : new Encoder(bp.slotToCoeffParameters(), par);
        List<List<BsgsTransform>> t = build(bp);
        this.cts = t.get(0);
        this.stc = t.get(1);
        this.repack = t.get(2).isEmpty() ? null : t.get(2).get(0);
        if (bp.order() == BootstrappingParameters.Order.SLOT_TO_COEFF_FIRST) {
            // A few hundred MB at N = 2^16 (S + 1 primes at most): keep SlotToCoeff's encoded diagonals.
            for (BsgsTransform x : stc) {
                x.cachePlaintexts(true);
            }
        }
        this.evalMod = new EvalMod(bp);
    }

    public BootstrappingParameters parameters() {
        return bp;
    }

    /** An evaluator with the relinearization key only (Galois keys are attached per stage). */
    public Evaluator evaluator() {
        return ev;
    }

    /** An evaluator holding (at least) the Galois keys for these rotation steps (and conjugation if asked). */
    private Evaluator keyed(int[] steps, boolean conjugation) {
        if (keys.loading() != BootstrappingKeys.Loading.ON_DEMAND && keys.allLoaded()) {
            Evaluator f = full;
            if (f == null) {
                f = new Evaluator(params, keys.relinearizationKey(), keys.galoisKeys(), par);
                full = f;
            }
            return f;
        }
        java.util.TreeSet<Integer> els = new java.util.TreeSet<>();
        for (int s : steps) {
            int g = org.glovebox.he.ckks.GaloisElements.forRotation(s, params.n());
            if (g != 1) {
                els.add(g);
            }
        }
        if (conjugation) {
            els.add(org.glovebox.he.ckks.GaloisElements.conjugation(params.n()));
        }
        return new Evaluator(params, keys.relinearizationKey(),
                keys.galoisKeys(els.stream().mapToInt(Integer::intValue).toArray()), par);
    }

    private Ciphertext apply(BsgsTransform t, Ciphertext c, double target) {
        Ciphertext out = t.apply(keyed(t.rotationSteps(), false), encoder, c, target);
        keys.release();
        return out;
    }

    /** [a | b] in 2n slots to a + i·b in both halves (so the result may be seen with n slots). */
    private static DiagonalMatrix repackMatrix(int n) {
        int m = 2 * n;
        DiagonalMatrix repack = DiagonalMatrix.zero(m);
        for (int r = 0; r < m; r++) {
            boolean low = r < n;
            repack.addEntry(r, 0, low ? 1 : 0, low ? 0 : 1);
            repack.addEntry(r, n, low ? 0 : 1, low ? 1 : 0);
        }
        return repack;
    }

    /** {CoeffToSlot levels, SlotToCoeff levels, [repack level]}. */
    static List<List<BsgsTransform>> build(BootstrappingParameters bp) {
        int n = bp.slots();
        List<DiagonalMatrix> ctsM = DftFactorization.coeffToSlot(n, bp.coeffToSlotLevels());
        List<DiagonalMatrix> stcM = DftFactorization.slotToCoeff(n, bp.slotToCoeffLevels());
        List<BsgsTransform> cts = new ArrayList<>();
        List<BsgsTransform> stc = new ArrayList<>();
        List<BsgsTransform> extra = new ArrayList<>();
        if (!bp.isSparse()) {
            cts.addAll(BsgsTransform.of(ctsM, n));
            stc.addAll(BsgsTransform.of(stcM, n));
            return List.of(cts, stc, extra);
        }
        int m = 2 * n;
        // CoeffToSlot on an n-periodic input seen with 2n slots; the last level also multiplies the second half
        // by -i, so that adding the conjugate yields [2·Re | 2·Im] in 2n real slots.
        for (int i = 0; i < ctsM.size(); i++) {
            DiagonalMatrix e = ctsM.get(i).extendPeriodic(m);
            if (i == ctsM.size() - 1) {
                double[] re = new double[m];
                double[] im = new double[m];
                for (int r = 0; r < m; r++) {
                    if (r < n) {
                        re[r] = 1;
                    } else {
                        im[r] = -1;
                    }
                }
                e = e.scaleRows(re, im);
            }
            cts.add(new BsgsTransform(e, n));
        }
        if (bp.order() == BootstrappingParameters.Order.SLOT_TO_COEFF_FIRST) {
            // SlotToCoeff acts on the n-slot input itself; the repacking is a level of its own at the end.
            stc.addAll(BsgsTransform.of(stcM, n));
            extra.add(new BsgsTransform(repackMatrix(n), m));
        } else {
            // SlotToCoeff's first level also repacks [a | b] into a + i·b in both halves.
            for (int i = 0; i < stcM.size(); i++) {
                DiagonalMatrix e = stcM.get(i).extendPeriodic(m);
                stc.add(i == 0 ? new BsgsTransform(e.multiply(repackMatrix(n)), m) : new BsgsTransform(e, n));
            }
        }
        return List.of(cts, stc, extra);
    }

    /**
     * Bootstraps {@code ct} (size 2 or 3, {@link BootstrappingParameters#slots()} slots, level at least
     * {@link BootstrappingParameters#inputLevel()}): returns an encryption of the same slot values at level
     * {@link BootstrappingParameters#outputLevel()} with the parameters' default scale. The ciphertext may belong to
     * {@link BootstrappingParameters#parameters()} or to {@link BootstrappingParameters#computationParameters()}; the
     * result belongs to the same set.
     */
    public Ciphertext bootstrap(Ciphertext ct) {
        Parameters own = requireOwn(ct);
        return Cts.onChain(bootstrapMain(Cts.onChain(ct, params)), own);
    }

    /**
     * Two real-slot ciphertexts for the price of one bootstrap: (a + i·b)/(2·bound) is bootstrapped once and split again by
     * conjugation (no level). Both must have real slot values with |a|, |b| ≤ {@code bound} (an integer ≥ 1: the
     * inputs are relabelled by 1/(2·bound) so the packed value stays in the unit disc, and the outputs multiplied by
     * {@code bound} exactly, which multiplies the absolute error by {@code bound}), the same scale and slot count,
     * and levels of at least {@link BootstrappingParameters#inputLevel()} (the higher one is dropped). Returns {a, b}
     * at {@link BootstrappingParameters#outputLevel()} with the default scale, in the inputs' parameter set.
     * Imaginary parts of the inputs would leak into the other output.
     */
    public Ciphertext[] bootstrapPair(Ciphertext a, Ciphertext b, int bound) {
        Parameters own = requireOwn(a);
        if (!own.sameAs(b.parameters())) {
            throw new IllegalArgumentException("the two ciphertexts belong to different parameter sets");
        }
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        }
        if (a.scale() != b.scale() || a.slots() != b.slots()) {
            throw new IllegalArgumentException("the two ciphertexts must have the same scale and slot count");
        }
        Ciphertext x = Cts.onChain(a.size() == 3 ? ev.relinearize(Cts.onChain(a, params)) : a, params);
        Ciphertext y = Cts.onChain(b.size() == 3 ? ev.relinearize(Cts.onChain(b, params)) : b, params);
        int level = Math.min(x.level(), y.level());
        x = ev.dropLevel(x, level);
        y = ev.dropLevel(y, level);
        // (a + i·b)/(2·bound): relabelling the scale is exact and free; the halving makes the split below land on
        // the default scale exactly.
        Ciphertext packed = Cts.withScale(ev.add(x, Cts.timesI(ev, y, false)), x.scale() * 2 * bound);
        Ciphertext out = bootstrapMain(packed);
        Ciphertext conj = keyed(new int[0], true).conjugate(out);
        keys.release();
        Ciphertext re = ev.add(out, conj);                                  // reads a/bound
        Ciphertext im = Cts.timesI(ev, ev.sub(out, conj), true);            // -i·(2i·b/(2·bound)) reads b/bound
        if (bound > 1) {
            re = ev.multiplyInteger(re, bound);
            im = ev.multiplyInteger(im, bound);
        }
        return new Ciphertext[] {Cts.onChain(re, own), Cts.onChain(im, own)};
    }

    private Parameters requireOwn(Ciphertext ct) {
        Parameters own = ct.parameters();
        if (!params.sameAs(own) && !bp.computationParameters().sameAs(own)) {
            throw new IllegalArgumentException("ciphertext belongs to a different parameter set");
        }
        if (ct.slots() != bp.slots()) {
            throw new IllegalArgumentException("this bootstrapper is for " + bp.slots() + " slots, the ciphertext has "
                    + ct.slots());
        }
        return own;
    }

    private Ciphertext bootstrapMain(Ciphertext ct) {
        Ciphertext low = prepare(ct);
        Ciphertext[] parts = coeffToSlot(modRaise(low));
        for (int i = 0; i < parts.length; i++) {
            parts[i] = evalMod(parts[i]);
        }
        return finish(parts, low.scale());
    }

    /**
     * Brings the input to level 0 with a scale Δ_0 ≈ q_0/2^ratio: by an integer multiplication (ModRaise first), or
     * through SlotToCoeff from level {@link BootstrappingParameters#inputLevel()}, whose plaintext scales land on
     * exactly q_0/2^ratio.
     */
    Ciphertext prepare(Ciphertext ct) {
        if (bp.order() == BootstrappingParameters.Order.MOD_RAISE_FIRST) {
            return scaleDown(ct);
        }
        Ciphertext c = ct.size() == 3 ? ev.relinearize(ct) : ct;
        if (c.level() < bp.inputLevel()) {
            throw new IllegalArgumentException("bootstrapping input must be at level >= " + bp.inputLevel()
                    + " (SlotToCoeff runs first), got level " + c.level());
        }
        c = ev.dropLevel(c, bp.inputLevel());
        // SlotToCoeff runs on the sub-chain q_0 … q_S (same primes, smaller keys).
        Parameters sub = bp.slotToCoeffParameters();
        Evaluator subEv = new Evaluator(sub, null, keys.slotToCoeffGaloisKeys(bp.slotToCoeffGaloisElements()), par);
        c = Cts.onChain(c, sub);
        double start = c.scale();
        double end = params.q(0) / Math.scalb(1.0, bp.logMessageRatio());
        int levels = stc.size();
        for (int i = 0; i < levels; i++) {
            double target = i == levels - 1 ? end : start * Math.pow(end / start, (i + 1.0) / levels);
            c = stc.get(i).apply(subEv, subEncoder, c, target);
        }
        keys.release();
        return Cts.onChain(c, params);
    }

    /** After the reduction: back to the message scale and slot layout (SlotToCoeff, or recombination). */
    Ciphertext finish(Ciphertext[] parts, double delta0) {
        if (bp.order() == BootstrappingParameters.Order.MOD_RAISE_FIRST) {
            return slotToCoeff(parts, delta0);
        }
        // sin(2π t/q_0) ≈ 2π·Δ0·z/q_0: relabel so that the slots read z.
        double f = params.q(0) / (2 * Math.PI * delta0);
        Ciphertext c = Cts.withScale(parts[0], parts[0].scale() / f);
        if (parts.length == 2) {
            Ciphertext im = Cts.withScale(parts[1], parts[1].scale() / f);
            return Cts.withScale(ev.add(c, Cts.timesI(ev, im, false)), params.defaultScale());
        }
        c = apply(repack, c, params.defaultScale());
        return Cts.withSlots(c, bp.slots());
    }

    /** Level 0 and scale ≈ q_0/2^ratio (an integer multiple of the input scale). */
    Ciphertext scaleDown(Ciphertext ct) {
        Ciphertext c = ct.size() == 3 ? ev.relinearize(ct) : ct;
        c = ev.dropLevel(c, 0);
        double target = params.q(0) / Math.scalb(1.0, bp.logMessageRatio());
        long k = Math.round(target / c.scale());
        if (k < 1) {
            throw new IllegalArgumentException(String.format(
                    "input scale 2^%.2f is too large for q_0/2^%d = 2^%.2f", Math.log(c.scale()) / Math.log(2),
                    bp.logMessageRatio(), Math.log(target) / Math.log(2)));
        }
        if (k > 1) {
            c = Cts.withScale(ev.multiplyInteger(c, k), c.scale() * k);
        }
        return c;
    }

    /** Raise (with encapsulation if enabled) and, for sparse packing, the trace. Labels the result for CtS. */
    Ciphertext modRaise(Ciphertext level0) {
        EncapsulationKeys enc = keys.encapsulationKeys();
        Ciphertext r = enc != null ? ModRaise.raiseToDense(enc, ModRaise.denseToSparse(enc, level0))
                : ModRaise.raise(level0);
        int[] trace = bp.traceSteps();
        if (trace.length > 0) {
            Evaluator tev = keyed(trace, false);
            for (int step : trace) {
                r = tev.add(r, tev.rotate(r, step));
            }
            keys.release();
        }
        int gap = params.n() / (2 * bp.slots());
        return Cts.withScale(r, params.q(0) * evalMod.kc() * 2 * gap);
    }

    /** CoeffToSlot: returns {real} (sparse, 2n slots) or {real, imaginary} (full), slots u = y/Kc. */
    Ciphertext[] coeffToSlot(Ciphertext raised) {
        Ciphertext c = bp.isSparse() ? Cts.withSlots(raised, 2 * bp.slots()) : raised;
        double start = c.scale();
        double end = evalMod.inputScale();
        int levels = cts.size();
        for (int i = 0; i < levels; i++) {
            double target = i == levels - 1 ? end : start * Math.pow(end / start, (i + 1.0) / levels);
            c = apply(cts.get(i), c, target);
        }
        Ciphertext conj = keyed(new int[0], true).conjugate(c);
        keys.release();
        if (bp.isSparse()) {
            return new Ciphertext[] {ev.add(c, conj)};
        }
        return new Ciphertext[] {ev.add(c, conj), Cts.timesI(ev, ev.sub(c, conj), true)};
    }

    Ciphertext evalMod(Ciphertext c) {
        return evalMod.apply(ev, c);
    }

    /** SlotToCoeff from the reduced real (and imaginary) parts, relabelled to message scale via delta0. */
    Ciphertext slotToCoeff(Ciphertext[] parts, double delta0) {
        // Values are sin(2π t/q_0) ≈ 2π·Δ0·p/q_0: relabel so that they read p.
        double f = params.q(0) / (2 * Math.PI * delta0);
        Ciphertext c = Cts.withScale(parts[0], parts[0].scale() / f);
        if (parts.length == 2) {
            Ciphertext im = Cts.withScale(parts[1], parts[1].scale() / f);
            c = ev.add(c, Cts.timesI(ev, im, false));
        }
        double start = c.scale();
        double end = params.defaultScale();
        int levels = stc.size();
        for (int i = 0; i < levels; i++) {
            double target = i == levels - 1 ? end : start * Math.pow(end / start, (i + 1.0) / levels);
            c = apply(stc.get(i), c, target);
        }
        return bp.isSparse() ? Cts.withSlots(c, bp.slots()) : c;
    }

    EvalMod evalModCircuit() {
        return evalMod;
    }

    List<BsgsTransform> coeffToSlotTransforms() {
        return cts;
    }

    List<BsgsTransform> slotToCoeffTransforms() {
        return stc;
    }
}
