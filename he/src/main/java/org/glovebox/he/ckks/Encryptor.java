package org.glovebox.he.ckks;

import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Encrypts plaintexts, either with a public key (anyone can encrypt) or with the secret key (the data owner; the
 * ciphertext's uniform half is then a 32-byte seed, halving its serialized size).
 *
 * <p>Public-key encryption is carried out modulo Q·P and divided by P, so a fresh ciphertext carries only rounding
 * noise (as in SEAL). Not thread-safe (it owns a noise generator); use one per thread.
 */
public final class Encryptor {
    private final Parameters params;
    private final PublicKey pk;
    private final SecretKey sk;
    private final Prng noise = Prng.fresh();
    private final Parallelism par;

    private Encryptor(Parameters params, PublicKey pk, SecretKey sk, Parallelism par) {
        this.params = params;
        this.pk = pk;
        this.sk = sk;
        this.par = par;
    }

    public static Encryptor withPublicKey(PublicKey pk) {
        return new Encryptor(pk.parameters(), pk, null, Parallelism.SERIAL);
    }

    public static Encryptor withSecretKey(SecretKey sk) {
        return new Encryptor(sk.parameters(), null, sk, Parallelism.SERIAL);
    }

    /** The same encryptor using the given parallelism. */
    public Encryptor withParallelism(Parallelism p) {
        return new Encryptor(params, pk, sk, p);
    }

    public Ciphertext encrypt(Plaintext pt) {
        if (!params.sameAs(pt.parameters())) {
            throw new IllegalArgumentException("plaintext belongs to a different parameter set");
        }
        Ciphertext zero = encryptZero(pt.level(), pt.scale(), pt.slots());
        RnsBasis rq = params.ringQ();
        rq.add(zero.part(0), pt.poly(), zero.part(0));
        return zero;
    }

    /** An encryption of zero at the given level, scale and slot count. */
    public Ciphertext encryptZero(int level, double scale, int slots) {
        return pk != null ? encryptZeroPublic(level, scale, slots) : encryptZeroSecret(level, scale, slots);
    }

    private Ciphertext encryptZeroPublic(int level, double scale, int slots) {
        KeySwitcher ks = KeySwitcher.of(params);
        int n = params.n();
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        // v over Q_level·P only (the limbs above the level are never used).
        long[] small = Sampler.ternary(noise, n);
        RnsPoly vq = rq.newPoly(level + 1);
        RnsPoly vp = rp.newPoly(rp.size());
        rq.setSigned(small, vq);
        rp.setSigned(small, vp);
        rq.ntt(vq, par);
        rp.ntt(vp, par);
        QPPoly[] key = {pk.b(), pk.a()};
        RnsPoly[] c = new RnsPoly[2];
        for (int t = 0; t < 2; t++) {
            // The Gaussian error stays in coefficient form; ModDown adds it where it needs no transform.
            long[] e = Sampler.gaussian(noise, n, params.sigma());
            QPPoly out = ks.newQP(level);
            rq.mul(vq, key[t].q(), out.q());
            rp.mul(vp, key[t].p(), out.p());
            c[t] = ks.modDown(out, level, e, par);
        }
        return new Ciphertext(params, c, level, scale, slots);
    }

    private Ciphertext encryptZeroSecret(int level, double scale, int slots) {
        RnsBasis rq = params.ringQ();
        byte[] seed = Prng.freshSeed();
        RnsPoly a = uniformAtLevel(params, seed, level);
        RnsPoly c0 = rq.newPoly(level + 1);
        rq.setSigned(Sampler.gaussian(noise, params.n(), params.sigma()), c0);
        rq.ntt(c0, par);
        RnsPoly as = rq.newPoly(level + 1);
        rq.mul(a, sk.q(), as);
        rq.sub(c0, as, c0);
        return new Ciphertext(params, new RnsPoly[] {c0, a}, level, scale, slots, seed);
    }

    /** The uniform polynomial over q_0 … q_level (NTT domain) that a seed expands to. */
    static RnsPoly uniformAtLevel(Parameters params, byte[] seed, int level) {
        RnsPoly a = params.ringQ().newPoly(level + 1);
        Sampler.uniform(Prng.fromSeed(seed), params.ringQ(), a);
        return a;
    }
}
