package org.glovebox.he.multiparty;

import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.Sampler;

/**
 * The flooding ("smudging") noise every party adds to its decryption share ({@link KeySwitch},
 * {@link PublicKeySwitch}): a rounded Gaussian of standard deviation σ_f per coefficient, cut at 6σ_f.
 *
 * <h2>Why</h2>
 * A party's decryption share is h_i = c_1·s_i + e_i. Without e_i the aggregator reads s_i = h_i / c_1 off the share;
 * and the receiver of the released result m + e (e = the ciphertext noise, which depends on the secret through every
 * rescaling and key switch) can recover the collective key s by the attack of Li and Micciancio (eprint 2020/1533).
 * Flooding with noise much wider than e makes the released value nearly independent of the secret-dependent e.
 *
 * <h2>The default and the bound it gives</h2>
 * Let σ_ct be the per-coefficient standard deviation of the noise of the ciphertexts that are released, and Q the
 * number of ciphertexts released under one collective key (the <em>release budget</em>). The default is
 *
 * <pre>  σ_f = sqrt(N · Q) · σ_ct   with   Q = 2^12 = 4096 releases,</pre>
 *
 * added by <em>every</em> party (each honest party's noise alone must suffice, as the others may collude). Bound: the
 * Rényi divergence of order 2 between a Gaussian and the same Gaussian shifted by e is exp(e²/σ_f²) per coefficient,
 * so over all N·Q released coefficients R_2 ≤ exp(Σ e²/σ_f²) ≈ exp(N·Q·σ_ct²/σ_f²) = e. By the probability-
 * preservation property of the Rényi divergence (Bai, Langlois, Lepoint, Stehlé, Steinfeld 2015), any key-recovery
 * attack that succeeds with probability ε on a simulated view (flooding noise independent of the secret, i.e. plain
 * RLWE) succeeds with probability at most sqrt(e·ε) on the real one: with ε = 2^-128 (the 128-bit parameter sets),
 * key recovery from up to Q released results stays below 2^-63. Beyond Q releases the bound degrades as
 * sqrt(exp(releases/Q)·ε); rotate keys (rerun key generation) before that.
 *
 * <p>σ_ct defaults to {@link #rescaledNoiseStd}: the rounding noise of a rescaled (or key-switched) ciphertext under a
 * collective secret of up to 16 parties, sqrt((1 + N·32/3)/12) ≈ 0.94·sqrt(N), which dominates a ciphertext that was
 * rescaled after its last multiplication. Results of deeper circuits (polynomial evaluation, bootstrapping) carry more
 * noise: pass their measured standard deviation to {@link #forReleases}.
 *
 * <p>For N = 2^14 the default is σ_f = 2^13 · 2^6.9 ≈ 2^19.9 per party, within 0.1 bit of OpenFHE's fixed
 * 2^20 multiparty flooding (FIXED_NOISE_MULTIPARTY, documented there as heuristic), but derived from a stated bound;
 * N = 2^15 gives 2^20.9, N = 2^13 gives 2^18.9.
 *
 * <h2>Precision cost</h2>
 * With n parties, the released slots carry an extra error of standard deviation σ_f·sqrt(n·N/2)/Δ (Δ = scale); the
 * largest over N/2 slots is about 4.5 times that. At N = 2^14, n = 5 this is about 2^-12.4 (std): roughly 10 bits of
 * precision left at scale Δ = 2^40, 25 bits at Δ = 2^55 ({@code ParameterSets.statistics()}). Results that must be
 * released with 20 bits or more therefore need a scale of about 2^50 or more at the release level.
 * Statistical (smudging-lemma) indistinguishability with λ bits would instead need σ_f ≥ 2^λ·B_ct, i.e. costing λ
 * bits of precision: impossible for λ ≥ 40 within 61-bit primes, which is why the default is a key-recovery bound.
 */
public final class Smudging {
    /** log2 of the default release budget Q. */
    public static final int DEFAULT_RELEASE_BUDGET_LOG2 = 12;
    /** Number of parties the default noise estimate covers. */
    public static final int DEFAULT_MAX_PARTIES = 16;

    private final double sigma;
    private final String description;

    private Smudging(double sigma, String description) {
        if (!(sigma >= 3.2) || sigma > 0x1p50) {
            throw new IllegalArgumentException("smudging standard deviation must be in [3.2, 2^50], got " + sigma);
        }
        this.sigma = sigma;
        this.description = description;
    }

    /** The secure default for these parameters (see the class comment). */
    public static Smudging defaultFor(Parameters params) {
        return forReleases(params, 1L << DEFAULT_RELEASE_BUDGET_LOG2, rescaledNoiseStd(params, DEFAULT_MAX_PARTIES));
    }

    /**
     * σ_f = sqrt(N·releases)·ciphertextNoiseStd: keeps the key-recovery bound of the class comment for the given
     * number of released ciphertexts whose noise has the given per-coefficient standard deviation.
     */
    public static Smudging forReleases(Parameters params, long releases, double ciphertextNoiseStd) {
        if (releases < 1) {
            throw new IllegalArgumentException("release budget must be >= 1");
        }
        if (!(ciphertextNoiseStd > 0)) {
            throw new IllegalArgumentException("ciphertext noise standard deviation must be positive");
        }
        double s = Math.sqrt((double) params.n() * releases) * ciphertextNoiseStd;
        return new Smudging(s, String.format("σ_f = 2^%.1f (budget %d releases of noise σ_ct = 2^%.1f)",
                log2(s), releases, log2(ciphertextNoiseStd)));
    }

    /**
     * Smudging-lemma flooding: σ_f = 2^lambda · noiseBound, for a bound on the absolute value of every noise
     * coefficient of the released ciphertexts. Each released coefficient is then within statistical distance about
     * 2^-lambda of one carrying no secret-dependent noise; it costs about lambda bits of precision more than
     * {@link #withStandardDeviation(double) noiseBound}.
     */
    public static Smudging statistical(int lambda, double noiseBound) {
        if (lambda < 0 || lambda > 50 || !(noiseBound >= 1)) {
            throw new IllegalArgumentException("need lambda in [0, 50] and a noise bound >= 1");
        }
        double s = Math.scalb(noiseBound, lambda);
        return new Smudging(s, String.format("σ_f = 2^%.1f (statistical, λ = %d over a noise bound 2^%.1f)",
                log2(s), lambda, log2(noiseBound)));
    }

    /**
     * An explicit standard deviation (at least 3.2). Below the default this weakens the bound above; tests and
     * precision studies only.
     */
    public static Smudging withStandardDeviation(double sigma) {
        return new Smudging(sigma, String.format("σ_f = 2^%.1f (explicit)", log2(sigma)));
    }

    /**
     * Standard deviation of the rounding noise τ_0 + τ_1·s that a rescaling or key switch leaves, for a collective
     * secret s of {@code parties} ternary shares (coefficient variance 2·parties/3): sqrt((1 + N·2·parties/3)/12).
     */
    public static double rescaledNoiseStd(Parameters params, int parties) {
        return Math.sqrt((1 + params.n() * 2.0 * parties / 3.0) / 12.0);
    }

    public double standardDeviation() {
        return sigma;
    }

    /** log2 of the standard deviation. */
    public double floodBits() {
        return log2(sigma);
    }

    long[] sample(Prng prng, int n) {
        return Sampler.gaussian(prng, n, sigma);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Override
    public String toString() {
        return "Smudging[" + description + "]";
    }
}
