package org.glovebox.ml.lr;

import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.crypto.LevelScales;
import org.glovebox.ml.crypto.ScaledEvaluator;

/**
 * Logistic-regression training on an {@link EncryptedTrainingSet} by the untrusted cloud, with public material only
 * (relinearization key and the Galois keys of {@link #rotationSteps}): Nesterov's accelerated gradient with a
 * degree-3 polynomial sigmoid, following Kim, Song, Kim, Lee and Cheon (BMC Med Genomics 2018). The result is an
 * {@link EncryptedLogisticModel} that only the key holder(s) can decrypt. {@link PlainLogisticRegression} is the
 * plaintext twin.
 *
 * <h2>One iteration (4 levels), from v at level l</h2>
 * <ol>
 *   <li>P = Z ⊙ v (l-1); Q = Σ over each record's block by rotations 1, 2, …: slot i·w holds s_i = z_i·v;</li>
 *   <li>the sigmoid σ(-s) ≈ c_0 - c_1·s - c_3·s^3, with the mask that keeps only each block's first slot folded
 *       into its coefficients: A = Q ⊙ (c_3 at slots i·w) (l-2), B = A·Q^2 (l-3), D = B + Q ⊙ (c_1 …) + (c_0 …)
 *       (l-3);</li>
 *   <li>D spread over each block by rotations 1, 2, …, which leaves record i's value in the w slots ending at its
 *       first slot; multiplied by the step γ_t·(1-η_t)/n times Zs, the data realigned once to that offset
 *       (Zs = Z ⊙ e_0 + rot_w(Z) ⊙ (1 - e_0)), (l-4); summed over records by rotations w, 2w, …: the step D_t, replicated in every block, aligned;</li>
 *   <li>v_{t+1} = D_t + (1-η_t)·v_t + η_t·β_t, with β_t kept as v_{t-1} + D_{t-1}/(1-η_{t-1}) and every term
 *       brought to level l-4 by one constant multiplication off the critical path.</li>
 * </ol>
 * Iteration 0 starts from v = 0, where σ(0) = 1/2 exactly: its step is (γ_0/2n)·Σ z_i, one constant multiplication
 * of the encrypted sum in the training set (no rotation). K iterations therefore need 4K - 3 levels.
 */
public final class EncryptedLogisticRegression {
    /** Levels kept free at the end of training, so the model can still score encrypted records (one product). */
    public static final int RESERVED_LEVELS = 1;

    private final ScaledEvaluator se;
    private final Evaluator ev;
    private final LevelRefresher refresher;

    /** @param evaluator with the relinearization key and the Galois keys of {@link #rotationSteps} */
    public EncryptedLogisticRegression(Evaluator evaluator) {
        this(evaluator, LevelRefresher.NONE);
    }

    /** With a refresher that will be called when levels run out (see {@link LevelRefresher}). */
    public EncryptedLogisticRegression(Evaluator evaluator, LevelRefresher refresher) {
        this.ev = evaluator;
        this.se = new ScaledEvaluator(evaluator, new Encoder(evaluator.parameters()));
        this.refresher = refresher;
    }

    /** Rotation steps whose Galois keys training needs: every power of two below the slot count. */
    public static int[] rotationSteps(Parameters params) {
        return RowPacking.rotationSteps(params.maxSlots());
    }

    /** Levels K iterations consume: 1 for the first, 4 for each further one. */
    public static int levelsNeeded(int iterations) {
        return 4 * iterations - 3;
    }

    /** The most iterations the parameter set's depth allows without bootstrapping ({@link #RESERVED_LEVELS} kept). */
    public static int maxIterations(Parameters params) {
        int usable = params.maxLevel() - RESERVED_LEVELS;
        return usable < 1 ? 0 : (usable + 3) / 4;
    }

    /** Largest scale drift (bits) tolerated before a parameter set is refused as not scale-stable. */
    static final double MAX_SCALE_DRIFT_BITS = 1;

