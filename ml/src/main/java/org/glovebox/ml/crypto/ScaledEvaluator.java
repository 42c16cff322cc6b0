package org.glovebox.ml.crypto;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;

/**
 * An {@link Evaluator} that keeps every ciphertext at the canonical scale of its level ({@link LevelScales}), so the
 * results of different paths through a circuit can always be added:
 * <ul>
 *   <li>{@link #multiply}: product of two canonical ciphertexts of the same level, relinearized and rescaled: the
 *       result is canonical one level lower;</li>
 *   <li>{@link #multiplyConst} and {@link #multiplyPlain}: multiply by a constant or a slot vector <em>and</em> move
 *       to any lower level, in one rescale: the constant is encoded at the scale that lands exactly on the target
 *       level's canonical scale (this is also how a ciphertext is brought down to a lower level for an addition);</li>
 *   <li>{@link #addPlain}: adds a slot vector encoded at the ciphertext's own level and scale.</li>
 * </ul>
 * Uses only public material. Thread-safe as the underlying evaluator and encoder are.
 */
public final class ScaledEvaluator {
    /** Relative scale mismatch tolerated (the evaluator's own tolerance is 1e-9). */
    private static final double TOLERANCE = 1e-10;

    private final Evaluator ev;
    private final Encoder encoder;
    private final LevelScales scales;
    private final Parameters params;

    public ScaledEvaluator(Evaluator evaluator, Encoder encoder) {
        this.ev = evaluator;
        this.encoder = encoder;
        this.params = evaluator.parameters();
        this.scales = LevelScales.of(params);
        if (!params.sameAs(encoder.parameters())) {
            throw new IllegalArgumentException("encoder and evaluator use different parameter sets");
        }
    }

    public Evaluator evaluator() {
        return ev;
    }

    public Encoder encoder() {
        return encoder;
    }

    public LevelScales scales() {
        return scales;
    }

    public Parameters parameters() {
        return params;
    }

    /** True if the ciphertext carries the canonical scale of its level. */
    public boolean isCanonical(Ciphertext ct) {
        return Math.abs(ct.scale() / scales.at(ct.level()) - 1) < TOLERANCE;
    }

    /** Fails unless the ciphertext is canonical. */
    public Ciphertext requireCanonical(Ciphertext ct, String what) {
        if (!isCanonical(ct)) {
            throw new IllegalArgumentException(what + ": scale 2^" + log2(ct.scale()) + " at level " + ct.level()
                    + " is not the level's canonical scale 2^" + log2(scales.at(ct.level())));
        }
        return ct;
    }

    private static String log2(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", Math.log(v) / Math.log(2));
    }

    /** a·b for two canonical ciphertexts of the same level: relinearized, rescaled, canonical at level - 1. */
    public Ciphertext multiply(Ciphertext a, Ciphertext b) {
        return ev.rescale(ev.relinearize(ev.multiply(a, b)));
    }

    /** a·a, canonical at level - 1. */
    public Ciphertext square(Ciphertext a) {
        return multiply(a, a);
    }

    /** Σ a_i·b_i with one relinearization and one rescale (all operands canonical, same level). */
    public Ciphertext sumOfProducts(Ciphertext[] a, Ciphertext[] b) {
        Ciphertext acc = null;
        for (int i = 0; i < a.length; i++) {
            Ciphertext p = ev.multiply(a[i], b[i]);
            acc = acc == null ? p : ev.add(acc, p);
        }
        return ev.rescale(ev.relinearize(acc));
    }

    /** Encoding scale that makes (ct at level+1)·(value at that scale), rescaled, land on S_level. */
    private double landingScale(Ciphertext ct, int level) {
        return scales.at(level) * (double) params.q(level + 1) / ct.scale();
    }

    private Ciphertext dropTo(Ciphertext ct, int level, String what) {
        if (level < 0 || level >= ct.level()) {
            throw new IllegalArgumentException(what + ": target level " + level + " must be below the ciphertext's level "
                    + ct.level() + " (a constant multiplication consumes a level)");
        }
        return ev.dropLevel(ct, level + 1);
    }

    /** c·ct, canonical at {@code level} (any level below the ciphertext's). */
    public Ciphertext multiplyConst(Ciphertext ct, double c, int level) {
        Ciphertext x = dropTo(ct, level, "multiplyConst");
        return ev.rescale(ev.multiplyConst(x, c, landingScale(x, level)));
    }

    /** ct brought to {@code level} unchanged in value (returns ct itself if it is already canonical there). */
    public Ciphertext bringTo(Ciphertext ct, int level) {
        if (ct.level() == level && isCanonical(ct)) {
            return ct;
        }
        return multiplyConst(ct, 1.0, level);
    }

    /** values ⊙ ct slot-wise (values zero-padded to the slot count), canonical at {@code level}. */
    public Ciphertext multiplyPlain(Ciphertext ct, double[] values, int level) {
        Ciphertext x = dropTo(ct, level, "multiplyPlain");
        Plaintext pt = encoder.encode(values, null, x.slots(), x.level(), landingScale(x, level));
        return ev.rescale(ev.multiplyPlain(x, pt));
    }

    /** ct + values slot-wise, at the ciphertext's level and scale. */
    public Ciphertext addPlain(Ciphertext ct, double[] values) {
        Plaintext pt = encoder.encode(values, null, ct.slots(), ct.level(), ct.scale());
        return ev.addPlain(ct, pt);
    }

    /** a + b; b is first brought to a's level if it is higher (one constant multiplication). */
    public Ciphertext add(Ciphertext a, Ciphertext b) {
        if (a.level() < b.level()) {
            b = bringTo(b, a.level());
        } else if (b.level() < a.level()) {
            a = bringTo(a, b.level());
        }
        return ev.add(a, b);
    }

    /** c added to every slot. */
    public Ciphertext addConst(Ciphertext ct, double c) {
        return ev.addConst(ct, c);
    }
}
