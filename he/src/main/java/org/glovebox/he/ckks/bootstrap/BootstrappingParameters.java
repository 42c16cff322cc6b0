package org.glovebox.he.ckks.bootstrap;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.glovebox.he.ckks.GaloisElements;
import org.glovebox.he.ckks.Parameters;

/**
 * Everything bootstrapping needs to know besides the keys: the CKKS {@link Parameters} whose modulus chain is laid out
 * for it, the slot count, how the homomorphic DFTs are split into levels, and how the modular reduction is
 * approximated.
 *
 * <p>The chain, from q_0 upwards, with the default order {@link Order#SLOT_TO_COEFF_FIRST}:
 *
 * <pre>
 *   q_0 | SlotToCoeff: S | computation: C | (sparse: repack 1) | EvalMod: E | CoeffToSlot: T   (+ special P)
 * </pre>
 *
 * and with {@link Order#MOD_RAISE_FIRST}: q_0 | computation: C | SlotToCoeff: S | EvalMod: E | CoeffToSlot: T.
 * A ciphertext at level {@link #inputLevel()} (S, or 0) or above is bootstrapped to {@link #outputLevel()}, so C
 * multiplicative levels are left for computation between two bootstraps ({@link #levelsAfterBootstrap()}). q_0 holds
 * the message during the modulus raise; its ratio to the message scale ({@link #logMessageRatio()}) bounds what the
 * raised coefficients may hold: the slot values (SlotToCoeff first, ratio 2^13) or the coefficients of the message
 * polynomial (ModRaise first, ratio 2^8); slot values in [-1, 1] are safe in both.
 *
 * <p>The modular reduction evaluates sin(2πy) ≈ 2π(y - round(y)) for |y| &lt; K + 1/2 as cos(2π(y - 1/4)/2^r) — an
 * even Chebyshev interpolant, evaluated as a polynomial of degree {@link #cosineDegree()} in T_2 — followed by r
 * double-angle steps cos 2θ = 2cos²θ - 1 ({@link #doubleAngles()}); Han–Ki (2020), Bossuat et al. (2021).
 *
 * <p>Security: the CKKS parameters are validated by {@link Parameters} (128-bit HE-standard bound, uniform ternary
 * secret) unless built with the insecure test switch. With {@link #ephemeralSecretWeight()} h' &gt; 0 the
 * bootstrapping uses sparse-secret encapsulation (Bossuat, Troncoso-Pastoriza, Hubaux, eprint 2022/024): just before
 * the modulus raise the ciphertext is switched, at the modulus q_0·p_0 only, to an ephemeral secret with h' non-zero
 * coefficients, and switched back to the main secret right after the raise; the main secret stays dense. See
 * docs/bootstrapping.md for the argument.
 */
public final class BootstrappingParameters {
    /** Where SlotToCoeff sits in the circuit. */
    public enum Order {
        /**
         * SlotToCoeff first, at the bottom of the chain (Chen–Chillotti–Song 2019; Lattigo's DecodeThenModUp): the
         * input must be at level {@link #inputLevel()} ≥ S; SlotToCoeff runs on few primes and the output of the
         * modular reduction is already the result. Sparse packing needs one extra level to repack real and
         * imaginary parts. The default.
         */
        SLOT_TO_COEFF_FIRST,
        /** ModRaise, CoeffToSlot, EvalMod, SlotToCoeff (Cheon et al. 2018): the input may be at level 0. */
        MOD_RAISE_FIRST
    }

    private final Parameters params;
    private final Order order;
    private final int logSlots;
    private final int computationLevels;
    private final int slotToCoeffLevels;
    private final int evalModLevels;
    private final int coeffToSlotLevels;
    private final int k;
    private final int logMessageRatio;
    private final int cosineDegree;
    private final int doubleAngles;
    private final int arcsineDegree;
    private final int ephemeralSecretWeight;
    private final double evalModScale;
    /** SlotToCoeff-first: the sub-chain q_0 … q_S with the same special primes; null otherwise. */
    private final Parameters slotToCoeffParams;
    /** The chain q_0 … q_{outputLevel} with the same special primes (see {@link #computationParameters()}). */
    private final Parameters computationParams;