    /** Trains with the set's suggested learning rate and the default sigmoid. */
    public EncryptedLogisticModel train(EncryptedTrainingSet set, int iterations, TrainingListener listener) {
        return train(set, new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(set.learningRate())), listener);
    }

    public EncryptedLogisticModel train(EncryptedTrainingSet set, TrainingConfig config, TrainingListener listener) {
        Parameters params = ev.parameters();
        if (!params.sameAs(set.parameters())) {
            throw new IllegalArgumentException("the training set was encrypted under a different parameter set");
        }
        if (config.sigmoid().degree() != 3) {
            throw new IllegalArgumentException("encrypted training evaluates a degree-3 sigmoid approximation, got degree "
                    + config.sigmoid().degree());
        }
        int k = config.iterations();
        int max = maxIterations(params);
        if (k > max && refresher == LevelRefresher.NONE) {
            throw new IllegalArgumentException(String.format(
                    "%d iterations need %d levels, but %s has %d (%d kept for scoring): at most %d iterations"
                            + " without bootstrapping (train with a BootstrappingRefresher on bootstrapping"
                            + " parameters for more)",
                    k, levelsNeeded(k), params, params.maxLevel(), RESERVED_LEVELS, max));
        }
        // Lowest level a model ciphertext reaches: with refreshing, the momentum is formed one level above the
        // refresher's input level; without, the levels kept for scoring.
        int floor = refresher == LevelRefresher.NONE ? RESERVED_LEVELS : refresher.inputLevel() + 1;
        if (refresher != LevelRefresher.NONE && floor + 4 > params.maxLevel()) {
            throw new IllegalArgumentException(String.format("an iteration needs 4 levels above level %d, but %s"
                    + " has %d", floor, params, params.maxLevel()));
        }
        if (LevelScales.of(params).maxDriftBits(floor - 1) > MAX_SCALE_DRIFT_BITS) {
            throw new IllegalArgumentException("the parameter set's primes do not keep a stable scale across levels;"
                    + " build it with TrainingParameters / ScaleStableChain");
        }
        long start = System.nanoTime();
        RowPacking packing = set.packing();
        int w = packing.blockWidth();
        int blocks = packing.recordsPerCiphertext();
        int n = set.rows();
        List<Ciphertext> z = set.data();
        int top = params.maxLevel();
        SigmoidApproximation sig = config.sigmoid();
        NesterovSchedule sch = config.schedule();

        // Iteration 0: v_1 = β_1 = (γ_0·c_0 / n)·Σ_i z_i, from the encrypted sum the data owner provides.
        Ciphertext v = se.multiplyConst(set.sum(), sch.gamma(0) * sig.coefficient(0) / n, top - 1);
        // β_t = betaBase + betaFactor·betaStep (betaBase may be null).
        Ciphertext betaBase = null;
        Ciphertext betaStep = v;
        double betaFactor = 1;
        listener.iterationDone(1, k, seconds(start), v.level());
        if (k == 1) {
            return model(set, v, 1);
        }
        Ciphertext[] zs = null;
        for (int t = 1; t < k; t++) {
            if (v.level() - 4 < floor) {
                // Only reachable with a refresher (checked above): v and β_t = betaBase + betaFactor·betaStep are
                // refreshed together.
                Ciphertext beta = betaBase == null ? se.multiplyConst(betaStep, betaFactor, v.level() - 1)
                        : se.add(se.bringTo(betaBase, v.level() - 1),
                                se.multiplyConst(betaStep, betaFactor, v.level() - 1));
                Ciphertext[] fresh = refresher.refresh(se.bringTo(v, v.level() - 1), beta);
                v = se.requireCanonical(fresh[0], "refreshed model");
                betaBase = null;
                betaStep = se.requireCanonical(fresh[1], "refreshed momentum");
                betaFactor = 1;
                zs = null;
                listener.refreshed(t, seconds(start), v.level());
            }
            int l = v.level();
            if (zs == null) {
                zs = realignedData(z, packing, l - 2);
            }
            boolean last = t == k - 1;
            double eta = sch.eta(t);
            double step = sch.gamma(t) * (last ? 1 : 1 - eta) / n;
            // σ(-s) ≈ c0 - c1·s - c3·s^3 with the first-slot mask folded into the coefficients; the step multiplies
            // the realigned data instead (a scalar, so even steps of 10^-6 keep 2^-20 relative precision).
            double c0 = sig.coefficient(0);
            double c1 = -sig.coefficient(1);
            double c3 = -sig.coefficient(3);
            Ciphertext[] spread = new Ciphertext[z.size()];
            Ciphertext[] data = new Ciphertext[z.size()];
            for (int i = 0; i < z.size(); i++) {
                Ciphertext p = se.multiply(se.bringTo(z.get(i), l), v);                     // l-1
                Ciphertext q = ev.innerSum(p, 1, w);                                          // l-1, s_i at slot i·w
                Ciphertext q2 = se.square(q);                                                  // l-2
                Ciphertext a = se.multiplyPlain(q, packing.firstSlotMask(c3), l - 2);          // l-2
                Ciphertext cubic = se.multiply(a, q2);                                         // l-3
                Ciphertext linear = se.multiplyPlain(q, packing.firstSlotMask(c1), l - 3);     // l-3
                Ciphertext g = se.addPlain(ev.add(cubic, linear), packing.firstSlotMask(c0));
                spread[i] = ev.innerSum(g, 1, w);
                data[i] = se.multiplyConst(zs[i], step, l - 3);
            }
            Ciphertext d = ev.innerSum(se.sumOfProducts(spread, data), w, blocks);           // l-4
            if (last) {
                Ciphertext beta = ev.add(se.bringTo(v, l - 4), d);
                listener.iterationDone(t + 1, k, seconds(start), beta.level());
                return model(set, beta, k);
            }
            Ciphertext next = ev.add(d, se.multiplyConst(v, 1 - eta, l - 4));
            if (eta != 0) {
                if (betaBase != null) {
                    next = ev.add(next, se.multiplyConst(betaBase, eta, l - 4));
                }
                next = ev.add(next, se.multiplyConst(betaStep, eta * betaFactor, l - 4));
            }
            betaBase = v;
            betaStep = d;
            betaFactor = 1 / (1 - eta);
            v = next;
            listener.iterationDone(t + 1, k, seconds(start), v.level());
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Zs = Z ⊙ e_0 + rot_w(Z) ⊙ (1 - e_0) at {@code level}: slot j holds the feature j mod w of the record whose
     * spread sigmoid value lands on slot j (the record of slot j + w - 1).
     */
    private Ciphertext[] realignedData(List<Ciphertext> z, RowPacking packing, int level) {
        int w = packing.blockWidth();
        double[] first = packing.firstSlotMask(1);
        double[] rest = new double[first.length];
        for (int j = 0; j < rest.length; j++) {
            rest[j] = 1 - first[j];
        }
        Ciphertext[] out = new Ciphertext[z.size()];
        for (int i = 0; i < z.size(); i++) {
            Ciphertext low = ev.dropLevel(z.get(i), level + 1);
            Ciphertext rotated = ev.rotate(low, w);
            out[i] = ev.add(se.multiplyPlain(low, first, level), se.multiplyPlain(rotated, rest, level));
        }
        return out;
    }

    private static EncryptedLogisticModel model(EncryptedTrainingSet set, Ciphertext beta, int iterations) {
        return new EncryptedLogisticModel(set.parameters(), set.packing(), set.rows(), iterations, set.labelName(),
                set.names(), beta, set.multipliers(), set.offsets(), set.spread());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
