package org.glovebox.ml.lr;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.bootstrap.Bootstrapper;

/**
 * Refreshes the model and momentum ciphertexts of encrypted training by CKKS bootstrapping, with public keys only:
 * both are packed into one ciphertext (v + i·β) and bootstrapped once ({@link Bootstrapper#bootstrapPair}). The
 * training set must be encrypted under the bootstrapper's
 * {@link org.glovebox.he.ckks.bootstrap.BootstrappingParameters#computationParameters() computation parameters},
 * whose top level is where bootstrapping lands, so a refreshed ciphertext has the canonical scale of its level.
 *
 * <p>Bootstrapping is exact only for slot values far below its modulus ratio, so the weights must stay within
 * ±{@link #bound()} (in scaled feature units); the bound multiplies the bootstrap's absolute error. With the default
 * scaling the weights of the five shared data sets stay below 3 over 100 plaintext iterations; the default bound
 * {@value #DEFAULT_BOUND} leaves a margin at the cost of 3 bits of absolute precision.
 */
public final class BootstrappingRefresher implements LevelRefresher {
    /** Default magnitude bound of the weights in scaled units. */
    public static final int DEFAULT_BOUND = 8;

    private final Bootstrapper bootstrapper;
    private final int bound;
    private int refreshes;
    private double seconds;

    public BootstrappingRefresher(Bootstrapper bootstrapper) {
        this(bootstrapper, DEFAULT_BOUND);
    }

    public BootstrappingRefresher(Bootstrapper bootstrapper, int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        }
        this.bootstrapper = bootstrapper;
        this.bound = bound;
    }

    public int bound() {
        return bound;
    }

    @Override
    public int inputLevel() {
        return bootstrapper.parameters().inputLevel();
    }

    @Override
    public Ciphertext[] refresh(Ciphertext a, Ciphertext b) {
        long t0 = System.nanoTime();
        Ciphertext[] out = bootstrapper.bootstrapPair(a, b, bound);
        seconds += (System.nanoTime() - t0) / 1e9;
        refreshes++;
        return out;
    }

    /** Bootstraps done so far. */
    public int refreshes() {
        return refreshes;
    }

    /** Wall-clock seconds spent bootstrapping so far. */
    public double seconds() {
        return seconds;
    }
}
