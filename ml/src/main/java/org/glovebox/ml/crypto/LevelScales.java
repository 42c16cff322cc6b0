package org.glovebox.ml.crypto;

import org.glovebox.he.ckks.Parameters;

/**
 * The canonical scale of every level of a parameter set: S_L = the default scale and S_{l-1} = S_l^2 / q_l, which is
 * exactly the scale of a product of two level-l ciphertexts (or a ciphertext and a plaintext encoded at S_l) after
 * its rescale. Keeping every ciphertext at level l at scale S_l means any two of them can be added, whichever path
 * produced them; {@link ScaledEvaluator} enforces it.
 *
 * <p>The schedule is stable (every S_l close to the default scale) only if each chain prime q_l is close to S_l;
 * {@link ScaleStableChain} builds such chains, and {@link #maxDriftBits} measures how far a given set drifts.
 */
public final class LevelScales {
    private final Parameters params;
    private final double[] scales;

    private LevelScales(Parameters params) {
        this.params = params;
        int top = params.maxLevel();
        this.scales = new double[top + 1];
        scales[top] = params.defaultScale();
        for (int l = top; l >= 1; l--) {
            scales[l - 1] = scales[l] * scales[l] / (double) params.q(l);
        }
    }

    public static LevelScales of(Parameters params) {
        return new LevelScales(params);
    }

    public Parameters parameters() {
        return params;
    }

    /** The canonical scale S_level. */
    public double at(int level) {
        return scales[level];
    }

    /** The largest |log2(S_l / default scale)| over all levels l. */
    public double maxDriftBits() {
        return maxDriftBits(0);
    }

    /**
     * The largest |log2(S_l / default scale)| over the levels l ≥ {@code lowest} (a computation that never goes
     * below {@code lowest}, e.g. between bootstraps, does not care about the scales underneath).
     */
    public double maxDriftBits(int lowest) {
        double worst = 0;
        for (int l = Math.max(0, lowest); l < scales.length; l++) {
            worst = Math.max(worst, Math.abs(Math.log(scales[l] / params.defaultScale()) / Math.log(2)));
        }
        return worst;
    }
}
