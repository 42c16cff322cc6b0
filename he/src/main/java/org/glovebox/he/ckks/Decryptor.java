package org.glovebox.he.ckks;

import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Decrypts ciphertexts with the secret key: m = c_0 + c_1·s (+ c_2·s^2). The result is the raw CKKS plaintext,
 * whose low bits depend on the secret; a result that will be shared with others must first be released through
 * {@link #decryptForRelease} (noise flooding, Li–Micciancio 2020/1533).
 */
public final class Decryptor {
    /**
     * Default flooding for released results: 2^30 per coefficient, i.e. 20 bits of statistical distance above a
     * 2^10 bound on the decryption noise of typical evaluated ciphertexts (OpenFHE's default also floods 20 bits).
     * At scale 2^40 it costs about 2^-4 absolute per slot, at scale 2^55 about 2^-19.
     */
    public static final int DEFAULT_RELEASE_FLOOD_BITS = 30;

    private final Parameters params;
    private final SecretKey sk;

    public Decryptor(SecretKey sk) {
        this.params = sk.parameters();
        this.sk = sk;
    }

    public Plaintext decrypt(Ciphertext ct) {
        if (!params.sameAs(ct.parameters())) {
            throw new IllegalArgumentException("ciphertext belongs to a different parameter set");
        }
        RnsBasis rq = params.ringQ();
        int limbs = ct.level() + 1;
        RnsPoly m = ct.part(0).copy();
        RnsPoly s = sk.q();
        RnsPoly t = rq.newPoly(limbs);
        rq.mul(ct.part(1), s, t);
        rq.add(m, t, m);
        if (ct.size() == 3) {
            RnsPoly s2 = rq.newPoly(limbs);
            rq.mul(s, s, s2);
            rq.mul(ct.part(2), s2, t);
            rq.add(m, t, m);
        }
        return new Plaintext(params, m, ct.level(), ct.scale(), ct.slots());
    }

    /**
     * Decrypts and adds fresh uniform flooding noise of {@code floodBits} bits to every coefficient before the
     * result leaves the key holder, so released values do not expose the secret-dependent decryption noise. The
     * added error per slot is about 2^floodBits · sqrt(N) / scale.
     */
    public Plaintext decryptForRelease(Ciphertext ct, int floodBits) {
        if (floodBits < 0 || floodBits > 61) {
            throw new IllegalArgumentException("flood bits must be in [0, 61], got " + floodBits);
        }
        Plaintext pt = decrypt(ct);
        RnsBasis rq = params.ringQ();
        RnsPoly noise = rq.newPoly(ct.level() + 1);
        var prng = org.glovebox.he.ring.Prng.fresh();
        rq.setSigned(org.glovebox.he.ring.Sampler.uniformBounded(prng, params.n(), 1L << floodBits), noise);
        rq.ntt(noise, org.glovebox.he.ring.Parallelism.SERIAL);
        rq.add(pt.poly(), noise, pt.poly());
        return pt;
    }
}
