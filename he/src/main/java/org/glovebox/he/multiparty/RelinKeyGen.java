package org.glovebox.he.multiparty;

import java.util.Collection;
import org.glovebox.he.ckks.KeySwitchingKey;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Collective relinearization-key generation (two rounds; Mouchet et al. 2021, Protocol 2 "RelinKeyGen", in the
 * hybrid key-switching form with one common reference polynomial a_d per digit d over Q·P).
 *
 * <p>Round 1: party i draws an ephemeral ternary u_i and sends, per digit, h0_i = -u_i·a_d + P·w_d·s_i + e0_i and
 * h1_i = s_i·a_d + e1_i. With h0 = Σ h0_i and h1 = Σ h1_i, round 2: party i sends, per digit,
 * h'_i = s_i·h0 + (u_i - s_i)·h1 + e2_i. The key is (b_d, a_d') = (Σ h'_i, h1), and
 * b_d + a_d'·s = P·w_d·s² + (s·e0 + u·e1 + e2 + s·e1 - … ) stays small: an ordinary {@link RelinearizationKey}
 * (its a_d' are sums of shares, not seeded, so it is stored in full).
 *
 * <p>The paper sends s_i·h0 + e and (u_i - s_i)·h1 + e' separately; only their sum enters the key, so each party sends
 * the sum (one fresh error per digit): half the round-2 traffic and work, and strictly less information (the sum is
 * itself an RLWE sample in the secret (s_i, u_i) with public (h0 - h1, h1)).
 *
 * <p>The same instance must run both rounds for a party: it keeps u_i between them and erases it after round 2.
 */
public final class RelinKeyGen extends Protocol {
    private final int digits;
    private RnsPoly[][] crp;
    private RnsPoly uq;
    private RnsPoly up;
    private SecretKeyShare roundOneSecret;

    public RelinKeyGen(Session session) {
        this(session, session.parties());
    }

    public RelinKeyGen(Session session, Collection<PartyId> active) {
        super(ProtocolType.RELIN_KEY_GEN, session, active);
        this.digits = ProtocolAccess.digits(params);
    }

    private RnsPoly[][] crp() {
        if (crp == null) {
            crp = ProtocolAccess.uniformDigits(params, session.crsFor(type, 0));
        }
        return crp;
    }

    /** An empty round-1 share. */
    public Share allocateShare() {
        return zeroShare(1, NO_CONTEXT, params.maxLevel(), 0, -1, 2 * digits, true);
    }

    /** An empty round-2 share for the given complete round-1 aggregate. */
    public Share allocateShare(Share roundOneAggregate) {
        requireComplete(roundOneAggregate, 1);
        return zeroShare(2, roundOneDigest(roundOneAggregate), params.maxLevel(), 0, -1, digits, true);
    }

    /** Round 1: per digit (-u_i·a_d + P·w_d·s_i + e0, s_i·a_d + e1). */
    public Share generateShareRoundOne(SecretKeyShare sk) {
        admit(sk, 1, NO_CONTEXT);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        long[] u = params.secretHammingWeight() > 0
                ? Sampler.ternaryHammingWeight(noise(), params.n(), params.secretHammingWeight())
                : Sampler.ternary(noise(), params.n());
        uq = Polys.smallQ(params, u, params.maxLevel());
        up = Polys.smallP(params, u);
        java.util.Arrays.fill(u, 0);
        roundOneSecret = sk;
        FixedMultiplicand uQ = new FixedMultiplicand(rq, uq);
        FixedMultiplicand uP = new FixedMultiplicand(rp, up);
        FixedMultiplicand sQ = new FixedMultiplicand(rq, sk.q());
        FixedMultiplicand sP = new FixedMultiplicand(rp, sk.p());
        RnsPoly[][] a = crp();
        RnsPoly[] q = new RnsPoly[2 * digits];
        RnsPoly[] p = new RnsPoly[2 * digits];
        for (int d = 0; d < digits; d++) {
            RnsPoly[] e0 = Polys.errorQP(params, noise());
            uQ.mulSub(a[d][0], e0[0]);
            uP.mulSub(a[d][1], e0[1]);
            q[d] = e0[0];
            p[d] = e0[1];
            RnsPoly[] e1 = Polys.errorQP(params, noise());
            sQ.mulAdd(a[d][0], e1[0]);
            sP.mulAdd(a[d][1], e1[1]);
            q[digits + d] = e1[0];
            p[digits + d] = e1[1];
        }
        uQ.clear();
        uP.clear();
        sQ.clear();
        sP.clear();
        ProtocolAccess.addGadget(params, java.util.Arrays.copyOf(q, digits), sk.q());
        crp = null;
        return newShare(sk.owner(), 1, NO_CONTEXT, params.maxLevel(), 0, -1, q, p);
    }

    /** Round 2, from the aggregate of every active party's round-1 share: s_i·h0 + (u_i - s_i)·h1 + e2 per digit. */
    public Share generateShareRoundTwo(SecretKeyShare sk, Share roundOneAggregate) {
        if (roundOneSecret == null) {
            throw new IllegalStateException("round 2 needs this instance's own round-1 share first");
        }
        if (roundOneSecret != sk) {
            throw new IllegalArgumentException("round 2 must use the same secret share as round 1");
        }
        requireComplete(roundOneAggregate, 1);
        byte[] context = roundOneDigest(roundOneAggregate);
        admit(sk, 2, context);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly dq = Polys.newQ(params, params.maxLevel());
        RnsPoly dp = Polys.newP(params);
        rq.sub(uq, sk.q(), dq);
        rp.sub(up, sk.p(), dp);
        FixedMultiplicand sQ = new FixedMultiplicand(rq, sk.q());
        FixedMultiplicand sP = new FixedMultiplicand(rp, sk.p());
        FixedMultiplicand dQ = new FixedMultiplicand(rq, dq);
        FixedMultiplicand dP = new FixedMultiplicand(rp, dp);
        RnsPoly[] q = new RnsPoly[digits];
        RnsPoly[] p = new RnsPoly[digits];
        for (int d = 0; d < digits; d++) {
            RnsPoly[] e = Polys.errorQP(params, noise());
            sQ.mulAdd(roundOneAggregate.q(d), e[0]);
            sP.mulAdd(roundOneAggregate.p(d), e[1]);
            dQ.mulAdd(roundOneAggregate.q(digits + d), e[0]);
            dP.mulAdd(roundOneAggregate.p(digits + d), e[1]);
            q[d] = e[0];
            p[d] = e[1];
        }
        for (FixedMultiplicand f : new FixedMultiplicand[] {sQ, sP, dQ, dP}) {
            f.clear();
        }
        dq.clear();
        dp.clear();
        uq.clear();
        up.clear();
        return newShare(sk.owner(), 2, context, params.maxLevel(), 0, -1, q, p);
    }

    private static byte[] roundOneDigest(Share agg) {
        RnsPoly[] polys = new RnsPoly[agg.count()];
        for (int i = 0; i < polys.length; i++) {
            polys[i] = agg.q(i);
        }
        return digest("rkg-round-1", new long[] {agg.count()}, polys);
    }

    public Share aggregateShares(Share a, Share b) {
        if (a.round() != b.round()) {
            throw new IllegalArgumentException("cannot combine a RELIN_KEY_GEN round " + a.round()
                    + " share with a round " + b.round() + " share");
        }
        return aggregate(a, b, a.round());
    }

    public Share aggregateShares(Collection<Share> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to aggregate");
        }
        return aggregateAll(shares, shares.iterator().next().round());
    }

    /** The collective relinearization key from the two complete aggregates. */
    public RelinearizationKey finish(Share roundOneAggregate, Share roundTwoAggregate) {
        requireComplete(roundOneAggregate, 1);
        requireComplete(roundTwoAggregate, 2);
        if (!java.security.MessageDigest.isEqual(roundTwoAggregate.context(), roundOneDigest(roundOneAggregate))) {
            throw new IllegalArgumentException("the round-2 aggregate was made from a different round-1 aggregate");
        }
        RnsPoly[] bq = new RnsPoly[digits];
        RnsPoly[] bp = new RnsPoly[digits];
        RnsPoly[] aq = new RnsPoly[digits];
        RnsPoly[] ap = new RnsPoly[digits];
        for (int d = 0; d < digits; d++) {
            bq[d] = roundTwoAggregate.qForResult(d);
            bp[d] = roundTwoAggregate.pForResult(d);
            aq[d] = roundOneAggregate.qForResult(digits + d);
            ap[d] = roundOneAggregate.pForResult(digits + d);
        }
        KeySwitchingKey key = ProtocolAccess.keySwitchingKey(params, bq, bp, aq, ap, null);
        return ProtocolAccess.relinearizationKey(key);
    }
}
