package org.glovebox.federated.stats;

/**
 * Patient-level (ε, δ) differential privacy for the one release of a statistics study, by the Gaussian mechanism:
 * neighbouring cohorts differ by one patient at one hospital.
 *
 * <p>Each released entry k is divided by how far one patient can move it (its scale s_k: 1 for a count, the clipping
 * bound M_j for Σx_j, M_j² for Σx_j², M_a·M_b for Σx_a·x_b). One patient then moves the scaled vector by at most
 * Δ = sqrt(2 + 2F + 2H + 2T [+ F(F−1)/2 with the covariance]) in L2: n and the positives, F sums and F sums of squares,
 * one cell and at most one positive cell of each of the H histograms and T cross tables, and the F(F−1)/2 cross sums.
 * Gaussian noise of standard deviation σ·s_k on entry k with σ = Δ / sqrt(2ρ) is ρ-zCDP (Bun and Steinke, 2016),
 * which implies (ε, δ)-DP for ε = ρ + 2·sqrt(ρ·ln(1/δ)); the class solves that for ρ.
 *
 * <p>Neighbouring cohorts differ by adding or removing one patient (replacing one would double Δ). The noise is
 * generated in shares: the release waits for all P enrolled hospitals, and each adds N(0, (σ·s_k)²/(P − 1)). Any one
 * hospital knows its own share and still faces P − 1 others, the full σ²; the coordinator and every other reader face
 * P/(P − 1)·σ², which is the noise the release states. Two or more hospitals that pool their shares see less (with
 * P = 1 the one hospital knows all the noise: the guarantee is then against the coordinator and the readers only).
 * The analysis is that of continuous Gaussians (each share is rounded to the 2^-20 fixed-point grid, far below σ).
 */
public final class StatisticsPrivacy {
    private final double epsilon;
    private final double delta;
    private final double sensitivity;
    private final double sigma;
    private final double[] scales;
    private final int hospitals;
    private final int shares;

    StatisticsPrivacy(double epsilon, double delta, double sensitivity, double[] scales, int hospitals) {
        if (!(epsilon > 0) || !(delta > 0 && delta < 1) || !(sensitivity > 0) || hospitals < 1) {
            throw new IllegalArgumentException("need epsilon > 0, delta in (0, 1), a positive sensitivity and at"
                    + " least one hospital");
        }
        this.epsilon = epsilon;
        this.delta = delta;
        this.sensitivity = sensitivity;
        this.sigma = sensitivity / Math.sqrt(2 * rho(epsilon, delta));
        this.scales = scales.clone();
        this.hospitals = hospitals;
        this.shares = Math.max(1, hospitals - 1);
    }

    /** The zCDP parameter ρ whose (ε, δ) conversion ρ + 2·sqrt(ρ·ln(1/δ)) equals ε. */
    static double rho(double epsilon, double delta) {
        double l = Math.log(1 / delta);
        double r = Math.sqrt(l + epsilon) - Math.sqrt(l);
        return r * r;
    }

    /** The ε that ρ-zCDP implies at δ. */
    static double epsilonOf(double rho, double delta) {
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    /** σ: the noise on a count (in patients) that any one hospital faces, and that the guarantee is for. */
    public double countNoiseStd() {
        return sigma;
    }

    /** The standard deviation of the noise on a released count: all P shares, σ·sqrt(P/(P − 1)). */
    public double releasedCountNoiseStd() {
        return Math.sqrt(hospitals / (double) shares) * sigma;
    }

    /** Δ: the L2 sensitivity of the scaled vector. */
    public double sensitivity() {
        return sensitivity;
    }

    /** The standard deviation of one hospital's noise share on entry k. */
    double shareStd(int k) {
        return sigma * scales[k] / Math.sqrt(shares);
    }

    /** What the release states about its privacy. */
    StudyStatistics.Privacy describe() {
        return new StudyStatistics.Privacy(epsilon, delta, releasedCountNoiseStd());
    }
}
