package org.glovebox.ml.lr;

/**
 * The step sizes of Nesterov's accelerated gradient as Kim, Song, Kim, Lee and Cheon use it (BMC Med Genomics 2018):
 * iteration t = 0, 1, … takes the gradient step γ_t = γ_0 / (t + 1) from the look-ahead point v_t,
 * β_{t+1} = v_t + γ_t·(1/n)·Σ σ(-z_i·v_t)·z_i, and the momentum mix v_{t+1} = (1 - η_t)·β_{t+1} + η_t·β_t with
 * η_t = (1 - λ_{t+1}) / λ_{t+2}, λ_1 = 1, λ_{k+1} = (1 + sqrt(1 + 4·λ_k^2)) / 2 (so η_0 = 0 and η_t &lt; 0 after).
 *
 * @param gamma0 the first learning rate γ_0 (Kim et al. use 10)
 */
public record NesterovSchedule(double gamma0) {
    /** Kim et al.'s schedule, γ_t = 10 / (t + 1). */
    public static final NesterovSchedule KIM = new NesterovSchedule(10);

    public NesterovSchedule {
        if (!(gamma0 > 0) || !Double.isFinite(gamma0) || gamma0 > 1e6) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + gamma0);
        }
    }

    /** γ_t. */
    public double gamma(int t) {
        return gamma0 / (t + 1);
    }

    /** η_t (0 for t = 0, negative after). */
    public double eta(int t) {
        double lambda = 1; // λ_1
        for (int k = 1; k <= t; k++) {
            lambda = next(lambda);
        }
        return (1 - lambda) / next(lambda);
    }

    private static double next(double lambda) {
        return (1 + Math.sqrt(1 + 4 * lambda * lambda)) / 2;
    }
}
