package org.glovebox.he.ckks;

import java.util.Map;
import java.util.TreeMap;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Generates a secret key and the public material derived from it: public key, relinearization key and Galois keys.
 * All randomness comes from generators seeded by {@link java.security.SecureRandom}; uniform polynomials are expanded
 * from 32-byte seeds that the keys keep for compact serialization.
 */
public final class KeyGenerator {
    private final Parameters params;
    private final Prng noise;
    private final Parallelism par;

    public KeyGenerator(Parameters params) {
        this(params, Parallelism.SERIAL);
    }

    public KeyGenerator(Parameters params, Parallelism par) {
        this.params = params;
        this.noise = Prng.fresh();
        this.par = par;
    }

    /** A fresh secret key (uniform ternary, or fixed Hamming weight if the parameters ask for it). */
    public SecretKey generateSecretKey() {
        int n = params.n();
        long[] s = params.secretHammingWeight() > 0
                ? Sampler.ternaryHammingWeight(noise, n, params.secretHammingWeight())
                : Sampler.ternary(noise, n);
        return secretKeyFromCoefficients(params, s, par);
    }

    static SecretKey secretKeyFromCoefficients(Parameters params, long[] s, Parallelism par) {
        QPPoly poly = smallToQP(params, s, par);
        return new SecretKey(params, s, poly.q(), poly.p());
    }

    /** Signed small coefficients as a polynomial over every chain and special prime, NTT domain. */
    static QPPoly smallToQP(Parameters params, long[] coeffs, Parallelism par) {
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly q = rq.newPoly(rq.size());
        RnsPoly p = rp.newPoly(rp.size());
        rq.setSigned(coeffs, q);
        rp.setSigned(coeffs, p);
        rq.ntt(q, par);
        rp.ntt(p, par);
        return new QPPoly(q, p);
    }

    public PublicKey generatePublicKey(SecretKey sk) {
        requireSame(sk.parameters());
        byte[] seed = Prng.freshSeed();
        QPPoly a = uniformQP(params, Prng.fromSeed(seed));
        QPPoly b = encryptZeroQP(params, sk.q(), sk.p(), a, noise, par);
        return new PublicKey(params, b, a, seed);
    }

    public RelinearizationKey generateRelinearizationKey(SecretKey sk) {
        requireSame(sk.parameters());
        RnsBasis rq = params.ringQ();
        RnsPoly s2 = rq.newPoly(rq.size());
        rq.mul(sk.q(), sk.q(), s2);
        return new RelinearizationKey(keySwitchingKey(sk, s2));
    }

    /** Galois keys for the given rotation steps, plus conjugation if asked. */
    public GaloisKeys generateGaloisKeys(SecretKey sk, int[] rotationSteps, boolean conjugation) {
        requireSame(sk.parameters());
        Map<Integer, KeySwitchingKey> keys = new TreeMap<>();
        for (int step : rotationSteps) {
            int g = GaloisElements.forRotation(step, params.n());
            if (g != 1) {
                keys.computeIfAbsent(g, e -> galoisKey(sk, e));
            }
        }
        if (conjugation) {
            int g = GaloisElements.conjugation(params.n());
            keys.computeIfAbsent(g, e -> galoisKey(sk, e));
        }
        return new GaloisKeys(params, keys);
    }

    /** Galois keys for arbitrary Galois elements (odd, in [3, 2N)). */
    public GaloisKeys generateGaloisKeysForElements(SecretKey sk, int[] galoisElements) {
        requireSame(sk.parameters());
        Map<Integer, KeySwitchingKey> keys = new TreeMap<>();
        for (int g : galoisElements) {
            if ((g & 1) == 0 || g < 3 || g >= 2 * params.n()) {
                throw new IllegalArgumentException("invalid Galois element " + g);
            }
            keys.computeIfAbsent(g, e -> galoisKey(sk, e));
        }
        return new GaloisKeys(params, keys);
    }

    private KeySwitchingKey galoisKey(SecretKey sk, int g) {
        RnsBasis rq = params.ringQ();
        RnsPoly sg = rq.newPoly(rq.size());
        rq.permuteNtt(sk.q(), RnsBasis.nttAutomorphismPermutation(params.n(), g), sg);
        return keySwitchingKey(sk, sg);
    }

    /** A key switching from {@code from} (NTT over every chain prime) to {@code sk}. */
    KeySwitchingKey keySwitchingKey(SecretKey sk, RnsPoly from) {
        byte[] seed = Prng.freshSeed();
        QPPoly[] a = uniformDigits(params, seed);
        QPPoly[] b = new QPPoly[a.length];
        for (int d = 0; d < a.length; d++) {
            b[d] = encryptZeroQP(params, sk.q(), sk.p(), a[d], noise, par);
        }
        addGadget(params, b, from);
        return new KeySwitchingKey(params, b, a, seed);
    }

    /** b_d += P·w_d·from on the chain primes of digit d (the gadget term of every key-switching key). */
    static void addGadget(Parameters params, QPPoly[] b, RnsPoly from) {
        KeySwitcher ks = KeySwitcher.of(params);
        RnsBasis rq = params.ringQ();
        int n = params.n();
        for (int d = 0; d < b.length; d++) {
            int end = params.digitEnd(d, params.maxLevel());
            for (int j = params.digitStart(d); j < end; j++) {
                var m = rq.modulus(j);
                long w = ks.pModQ(j);
                long ws = m.shoup(w);
                long[] f = from.limb(j);
                long[] z = b[d].q().limb(j);
                for (int c = 0; c < n; c++) {
                    z[c] = m.add(z[c], m.mulShoup(f[c], w, ws));
                }
            }
        }
    }

    /** The uniform parts of all digits of a key-switching key, expanded from one seed. */
    static QPPoly[] uniformDigits(Parameters params, byte[] seed) {
        Prng prng = Prng.fromSeed(seed);
        QPPoly[] a = new QPPoly[params.digitCount(params.maxLevel())];
        for (int d = 0; d < a.length; d++) {
            a[d] = uniformQP(params, prng);
        }
        return a;
    }

    /** A uniform polynomial over Q·P (sampled directly in the NTT domain). */
    static QPPoly uniformQP(Parameters params, Prng prng) {
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly q = rq.newPoly(rq.size());
        RnsPoly p = rp.newPoly(rp.size());
        Sampler.uniform(prng, rq, q);
        Sampler.uniform(prng, rp, p);
        return new QPPoly(q, p);
    }

    /** -a·s + e over Q·P with fresh Gaussian e (NTT domain). */
    static QPPoly encryptZeroQP(Parameters params, RnsPoly sq, RnsPoly sp, QPPoly a, Prng noise, Parallelism par) {
        QPPoly e = smallToQP(params, Sampler.gaussian(noise, params.n(), params.sigma()), par);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly bq = rq.newPoly(rq.size());
        RnsPoly bp = rp.newPoly(rp.size());
        rq.mul(a.q(), sq, bq);
        rp.mul(a.p(), sp, bp);
        rq.sub(e.q(), bq, bq);
        rp.sub(e.p(), bp, bp);
        return new QPPoly(bq, bp);
    }

    private void requireSame(Parameters other) {
        if (!params.sameAs(other)) {
            throw new IllegalArgumentException("key belongs to a different parameter set: " + other);
        }
    }
}
