package org.glovebox.he.ckks;

/**
 * A hybrid key-switching key from a key s' to the secret s: for every digit d of the chain,
 * (b_d, a_d) = (-a_d·s + e_d + P·w_d·s', a_d) over Q·P, where w_d is the CRT indicator of digit d. The uniform
 * parts a_d are expanded from one 32-byte seed (or, for a collectively generated relinearization key, stored in full).
 * Relinearization and Galois keys are key-switching keys.
 */
public final class KeySwitchingKey {
    private final Parameters params;
    private final QPPoly[] b;
    private final QPPoly[] a;
    private final byte[] seed;

    KeySwitchingKey(Parameters params, QPPoly[] b, QPPoly[] a, byte[] seed) {
        if (b.length != a.length || b.length != params.digitCount(params.maxLevel())) {
            throw new IllegalArgumentException("key-switching key needs " + params.digitCount(params.maxLevel())
                    + " digits, got " + b.length);
        }
        this.params = params;
        this.b = b;
        this.a = a;
        this.seed = seed == null ? null : seed.clone();
    }

    public Parameters parameters() {
        return params;
    }

    public int digits() {
        return b.length;
    }

    QPPoly b(int d) {
        return b[d];
    }

    QPPoly a(int d) {
        return a[d];
    }

    /**
     * The seed the uniform parts expand from, or null when they are not seeded (a collectively generated
     * relinearization key, whose a_d are sums of the parties' shares) and must be stored in full.
     */
    byte[] seed() {
        return seed == null ? null : seed.clone();
    }

    /** Size of the key in bytes when stored at full width (b polynomials plus a seed, or plus a if unseeded). */
    public long sizeBytes() {
        long limbs = (long) b.length * (params.maxLevel() + 1 + params.specialPrimeCount());
        return seed != null ? limbs * params.n() * 8 + seed.length : 2 * limbs * params.n() * 8 + 32;
    }
}
