package org.glovebox.he.multiparty;

import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.he.ring.Prng;

/**
 * The RLWE error distribution for protocol shares: the discrete Gaussian D_σ, P(k) ∝ exp(-k²/(2σ²)), truncated at
 * |k| ≤ ceil(6σ) (the HE standard's error for σ = 3.2), sampled by inversion of a 63-bit cumulative table: one
 * 64-bit random word per coefficient (63 bits for the magnitude, 1 for the sign), no floating point per sample.
 */
final class ErrorSampler {
    private static final ConcurrentHashMap<Double, ErrorSampler> CACHE = new ConcurrentHashMap<>();
    /** Table entries compared without branches per sample (P(|X| >= 8) is about 1 % for sigma = 3.2). */
    /** cdf[k] = round(2^63 · P(|X| ≤ k)); the last entry is Long.MAX_VALUE. */
    private final long[] cdf;

    private ErrorSampler(double sigma) {
        int bound = (int) Math.ceil(6 * sigma);
        double[] w = new double[bound + 1];
        double total = 0;
        for (int k = 0; k <= bound; k++) {
            w[k] = Math.exp(-(double) k * k / (2 * sigma * sigma)) * (k == 0 ? 1 : 2);
            total += w[k];
        }
        cdf = new long[bound + 1];
        double acc = 0;
        for (int k = 0; k <= bound; k++) {
            acc += w[k];
            cdf[k] = k == bound ? Long.MAX_VALUE : (long) Math.floor(acc / total * 0x1p63);
        }
    }

    static ErrorSampler of(double sigma) {
        if (!(sigma > 0) || sigma > 64) {
            throw new IllegalArgumentException("error sigma must be in (0, 64], got " + sigma);
        }
        return CACHE.computeIfAbsent(sigma, ErrorSampler::new);
    }

    long[] sample(Prng prng, int n) {
        return org.glovebox.he.ring.Sampler.sampleByInversion(prng, cdf, n);
    }
}
