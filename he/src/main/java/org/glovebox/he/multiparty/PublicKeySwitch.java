package org.glovebox.he.multiparty;

import java.security.MessageDigest;
import java.util.Collection;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Collective public-key switching (one round; Mouchet et al. 2021, Protocol 5 "PubKeySwitch"): re-encrypts a
 * ciphertext under the collective key to a receiver's own public key (b', a') = (-a'·s' + e', a'), so that only the
 * holder of s' can decrypt the result; the parties and the aggregator learn nothing.
 *
 * <p>Party i draws a ternary u_i and sends (h0_i, h1_i) = (s_i·c_1 + u_i·b' + e0_i, u_i·a' + e1_i), with e0_i the
 * flooding noise ({@link Smudging}) and e1_i Gaussian. The result (c_0 + Σ h0_i, Σ h1_i) decrypts under s' to
 * m + e + Σ e0_i + u·e' + s'·Σ e1_i. Computed over q_0 … q_level of the ciphertext.
 */
public final class PublicKeySwitch extends Protocol {
    static final int ROUND = 1;
    private final Smudging smudging;
    private final PublicKey target;
    private final byte[] targetDigest;

    public PublicKeySwitch(Session session, PublicKey target) {
        this(session, session.parties(), Smudging.defaultFor(session.parameters()), target);
    }

    public PublicKeySwitch(Session session, Collection<PartyId> active, Smudging smudging, PublicKey target) {
        super(ProtocolType.PUBLIC_KEY_SWITCH, session, active);
        if (!params.sameAs(target.parameters())) {
            throw new IllegalArgumentException("target public key belongs to a different parameter set");
        }
        this.smudging = smudging;
        this.target = target;
        RnsPoly[] pk = ProtocolAccess.publicKeyQ(target);
        this.targetDigest = digest("pks-target", new long[0], pk[0], pk[1]);
    }

    private byte[] context(Ciphertext ct) {
        if (!params.sameAs(ct.parameters())) {
            throw new IllegalArgumentException("ciphertext belongs to a different parameter set");
        }
        MessageDigest md = Session.sha256();
        md.update(ciphertextDigest(ct));
        md.update(targetDigest);
        return md.digest();
    }

    public Share allocateShare(Ciphertext ct) {
        return zeroShare(ROUND, context(ct), ct.level(), 0, -1, 2, false);
    }

    /** This party's share for {@code ct}. At most once per ciphertext, target, secret share and session. */
    public Share generateShare(SecretKeyShare input, Ciphertext ct) {
        byte[] ctx = context(ct);
        admit(input, ROUND, ctx);
        int level = ct.level();
        RnsBasis rq = params.ringQ();
        RnsPoly[] pk = ProtocolAccess.publicKeyQ(target);
        RnsPoly b = Polys.view(pk[0], level + 1);
        RnsPoly a = Polys.view(pk[1], level + 1);
        RnsPoly u = Polys.smallQ(params, Sampler.ternary(noise(), params.n()), level);
        RnsPoly h0 = Polys.smallQ(params, smudging.sample(noise(), params.n()), level);
        RnsPoly h1 = Polys.errorQ(params, noise(), level);
        RnsPoly t = Polys.newQ(params, level);
        rq.mul(ProtocolAccess.ciphertextPart(ct, 1), Polys.view(input.q(), level + 1), t);
        rq.add(h0, t, h0);
        rq.mulAdd(u, b, h0);
        rq.mulAdd(u, a, h1);
        u.clear();
        return newShare(input.owner(), ROUND, ctx, level, 0, -1, new RnsPoly[] {h0, h1}, null);
    }

    public Share aggregateShares(Share a, Share b) {
        return aggregate(a, b, ROUND);
    }

    public Share aggregateShares(Collection<Share> shares) {
        return aggregateAll(shares, ROUND);
    }

    /** The ciphertext under the target public key: (c_0 + Σ h0_i, Σ h1_i). */
    public Ciphertext finish(Ciphertext ct, Share aggregate) {
        requireComplete(aggregate, ROUND);
        if (!MessageDigest.isEqual(aggregate.context(), context(ct)) || aggregate.level() != ct.level()) {
            throw new IllegalArgumentException("the shares were made for a different ciphertext or target key");
        }
        RnsPoly c0 = ProtocolAccess.ciphertextPart(ct, 0).copy();
        params.ringQ().add(c0, aggregate.q(0), c0);
        return ProtocolAccess.ciphertext(params, new RnsPoly[] {c0, aggregate.q(1).copy()}, ct.level(), ct.scale(),
                ct.slots());
    }
}
