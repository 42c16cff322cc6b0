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
 * <p>Round 1: party i draws an ephemeral ternary u_i and sends, per digit,
 * h0_i = -u_i·a_d + P·w_d·s_i + e0_i and h1_i = s_i·a_d + e1_i. With h0 = Σ h0_i, h1 = Σ h1_i, round 2: party i
 * sends h0'_i = s_i·h0 + e2_i and h1'_i = (u_i - s_i)·h1 + e3_i. The key is (b_d, a_d') = (Σ h0'_i + Σ h1'_i, h1):
 * b_d + a_d'·s = P·w_d·s² + (s·e0 + u·e1 + e2 + e3) — an ordinary {@link RelinearizationKey} (its a_d' are sums of
 * shares, not seeded, so it is stored in full). The same instance must run both rounds for a party (it keeps u_i and
 * erases it after round 2).
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

    /** An empty share of the given round (1 or 2). */
    public Share allocateShare(int round) {
        checkRound(round);
        return zeroShare(round, NO_CONTEXT, params.maxLevel(), 0, -1, 2 * digits, true);
    }

    private static void checkRound(int round) {
        if (round != 1 && round != 2) {
            throw new IllegalArgumentException("RelinKeyGen has rounds 1 and 2, got " + round);
        }
    }

    private void addGaussian(RnsPoly q, RnsPoly p) {
        long[] e = Sampler.gaussian(noise, params.n(), params.sigma());
        params.ringQ().add(q, Polys.smallQ(params, e, params.maxLevel()), q);
        params.ringP().add(p, Polys.smallP(params, e), p);
    }

    /** Round 1: per digit (-u_i·a_d + P·w_d·s_i + e0, s_i·a_d + e1). */
    public Share generateShareRoundOne(SecretKeyShare sk) {
        admit(sk, 1, NO_CONTEXT);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        long[] u = params.secretHammingWeight() > 0
                ? Sampler.ternaryHammingWeight(noise, params.n(), params.secretHammingWeight())
                : Sampler.ternary(noise, params.n());
        uq = Polys.smallQ(params, u, params.maxLevel());
        up = Polys.smallP(params, u);
        java.util.Arrays.fill(u, 0);
        roundOneSecret = sk;
        RnsPoly[][] a = crp();
        RnsPoly[] q = new RnsPoly[2 * digits];
        RnsPoly[] p = new RnsPoly[2 * digits];
        for (int d = 0; d < digits; d++) {
            RnsPoly h0q = Polys.newQ(params, params.maxLevel());
            RnsPoly h0p = Polys.newP(params);
            rq.mul(a[d][0], uq, h0q);
            rp.mul(a[d][1], up, h0p);
            rq.neg(h0q, h0q);
            rp.neg(h0p, h0p);
            addGaussian(h0q, h0p);
            q[d] = h0q;
            p[d] = h0p;
            RnsPoly h1q = Polys.newQ(params, params.maxLevel());
            RnsPoly h1p = Polys.newP(params);
            rq.mul(a[d][0], sk.q(), h1q);
            rp.mul(a[d][1], sk.p(), h1p);
            addGaussian(h1q, h1p);
            q[digits + d] = h1q;
            p[digits + d] = h1p;
        }
        RnsPoly[] gadgetTargets = java.util.Arrays.copyOf(q, digits);
        ProtocolAccess.addGadget(params, gadgetTargets, sk.q());
        return newShare(sk.owner(), 1, NO_CONTEXT, params.maxLevel(), 0, -1, q, p);
    }

    /** Round 2, from the aggregate of every active party's round-1 share: (s_i·h0 + e2, (u_i - s_i)·h1 + e3). */
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
        RnsPoly[] q = new RnsPoly[2 * digits];
        RnsPoly[] p = new RnsPoly[2 * digits];
        for (int d = 0; d < digits; d++) {
            q[d] = Polys.newQ(params, params.maxLevel());
            p[d] = Polys.newP(params);
            rq.mul(roundOneAggregate.q(d), sk.q(), q[d]);
            rp.mul(roundOneAggregate.p(d), sk.p(), p[d]);
            addGaussian(q[d], p[d]);
            q[digits + d] = Polys.newQ(params, params.maxLevel());
            p[digits + d] = Polys.newP(params);
            rq.mul(roundOneAggregate.q(digits + d), dq, q[digits + d]);
            rp.mul(roundOneAggregate.p(digits + d), dp, p[digits + d]);
            addGaussian(q[digits + d], p[digits + d]);
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
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly[] bq = new RnsPoly[digits];
        RnsPoly[] bp = new RnsPoly[digits];
        RnsPoly[] aq = new RnsPoly[digits];
        RnsPoly[] ap = new RnsPoly[digits];
        for (int d = 0; d < digits; d++) {
            bq[d] = Polys.newQ(params, params.maxLevel());
            bp[d] = Polys.newP(params);
            rq.add(roundTwoAggregate.q(d), roundTwoAggregate.q(digits + d), bq[d]);
            rp.add(roundTwoAggregate.p(d), roundTwoAggregate.p(digits + d), bp[d]);
            aq[d] = roundOneAggregate.q(digits + d).copy();
            ap[d] = roundOneAggregate.p(digits + d).copy();
        }
        KeySwitchingKey key = ProtocolAccess.keySwitchingKey(params, bq, bp, aq, ap, null);
        return ProtocolAccess.relinearizationKey(key);
    }
}
