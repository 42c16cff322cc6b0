package org.glovebox.he.multiparty;

import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Encryption under one party's additive key share s_i with a mask a common to all parties and expanded from a public
 * seed: the party sends only c_0 = −a·s_i + e + Δ·m over q_0 (compressed, {@link
 * org.glovebox.he.ckks.Serialization#compressedPartBytes}, part 0), and the sum of the c_0 of <em>every</em> party of
 * the session, with mask a, is a ciphertext of Σ m under the collective secret s = Σ s_i: (Σ c_0, a) decrypts by
 * collective decryption ({@link KeySwitch}) as any ciphertext. Against a public-key encryption it costs one
 * number-theoretic transform instead of three and sends one polynomial instead of two, and the receivers of the mask
 * derive it from the seed.
 *
 * <p>What it guarantees and what the caller must: each c_0 is an RLWE sample with secret s_i and a fresh error, so it
 * shows nothing of m without a·s_i, which no protocol message contains (decryption shares give a·s, and t-out-of-N
 * shares of s give nothing of one s_i). The sum over a strict subset of the parties decrypts to its messages plus
 * a·s_j of the missing parties, which is why a caller must never request the decryption of mask a unless every
 * party's c_0 for it is in: a decryption of a released over a subset, next to a late c_0 of the missing party, would
 * give that party's message away. A seed must serve one collection only (one round, one attempt, one chunk).
 *
 * <p>The additive share must be the party's own ternary key share (the one its public-key share was made with), not a
 * combined threshold share. Not thread-safe (one noise stream per instance).
 */
public final class KeyShareEncryptor {
    private final Parameters params;
    private final SecretKeyShare share;
    private final Prng noise;

    /**
     * @throws IllegalArgumentException if {@code share} is a combined (threshold) share rather than an additive key
     *     share, or was destroyed
     */
    public KeyShareEncryptor(SecretKeyShare share) {
        if (share.isDestroyed()) {
            throw new IllegalArgumentException("the key share was destroyed");
        }
        if (!share.isTernary() || share.activeSet() != null) {
            throw new IllegalArgumentException("key-share encryption needs the party's own additive key share, not a"
                    + " share combined for an active set");
        }
        this.params = share.parameters();
        this.share = share;
        this.noise = Prng.fresh();
    }

    /** The common mask a over q_0 (NTT domain) that a 32-byte seed expands to. */
    public static RnsPoly commonMask(Parameters params, byte[] seed) {
        RnsPoly a = params.ringQ().newPoly(1);
        Sampler.uniform(Prng.fromSeed(seed), params.ringQ(), a);
        return a;
    }

    /** Per-coefficient variance of an upload's error before compression: the Gaussian error alone, σ². */
    public static double noiseVariance(Parameters params) {
        return params.sigma() * params.sigma();
    }

    /**
     * c_0 = −a·s_i + e + Δ·m for the mask of {@code maskSeed}, the values encoded as by {@link Encoder#encode} at level
     * 0 and {@code scale}, compressed to {@code bits}.
     *
     * @throws IllegalArgumentException if the encoder belongs to other parameters, the width is outside [1, bit width of
     *     q_0], or as {@link Encoder#encode} for the values
     */
    public byte[] encryptCompressed(byte[] maskSeed, Encoder encoder, double[] re, double[] im, int slots,
            double scale, int bits) {
        if (!params.sameAs(encoder.parameters())) {
            throw new IllegalArgumentException("encoder belongs to a different parameter set");
        }
        ResidueCompression.checkWidth(params.q(0), bits);
        if (share.isDestroyed()) {
            throw new IllegalStateException("the key share was destroyed");
        }
        long[] m = ProtocolAccess.encodeCoefficients(encoder, re, im, slots, 0, scale).limb(0);
        RnsBasis rq = params.ringQ();
        RnsPoly x = commonMask(params, maskSeed);
        rq.mul(x, Polys.view(share.q(), 1), x);
        rq.intt(x, org.glovebox.he.ring.Parallelism.SERIAL);
        long q = params.q(0);
        long[] as = x.limb(0);
        long[] e = Sampler.gaussian(noise, params.n(), params.sigma());
        for (int c = 0; c < m.length; c++) {
            // m + e − a·s_i mod q, each term reduced into [0, q)
            long v = m[c] - as[c];
            v += (v >> 63) & q;
            v += e[c];
            v += (v >> 63) & q;
            v -= q;
            m[c] = v + ((v >> 63) & q);
        }
        return ProtocolAccess.compressedMessagePart(params, m, slots, scale, bits);
    }
}
