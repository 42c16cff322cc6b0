package org.glovebox.federated.learn;

/**
 * Rényi-DP accountant for the Gaussian mechanism composed over rounds (Mironov 2017). Each released aggregate has
 * L2 sensitivity S (one hospital's clipped, weighted update) and Gaussian noise σ = z·S, so it is
 * (α, α/(2z²))-RDP for every order α; T rounds compose additively. The conversion to (ε, δ)-DP uses the bound of
 * Canonne, Kamath and Steinke (2020): ε = ρ_α + log((α−1)/α) − (log δ + log α)/(α−1), minimized over orders.
 */
public final class RdpAccountant {
    private static final double[] ORDERS = {1.1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 10, 12,
        14, 16, 20, 24, 28, 32, 48, 64, 96, 128, 256, 512, 1024, 4096, 16384, 65536};

    private RdpAccountant() {
    }

    /** ε after {@code rounds} releases with noise multiplier z at the given δ. */
    public static double epsilon(double noiseMultiplier, int rounds, double delta) {
        if (rounds == 0) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (double a : ORDERS) {
            double rho = rounds * a / (2 * noiseMultiplier * noiseMultiplier);
            double eps = rho + Math.log((a - 1) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
            best = Math.min(best, eps);
        }
        return Math.max(best, 0);
    }
}
