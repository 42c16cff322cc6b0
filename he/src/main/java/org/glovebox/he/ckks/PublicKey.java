package org.glovebox.he.ckks;

/**
 * A CKKS public key (b, a) = (-a·s + e, a) over the chain and special primes (NTT domain), with a expanded from a
 * 32-byte seed. Encryption works in Q·P and divides by P, which leaves only rounding noise in fresh ciphertexts.
 */
public final class PublicKey {
    private final Parameters params;
    private final QPPoly b;
    private final QPPoly a;
    private final byte[] seed;

    PublicKey(Parameters params, QPPoly b, QPPoly a, byte[] seed) {
        this.params = params;
        this.b = b;
        this.a = a;
        this.seed = seed.clone();
    }

    public Parameters parameters() {
        return params;
    }

    QPPoly b() {
        return b;
    }

    QPPoly a() {
        return a;
    }

    byte[] seed() {
        return seed.clone();
    }

    @Override
    public String toString() {
        return "PublicKey[" + params + "]";
    }
}
