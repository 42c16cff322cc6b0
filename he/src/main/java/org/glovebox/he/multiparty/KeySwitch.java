package org.glovebox.he.multiparty;

import java.security.MessageDigest;
import java.util.Collection;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Collective key switching (one round; Mouchet et al. 2021, Protocol 3 "KeySwitch"), and collective decryption as
 * its special case.
 *
 * <p>For a ciphertext (c_0, c_1) under s = Σ s_i and a target key s' = Σ s'_i, party i sends
 * h_i = c_1·(s_i - s'_i) + e_i with flooding noise e_i ({@link Smudging}); then (c_0 + Σ h_i, c_1) decrypts under s'.
 * With s' = 0 (every output share null) the result c_0 + Σ h_i is the plaintext itself: collective decryption, whose
 * result everyone who sees the aggregate learns. To release to one internal party only, that party passes its own
 * CKKS key as its output share (the others pass null); external receivers use {@link PublicKeySwitch}.
 */
public final class KeySwitch extends Protocol {
    static final int ROUND = 1;
    private final Smudging smudging;

    /** N-out-of-N with the default smudging for the parameters. */
    public KeySwitch(Session session) {
        this(session, session.parties(), Smudging.defaultFor(session.parameters()));
    }

    /** For an active set (all parties, or at least t with combined shares) and explicit smudging. */
    public KeySwitch(Session session, Collection<PartyId> active, Smudging smudging) {
        super(ProtocolType.KEY_SWITCH, session, active);
        this.smudging = smudging;
    }

    public Smudging smudging() {
        return smudging;
    }

    public Share allocateShare(Ciphertext ct) {
        checkCiphertext(ct);
        return zeroShare(ROUND, ciphertextDigest(ct), ct.level(), 0, -1, 1, false);
    }

    private void checkCiphertext(Ciphertext ct) {
        if (!params.sameAs(ct.parameters())) {
            throw new IllegalArgumentException("ciphertext belongs to a different parameter set");
        }
    }

    /** Collective decryption share c_1·s_i + e_i (target key zero). */
    public Share generateShare(SecretKeyShare input, Ciphertext ct) {
        return generateShare(input, null, ct);
    }

    /**
     * Key-switching share c_1·(s_i - s'_i) + e_i. {@code output} is this party's share of the target key (null for
     * zero). At most once per ciphertext, secret share and session.
     */
    public Share generateShare(SecretKeyShare input, SecretKeyShare output, Ciphertext ct) {
        checkCiphertext(ct);
        byte[] ctx = ciphertextDigest(ct);
        if (output != null && !params.sameAs(output.parameters())) {
            throw new IllegalArgumentException("output key share belongs to a different parameter set");
        }
        admit(input, ROUND, ctx);
        int level = ct.level();
        RnsBasis rq = params.ringQ();
        RnsPoly s = Polys.view(input.q(), level + 1);
        RnsPoly h = Polys.smallQ(params, smudging.sample(noise(), params.n()), level);
        RnsPoly t = Polys.newQ(params, level);
        RnsPoly c1 = ProtocolAccess.ciphertextPart(ct, 1);
        if (output != null) {
            RnsPoly diff = Polys.newQ(params, level);
            rq.sub(s, Polys.view(output.q(), level + 1), diff);
            rq.mul(c1, diff, t);
            diff.clear();
        } else {
            rq.mul(c1, s, t);
        }
        rq.add(h, t, h);
        return newShare(input.owner(), ROUND, ctx, level, 0, -1, new RnsPoly[] {h}, null);
    }

    /**
     * The decryption share of {@link #generateShare(SecretKeyShare, Ciphertext)} in coefficient form, for compressed
     * transport ({@link MultipartySerialization#toCompressedBytes}, which is in coefficient form): c_1·s_i is
     * transformed back once and the flooding noise added as it was sampled, where generateShare transforms the noise
     * into the NTT domain and the transport transforms the sum back. The same share: for the same noise its polynomial
     * is the inverse transform of generateShare's, and its compressed bytes are equal. Same guard (one share per
     * ciphertext and secret share, whichever method made it).
     */
    public Share generateShareInCoefficientForm(SecretKeyShare input, Ciphertext ct) {
        checkCiphertext(ct);
        byte[] ctx = ciphertextDigest(ct);
        admit(input, ROUND, ctx);
        int level = ct.level();
        RnsBasis rq = params.ringQ();
        RnsPoly h = Polys.newQ(params, level);
        rq.mul(ProtocolAccess.ciphertextPart(ct, 1), Polys.view(input.q(), level + 1), h);
        rq.intt(h, Parallelism.SERIAL);
        long[] e = smudging.sample(noise(), params.n());
        for (int i = 0; i <= level; i++) {
            addSigned(h.limb(i), e, rq.modulus(i).value());
        }
        return newShare(input.owner(), ROUND, ctx, level, 0, -1, new RnsPoly[] {h}, null, true);
    }

    /** z = z + e mod q for residues z in [0, q) and signed e with |e| < 2^62. */
    private static void addSigned(long[] z, long[] e, long q) {
        for (int c = 0; c < z.length; c++) {
            long x = e[c] % q;
            x += (x >> 63) & q;
            long s = z[c] + x - q;
            z[c] = s + ((s >> 63) & q);
        }
    }

    /**
     * The combined decryption shares Σ h_i = c_1·s + Σ e_i of {@code ct} in coefficient form, from an aggregate of
     * shares in coefficient form (read with {@link MultipartySerialization#compressedShareCoefficientsFromBytes}):
     * c_0 + Σ h_i, with c_0 in coefficient form, is then the plaintext's coefficients, with no transform on the way.
     * The same checks as {@link #finishDecryption} (the shares were made for {@code ct}, by exactly the active set).
     */
    public RnsPoly combinedSharesInCoefficientForm(Ciphertext ct, Share aggregate) {
        checkFor(ct, aggregate);
        if (!aggregate.inCoefficientForm()) {
            throw new IllegalArgumentException("the aggregate is in the NTT domain: use finishDecryption");
        }
        return aggregate.q(0).copy();
    }

    /**
     * The same plaintext under fresh randomness: ct + Enc_pk(0). A party must never make two decryption shares of
     * one ciphertext (the guard refuses): with t-out-of-N, two shares of the same ciphertext for two active sets
     * differ by a known scalar on the secret, and their difference lets the aggregator solve for the party's
     * flooding noise and then its Shamir share. After a dropout, decrypt a re-randomized copy with the new active set.
     */
    public static Ciphertext rerandomize(Ciphertext ct, org.glovebox.he.ckks.PublicKey collectiveKey) {
        Ciphertext zero = org.glovebox.he.ckks.Encryptor.withPublicKey(collectiveKey)
                .encryptZero(ct.level(), ct.scale(), ct.slots());
        return new org.glovebox.he.ckks.Evaluator(ct.parameters()).add(ct, zero);
    }

    public Share aggregateShares(Share a, Share b) {
        return aggregate(a, b, ROUND);
    }

    public Share aggregateShares(Collection<Share> shares) {
        return aggregateAll(shares, ROUND);
    }

    private void checkFor(Ciphertext ct, Share agg) {
        checkCiphertext(ct);
        requireComplete(agg, ROUND);
        if (!MessageDigest.isEqual(agg.context(), ciphertextDigest(ct)) || agg.level() != ct.level()) {
            throw new IllegalArgumentException("the decryption shares were made for a different ciphertext");
        }
    }

    /** (c_0 + Σ h_i, c_1): the ciphertext under the target key. */
    public Ciphertext finish(Ciphertext ct, Share aggregate) {
        checkFor(ct, aggregate);
        return combine(ct, aggregate);
    }

    /** Collective decryption (target key zero): the plaintext c_0 + Σ h_i, flooded. */
    public Plaintext finishDecryption(Ciphertext ct, Share aggregate) {
        checkFor(ct, aggregate);
        return plaintextOf(combine(ct, aggregate));
    }

    /** Without the completeness check: only for tests that show what fewer than the needed parties get. */
    Plaintext finishDecryptionUnchecked(Ciphertext ct, Share aggregate) {
        return plaintextOf(combine(ct, aggregate));
    }

    private Ciphertext combine(Ciphertext ct, Share agg) {
        RnsPoly c0 = ProtocolAccess.ciphertextPart(ct, 0).copy();
        params.ringQ().add(c0, agg.qInNttForm(0), c0);
        return ProtocolAccess.ciphertext(params, new RnsPoly[] {c0, ProtocolAccess.ciphertextPart(ct, 1).copy()},
                ct.level(), ct.scale(), ct.slots());
    }

    private Plaintext plaintextOf(Ciphertext ct) {
        return ProtocolAccess.plaintext(params, ProtocolAccess.ciphertextPart(ct, 0), ct.level(), ct.scale(),
                ct.slots());
    }
}
