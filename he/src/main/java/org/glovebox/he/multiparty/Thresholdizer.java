package org.glovebox.he.multiparty;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * t-out-of-N re-sharing of the collective secret (Mouchet, Bertrand, Hubaux, "An Efficient Threshold
 * Access-Structure for RLWE-Based Multiparty Homomorphic Encryption", eprint 2022/780), one round over private
 * channels, no dealer.
 *
 * <p>Party i picks a random polynomial S_i(X) = s_i + c_1·X + … + c_{t-1}·X^{t-1} with c_k uniform over Q·P, and
 * sends S_i(α_j) to party j (α_j = j's public point) over an authenticated, encrypted channel: these shares are
 * secret. Party j sums what it receives from all N parties into its {@link ShamirShare} S(α_j), S = Σ S_i, so that
 * S(0) = s. Any t shares determine s; t - 1 shares reveal nothing about it.
 */
public final class Thresholdizer extends Protocol {
    static final int ROUND = 1;
    private final int threshold;
    private SecretKeyShare owner;
    private RnsPoly[] coeffQ;
    private RnsPoly[] coeffP;

    /** Re-shares for the session's threshold t among all its parties. */
    public Thresholdizer(Session session) {
        super(ProtocolType.THRESHOLDIZER, session, session.parties());
        this.threshold = session.threshold();
    }

    private byte[] context() {
        return digest("shamir", new long[] {threshold, session.size()});
    }

    /** An empty share addressed to {@code recipient}. */
    public Share allocateShare(PartyId recipient) {
        session.requireMember(recipient);
        return zeroShare(ROUND, context(), params.maxLevel(), 0, recipient.index(), 1, true);
    }

    private void polynomial(SecretKeyShare sk) {
        if (owner == null) {
            if (!sk.isTernary()) {
                throw new IllegalArgumentException("re-share the party's own (ternary) secret share");
            }
            admit(sk, ROUND, context());
            owner = sk;
            RnsBasis rq = params.ringQ();
            RnsBasis rp = params.ringP();
            coeffQ = new RnsPoly[threshold - 1];
            coeffP = new RnsPoly[threshold - 1];
            for (int k = 0; k < threshold - 1; k++) {
                coeffQ[k] = Polys.newQ(params, params.maxLevel());
                coeffP[k] = Polys.newP(params);
                Sampler.uniform(noise(), rq, coeffQ[k]);
                Sampler.uniform(noise(), rp, coeffP[k]);
            }
        } else if (owner != sk) {
            throw new IllegalArgumentException("this Thresholdizer already shares " + owner.owner() + "'s secret");
        }
    }

    /** S_i(α_recipient), for the recipient only (send it over a private channel). */
    public Share generateShare(SecretKeyShare sk, PartyId recipient) {
        session.requireMember(recipient);
        polynomial(sk);
        RnsPoly q = Polys.newQ(params, params.maxLevel());
        RnsPoly p = Polys.newP(params);
        horner(params.ringQ(), coeffQ, sk.q(), recipient.point(), q);
        horner(params.ringP(), coeffP, sk.p(), recipient.point(), p);
        return newShare(sk.owner(), ROUND, context(), params.maxLevel(), 0, recipient.index(), new RnsPoly[] {q},
                new RnsPoly[] {p});
    }

    /** Shares for every party of the session, including this party itself, in index order. */
    public List<Share> generateShares(SecretKeyShare sk) {
        List<Share> out = new ArrayList<>();
        for (PartyId p : session.parties()) {
            out.add(generateShare(sk, p));
        }
        return out;
    }

    private static void horner(RnsBasis basis, RnsPoly[] c, RnsPoly constant, long x, RnsPoly out) {
        int limbs = out.limbCount();
        if (c.length == 0) {
            for (int i = 0; i < limbs; i++) {
                System.arraycopy(constant.limb(i), 0, out.limb(i), 0, out.limb(i).length);
            }
            return;
        }
        for (int i = 0; i < limbs; i++) {
            System.arraycopy(c[c.length - 1].limb(i), 0, out.limb(i), 0, out.limb(i).length);
        }
        for (int k = c.length - 2; k >= -1; k--) {
            Polys.mulScalar(basis, out, x, out);
            basis.add(out, k >= 0 ? c[k] : constant, out);
        }
    }

    public Share aggregateShares(Share a, Share b) {
        return aggregate(a, b, ROUND);
    }

    public Share aggregateShares(Collection<Share> shares) {
        return aggregateAll(shares, ROUND);
    }

    /** The recipient's Shamir share from the shares of all N parties addressed to it. */
    public ShamirShare finish(Share aggregate) {
        requireComplete(aggregate, ROUND);
        if (!MessageDigest.isEqual(aggregate.context(), context())) {
            throw new IllegalArgumentException("Shamir shares were made for another threshold or group size");
        }
        PartyId recipient = session.party(aggregate.recipient());
        return new ShamirShare(params, recipient, session.id(), threshold, aggregate.q(0).copy(),
                aggregate.p(0).copy());
    }

    /** Erases the Shamir polynomial (call once every share has been generated). */
    public void destroy() {
        if (coeffQ != null) {
            for (int k = 0; k < coeffQ.length; k++) {
                coeffQ[k].clear();
                coeffP[k].clear();
            }
        }
    }
}
