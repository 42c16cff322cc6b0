package org.glovebox.he.multiparty;

import java.util.Collection;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Collective public-key generation (one round; Mouchet et al. 2021, Protocol 1 "EncKeyGen").
 *
 * <p>Common reference polynomial a (uniform over Q·P, expanded from the session's CRS). Party i sends
 * p_i = -a·s_i + e_i; the aggregate Σ p_i = -a·s + e with a gives the collective public key (b, a), an ordinary
 * {@link PublicKey} for {@code Encryptor.withPublicKey}. Needs a share from every active party.
 */
public final class PublicKeyGen extends Protocol {
    static final int ROUND = 1;
    private RnsPoly[] crp;

    /** N-out-of-N (every party of the session). */
    public PublicKeyGen(Session session) {
        this(session, session.parties());
    }

    /** For an active set of at least t parties holding shares combined for that set. */
    public PublicKeyGen(Session session, Collection<PartyId> active) {
        super(ProtocolType.PUBLIC_KEY_GEN, session, active);
    }

    private RnsPoly[] crp() {
        if (crp == null) {
            crp = ProtocolAccess.uniformQP(params, session.crsFor(type, 0));
        }
        return crp;
    }

    /** An empty share (no contributors), the neutral element of aggregation. */
    public Share allocateShare() {
        return zeroShare(ROUND, NO_CONTEXT, params.maxLevel(), 0, -1, 1, true);
    }

    /** This party's share -a·s_i + e_i. At most once per secret share and session. */
    public Share generateShare(SecretKeyShare sk) {
        admit(sk, ROUND, NO_CONTEXT);
        RnsPoly[] a = crp();
        RnsPoly[] e = Polys.errorQP(params, noise());
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly bq = Polys.newQ(params, params.maxLevel());
        RnsPoly bp = Polys.newP(params);
        rq.mul(a[0], sk.q(), bq);
        rp.mul(a[1], sk.p(), bp);
        rq.sub(e[0], bq, bq);
        rp.sub(e[1], bp, bp);
        return newShare(sk.owner(), ROUND, NO_CONTEXT, params.maxLevel(), 0, -1, new RnsPoly[] {bq}, new RnsPoly[] {bp});
    }

    public Share aggregateShares(Share a, Share b) {
        return aggregate(a, b, ROUND);
    }

    public Share aggregateShares(Collection<Share> shares) {
        return aggregateAll(shares, ROUND);
    }

    /** The collective public key from the aggregate of every active party's share. */
    public PublicKey finish(Share aggregate) {
        requireComplete(aggregate, ROUND);
        return ProtocolAccess.publicKey(params, aggregate.qForResult(0), aggregate.pForResult(0), session.crsFor(type, 0));
    }
}