    private BootstrappingParameters(Builder b, Parameters params, int logSlots, int logMessageRatio, int evalModLevels,
            int k) {
        this.params = params;
        this.order = b.order;
        this.logSlots = logSlots;
        this.computationLevels = b.computationLevels;
        this.slotToCoeffLevels = b.stcLevels;
        this.evalModLevels = evalModLevels;
        this.coeffToSlotLevels = b.ctsLevels;
        this.k = k;
        this.logMessageRatio = logMessageRatio;
        this.cosineDegree = b.cosineDegree;
        this.doubleAngles = b.doubleAngles;
        this.arcsineDegree = b.arcsineDegree;
        this.ephemeralSecretWeight = b.ephemeralSecretWeight;
        this.evalModScale = b.order == Order.SLOT_TO_COEFF_FIRST
                ? params.defaultScale() * Math.scalb(1.0, logMessageRatio) / (2 * Math.PI)
                : Math.scalb(1.0, b.evalModLogScale > 0 ? b.evalModLogScale : b.evalModBits);
        this.slotToCoeffParams = order == Order.SLOT_TO_COEFF_FIRST ? prefix(params, slotToCoeffLevels) : null;
        this.computationParams = prefix(params, outputLevel());
    }

    /** The chain q_0 … q_top of {@code params} with the same special primes, scale and secret distribution. */
    private static Parameters prefix(Parameters params, int top) {
        Parameters.Builder sb = Parameters.builder()
                .logN(params.logN())
                .primes(Arrays.copyOf(params.qPrimes(), top + 1), params.pPrimes())
                .defaultScale(params.defaultScale())
                .secretHammingWeight(params.secretHammingWeight())
                .sigma(params.sigma());
        if (params.isInsecure()) {
            sb.insecureForTestingOnly();
        }
        return sb.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset for small, fast, <b>insecure</b> test rings: N = 2^logN, 2^logSlots slots, q_0 of 55 bits,
     * two 40-bit computation, SlotToCoeff and (50-bit) CoeffToSlot levels, 50-bit EvalMod primes, four 58-bit special
     * primes, default scale 2^40, with the insecure test switch set. Callers adjust what their test needs (e.g.
     * {@code computationPrimes}, {@code ephemeralSecretWeight}) before {@code build()}.
     */
    public static Builder insecureTestBuilder(int logN, int logSlots) {
        return builder()
                .logN(logN)
                .logSlots(logSlots)
                .firstPrimeBits(55)
                .computationPrimes(2, 40)
                .defaultLogScale(40)
                .slotToCoeffPrimes(2, 40)
                .evalModPrimeBits(50)
                .coeffToSlotPrimes(2, 50)
                .specialPrimes(4, 58)
                .insecureForTestingOnly();
    }

    /**
     * The 128-bit-secure set for N = 2^16 with full packing (2^15 complex slots): uniform ternary main secret,
     * log2(QP) within the HE-standard bound of 1747 bits (checked by {@link Parameters}), sparse-secret encapsulation
     * with h' = 32 at q_0·p_0 (121 bits), default scale 2^40, {@value #N16_LEVELS} levels left after bootstrapping.
     */
    public static BootstrappingParameters n16() {
        return n16(15);
    }

    /** Levels the {@link #n16()} sets leave for computation. */
    public static final int N16_LEVELS = 10;

    /**
     * {@link #n16()} with 2^logSlots slots, 3 ≤ logSlots ≤ 15. Sparse packing (logSlots &lt; 15) has fewer DFT stages
     * and takes three CoeffToSlot levels instead of four, which pays for the extra repacking level: still 10 levels
     * left and log2(QP) within the bound.
     */
    public static BootstrappingParameters n16(int logSlots) {
        if (logSlots < 3 || logSlots > 15) {
            throw new IllegalArgumentException("logSlots must be in [3, 15], got " + logSlots);
        }
        return builder()
                .logN(16)
                .logSlots(logSlots)
                .firstPrimeBits(60)
                .computationPrimes(N16_LEVELS, 40)
                .defaultLogScale(40)
                .slotToCoeffPrimes(3, 42)
                .evalModPrimeBits(60)
                .coeffToSlotPrimes(logSlots == 15 ? 4 : 3, 54)
                .specialPrimes(8, 58)
                .ephemeralSecretWeight(32)
                .build();
    }

    public Parameters parameters() {
        return params;
    }

    public int logSlots() {
        return logSlots;
    }

    /** Number of complex slots of the ciphertexts this set bootstraps. */
    public int slots() {
        return 1 << logSlots;
    }

    /** True when slots &lt; N/2 (sparse packing). */
    public boolean isSparse() {
        return logSlots < params.logN() - 1;
    }

    /** Level of a bootstrapped ciphertext: the multiplicative levels left for computation. */
    public int levelsAfterBootstrap() {
        return computationLevels;
    }

    public int slotToCoeffLevels() {
        return slotToCoeffLevels;
    }

    public int evalModLevels() {
        return evalModLevels;
    }

    public int coeffToSlotLevels() {
        return coeffToSlotLevels;
    }

    /** Levels the bootstrapping circuit consumes. */
    public int depth() {
        return slotToCoeffLevels + evalModLevels + coeffToSlotLevels + (hasRepackLevel() ? 1 : 0);
    }

    /** Bound K on the integer part |I| of the raised coefficients (in units of q_0). */
    public int k() {
        return k;
    }

    public int logMessageRatio() {
        return logMessageRatio;
    }

    /** Degree of the cosine interpolant as a polynomial in T_2(u) (its degree in u is twice this). */
    public int cosineDegree() {
        return cosineDegree;
    }

    public int doubleAngles() {
        return doubleAngles;
    }

    /** Degree of the arcsine correction after the double angles (0: none). */
    public int arcsineDegree() {
        return arcsineDegree;
    }

    /** Hamming weight h' of the ephemeral sparse secret; 0 when encapsulation is off. */
    public int ephemeralSecretWeight() {
        return ephemeralSecretWeight;
    }

    /** Scale of the ciphertexts that leave the modular reduction. */
    double evalModScale() {
        return evalModScale;
    }

    public Order order() {
        return order;
    }

    /**
     * With SlotToCoeff first, the parameters of the sub-chain q_0 … q_S (same ring, special primes and secret
     * distribution, validated like any set) on which SlotToCoeff runs: its Galois keys only span S + 1 primes and one
     * key-switching digit, several times smaller than keys over the whole chain. Null for ModRaise first.
     */
    public Parameters slotToCoeffParameters() {
        return slotToCoeffParams;
    }

    /**
     * The parameters computation between two bootstraps runs on: the chain q_0 … q_{@link #outputLevel()} of
     * {@link #parameters()} with the same special primes, scale and secret distribution (validated like any set;
     * a smaller modulus than the full chain, so at least as secure). Ciphertexts of these parameters are what
     * {@link Bootstrapper} takes and returns when given them; keys for them (smaller than full-chain keys) come from
     * the same secret ({@link BootstrappingKeys#computationSecretKey}).
     */
    public Parameters computationParameters() {
        return computationParams;
    }

    /**
     * The level bootstrapping inputs are brought down to: 0, or S (the SlotToCoeff levels) when SlotToCoeff comes
     * first. Computation may use the levels from {@link #outputLevel()} down to this one.
     */
    public int inputLevel() {
        return order == Order.SLOT_TO_COEFF_FIRST ? slotToCoeffLevels : 0;
    }

    /** Level of a bootstrapped ciphertext: {@link #inputLevel()} + {@link #levelsAfterBootstrap()}. */
    public int outputLevel() {
        return inputLevel() + computationLevels;
    }

    /** True if an extra level repacks real and imaginary parts after the reduction (sparse, SlotToCoeff first). */
    boolean hasRepackLevel() {
        return order == Order.SLOT_TO_COEFF_FIRST && isSparse();
    }

    /** Level at which CoeffToSlot starts (the top). */
    int coeffToSlotStart() {
        return params.maxLevel();
    }

    /** Level at which the modular reduction starts. */
    int evalModStart() {
        return params.maxLevel() - coeffToSlotLevels;
    }

    /** Level at which SlotToCoeff starts. */
    int slotToCoeffStart() {
        return order == Order.SLOT_TO_COEFF_FIRST ? slotToCoeffLevels : computationLevels + slotToCoeffLevels;
    }

    /**
     * The rotation steps (in slots of the full N/2 view) of every rotation the bootstrapping performs on the main
     * chain (for SlotToCoeff first, those of SlotToCoeff are in {@link #slotToCoeffRotationSteps()}).
     */
    public int[] rotationSteps() {
        computeSteps();
        return mainSteps.clone();
    }

    /** Rotation steps of the main chain and of the sub-chain, derived once from the DFT factorization. */
    private volatile int[] mainSteps;
    private volatile int[] subSteps;

    private synchronized void computeSteps() {
        if (mainSteps != null) {
            return;
        }
        TreeSet<Integer> steps = new TreeSet<>();
        List<List<BsgsTransform>> t = Bootstrapper.build(this);
        for (int i = 0; i < t.size(); i++) {
            if (i == 1 && order == Order.SLOT_TO_COEFF_FIRST) {
                continue;
            }
            for (BsgsTransform x : t.get(i)) {
                for (int s : x.rotationSteps()) {
                    steps.add(s);
                }
            }
        }
        for (int s : traceSteps()) {
            steps.add(s);
        }
        steps.remove(0);
        subSteps = order == Order.SLOT_TO_COEFF_FIRST ? BsgsTransform.steps(t.get(1)) : new int[0];
        mainSteps = steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The rotation steps of SlotToCoeff on the sub-chain (empty for ModRaise first). */
    public int[] slotToCoeffRotationSteps() {
        computeSteps();
        return subSteps.clone();
    }

    /** Galois elements of the sub-chain keys (empty for ModRaise first). */
    public int[] slotToCoeffGaloisElements() {
        TreeSet<Integer> g = new TreeSet<>();
        for (int s : slotToCoeffRotationSteps()) {
            int e = GaloisElements.forRotation(s, params.n());
            if (e != 1) {
                g.add(e);
            }
        }
        return g.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Rotation steps of the trace that sparse packing applies after the modulus raise. */
    int[] traceSteps() {
        int gapLog = params.logN() - 1 - logSlots;
        int[] s = new int[gapLog];
        for (int i = 0; i < gapLog; i++) {
            s[i] = slots() << i;
        }
        return s;
    }

    /** The Galois elements of every main-chain key the bootstrapping needs (rotations and conjugation), sorted. */
    public int[] galoisElements() {
        TreeSet<Integer> g = new TreeSet<>();
        for (int s : rotationSteps()) {
            int e = GaloisElements.forRotation(s, params.n());
            if (e != 1) {
                g.add(e);
            }
        }
        g.add(GaloisElements.conjugation(params.n()));
        return g.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return String.format("Bootstrapping(%s, slots=2^%d, %s, levels after=%d (input level %d), depth=%d [CtS %d,"
                        + " EvalMod %d, StC %d%s], K=%d, cos degree %d, double angles %d%s, ratio 2^%d, %s)",
                params, logSlots, order, computationLevels, inputLevel(), depth(), coeffToSlotLevels, evalModLevels,
                slotToCoeffLevels, hasRepackLevel() ? ", repack 1" : "", k,
                cosineDegree, doubleAngles, arcsineDegree > 0 ? ", arcsine degree " + arcsineDegree : "",
                logMessageRatio,
                ephemeralSecretWeight > 0 ? "encapsulation h'=" + ephemeralSecretWeight : "no encapsulation");
    }

    /** Builds the CKKS chain for bootstrapping and validates both. */
    public static final class Builder {
        private Order order = Order.SLOT_TO_COEFF_FIRST;
        private int logN = 16;
        private int logSlots = -1;
        private int firstPrimeBits = 60;
        private int computationLevels = 9;
        private int computationBits = 40;
        private int defaultLogScale = -1;
        private int stcLevels = 3;
        private int stcBits = 42;
        private int evalModBits = 60;
        private int evalModTopBits = -1;
        private int evalModLogScale = -1;
        private int ctsLevels = 3;
        private int ctsBits = 58;
        private int specialCount = 8;
        private int specialBits = 61;
        private int k = -1;
        private int logMessageRatio = -1;
        private int cosineDegree = 31;
        private int doubleAngles = 2;
        private int arcsineDegree;
        private int ephemeralSecretWeight = 32;
        private int secretHammingWeight;
        private boolean insecure;

        private Builder() {
        }

        /** Circuit order (default {@link Order#SLOT_TO_COEFF_FIRST}). */
        public Builder order(Order order) {
            this.order = order;
            return this;
        }

        public Builder logN(int logN) {
            this.logN = logN;
            return this;
        }

        /** Slot count 2^logSlots (default N/2, full packing). */
        public Builder logSlots(int logSlots) {
            this.logSlots = logSlots;
            return this;
        }

        /** Size of q_0, the modulus the message lives in during the raise (default 60 bits). */
        public Builder firstPrimeBits(int bits) {
            this.firstPrimeBits = bits;
            return this;
        }

        /** Levels left for computation after bootstrapping, and their prime size. */
        public Builder computationPrimes(int levels, int bits) {
            this.computationLevels = levels;
            this.computationBits = bits;
            return this;
        }

        /** Default scale 2^logScale of the CKKS parameters (default: the computation prime size). */
        public Builder defaultLogScale(int logScale) {
            this.defaultLogScale = logScale;
            return this;
        }

        public Builder slotToCoeffPrimes(int levels, int bits) {
            this.stcLevels = levels;
            this.stcBits = bits;
            return this;
        }

        /** Prime size of the modular-reduction levels (their number follows from the degree and double angles). */
        public Builder evalModPrimeBits(int bits) {
            this.evalModBits = bits;
            return this;
        }

        /**
         * Size of the first (highest) modular-reduction prime (default: the others' size). It fixes the scale at
         * which CoeffToSlot delivers its output, sqrt(q_E·q_(E-1)), hence the weight of CoeffToSlot's noise.
         */
        public Builder evalModTopPrimeBits(int bits) {
            this.evalModTopBits = bits;
            return this;
        }

        /** log2 of the scale at which the modular reduction outputs (default: its prime size). */
        public Builder evalModLogScale(int logScale) {
            this.evalModLogScale = logScale;
            return this;
        }

        public Builder coeffToSlotPrimes(int levels, int bits) {
            this.ctsLevels = levels;
            this.ctsBits = bits;
            return this;
        }

        public Builder specialPrimes(int count, int bits) {
            this.specialCount = count;
            this.specialBits = bits;
            return this;
        }

        /**
         * Bound K on |round(y)| of the raised coefficients y (default: (h + 1)/2 rounded down for the secret of
         * Hamming weight h that the raise sees, which can never be exceeded).
         */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /**
         * log2(q_0 / Δ) during the raise: default 8 with ModRaise first (the raised coefficients are the small
         * coefficients of the message polynomial), 13 with SlotToCoeff first (they are the slot values themselves).
         */
        public Builder logMessageRatio(int r) {
            this.logMessageRatio = r;
            return this;
        }

        public Builder cosineDegree(int degree) {
            this.cosineDegree = degree;
            return this;
        }

        /**
         * Odd degree of an arcsine correction applied to sin(2πy) (0, the default, for none): arcsin maps it back to
         * 2π(y - round(y)) exactly, removing the sine's deviation |z|·(2π|z|/2^ratio)²/6 at the cost of
         * ceil(log2(degree + 1)) levels. Degree 3 is plenty for ratios of 2^8 and more.
         */
        public Builder arcsineDegree(int degree) {
            this.arcsineDegree = degree;
            return this;
        }

        public Builder doubleAngles(int r) {
            this.doubleAngles = r;
            return this;
        }

        /** Weight h' of the ephemeral sparse secret of the encapsulation; 0 turns encapsulation off. */
        public Builder ephemeralSecretWeight(int h) {
            this.ephemeralSecretWeight = h;
            return this;
        }

        /** Sparse main secret (insecure test rings only; {@link Parameters} refuses it otherwise). */
        public Builder secretHammingWeight(int h) {
            this.secretHammingWeight = h;
            return this;
        }

        /** Builds the CKKS parameters with the insecure test switch (small fast rings in tests). */
        public Builder insecureForTestingOnly() {
            this.insecure = true;
            return this;
        }

        public BootstrappingParameters build() {
            int maxLogSlots = logN - 1;
            int ls = logSlots < 0 ? maxLogSlots : logSlots;
            if (ls < 1 || ls > maxLogSlots) {
                throw new IllegalArgumentException("logSlots must be in [1, " + maxLogSlots + "], got " + ls);
            }
            int ratio = logMessageRatio >= 0 ? logMessageRatio : order == Order.SLOT_TO_COEFF_FIRST ? 13 : 8;
            if (ctsLevels < 1 || ctsLevels > ls || stcLevels < 1 || stcLevels > ls) {
                throw new IllegalArgumentException("CoeffToSlot and SlotToCoeff levels must be in [1, logSlots = " + ls
                        + "], got " + ctsLevels + " and " + stcLevels);
            }
            if (computationLevels < 0) {
                throw new IllegalArgumentException("computation levels must be >= 0");
            }
            if (cosineDegree < 1 || doubleAngles < 0 || doubleAngles > 8) {
                throw new IllegalArgumentException("cosine degree must be >= 1 and double angles in [0, 8]");
            }
            if (ratio < 1 || ratio >= firstPrimeBits - 10) {
                throw new IllegalArgumentException("log message ratio must be in [1, q_0 bits - 10)");
            }
            if (ephemeralSecretWeight < 0 || ephemeralSecretWeight > (1 << logN)) {
                throw new IllegalArgumentException("ephemeral secret weight must be in [0, N]");
            }
            if (ephemeralSecretWeight == 0 && secretHammingWeight == 0 && k < 0) {
                throw new IllegalArgumentException("without encapsulation a dense main secret needs an explicit K"
                        + " (and a much larger cosine degree); use ephemeralSecretWeight(32)");
            }
            int weight = ephemeralSecretWeight > 0 ? ephemeralSecretWeight : secretHammingWeight;
            int kk = k > 0 ? k : Math.max(1, (weight + 1) / 2);
            int cosDepth = 32 - Integer.numberOfLeadingZeros(cosineDegree);
            if (arcsineDegree < 0 || (arcsineDegree > 0 && arcsineDegree % 2 == 0)) {
                throw new IllegalArgumentException("arcsine degree must be 0 or odd, got " + arcsineDegree);
            }
            int asinDepth = arcsineDegree == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(arcsineDegree);
            int evalModLevels = 1 + cosDepth + doubleAngles + asinDepth;
            boolean repack = order == Order.SLOT_TO_COEFF_FIRST && ls < maxLogSlots;
            int total = 1 + computationLevels + stcLevels + (repack ? 1 : 0) + evalModLevels + ctsLevels;
            int[] qBits = new int[total];
            int i = 0;
            qBits[i++] = firstPrimeBits;
            if (order == Order.SLOT_TO_COEFF_FIRST) {
                for (int t = 0; t < stcLevels; t++) {
                    qBits[i++] = stcBits;
                }
            }
            for (int t = 0; t < computationLevels; t++) {
                qBits[i++] = computationBits;
            }
            if (order == Order.MOD_RAISE_FIRST) {
                for (int t = 0; t < stcLevels; t++) {
                    qBits[i++] = stcBits;
                }
            }
            if (repack) {
                qBits[i++] = stcBits;
            }
            for (int t = 0; t < evalModLevels; t++) {
                qBits[i++] = t == evalModLevels - 1 && evalModTopBits > 0 ? evalModTopBits : evalModBits;
            }
            for (int t = 0; t < ctsLevels; t++) {
                qBits[i++] = ctsBits;
            }
            int[] pBits = new int[specialCount];
            Arrays.fill(pBits, specialBits);
            Parameters.Builder pb = Parameters.builder()
                    .logN(logN)
                    .primeBits(qBits, pBits)
                    .logScale(defaultLogScale > 0 ? defaultLogScale : computationBits)
                    .secretHammingWeight(secretHammingWeight);
            if (insecure) {
                pb.insecureForTestingOnly();
            }
            Parameters params = pb.build();
            if (ephemeralSecretWeight > 0 && params.pPrimes()[0] < params.q(0) / 8) {
                throw new IllegalArgumentException("the encapsulation switches keys modulo q_0·p_0: p_0 must not be"
                        + " much smaller than q_0");
            }
            return new BootstrappingParameters(this, params, ls, ratio, evalModLevels, kk);
        }
    }
}
