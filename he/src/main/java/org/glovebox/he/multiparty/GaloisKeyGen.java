package org.glovebox.he.multiparty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glovebox.he.ckks.GaloisElements;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeySwitchingKey;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Collective Galois-key generation (one round per Galois element; Mouchet et al. 2021, Protocol 4 "RotKeyGen").
 *
 * <p>For element g, common reference polynomials a_d (per digit, expanded from the CRS and g); party i sends
 * h_i[d] = -a_d·s_i + P·w_d·s_i(X^g) + e_i[d]. The aggregate is the key-switching key from s(X^g) to s, with the
 * same seeded a_d as a single-key Galois key, so the {@link GaloisKeys} serialize compactly.
 */
public final class GaloisKeyGen extends Protocol {
    static final int ROUND = 1;
    private final int digits;

    public GaloisKeyGen(Session session) {
        this(session, session.parties());
    }

    public GaloisKeyGen(Session session, Collection<PartyId> active) {
        super(ProtocolType.GALOIS_KEY_GEN, session, active);
        this.digits = ProtocolAccess.digits(params);
    }

    /** Galois elements for the given rotation steps (and conjugation), without duplicates or the identity. */
    public static int[] elementsFor(Parameters params, int[] rotationSteps, boolean conjugation) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int s : rotationSteps) {
            int g = GaloisElements.forRotation(s, params.n());
            if (g != 1) {
                set.add(g);
            }
        }
        if (conjugation) {
            set.add(GaloisElements.conjugation(params.n()));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private void checkElement(int g) {
        if ((g & 1) == 0 || g < 3 || g >= 2 * params.n()) {
            throw new IllegalArgumentException("invalid Galois element " + g);
        }
    }

    private static byte[] context(int g) {
        return digest("galois", new long[] {g});
    }

    public Share allocateShare(int galoisElement) {
        checkElement(galoisElement);
        return zeroShare(ROUND, context(galoisElement), params.maxLevel(), galoisElement, -1, digits, true);
    }

    /** This party's share of the key for Galois element g. At most once per element, secret share and session. */
    public Share generateShare(SecretKeyShare sk, int galoisElement) {
        checkElement(galoisElement);
        byte[] ctx = context(galoisElement);
        admit(sk, ROUND, ctx);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly[][] a = ProtocolAccess.uniformDigits(params, session.crsFor(type, galoisElement));
        RnsPoly[] q = new RnsPoly[digits];
        RnsPoly[] p = new RnsPoly[digits];
        FixedMultiplicand sQ = new FixedMultiplicand(rq, sk.q());
        FixedMultiplicand sP = new FixedMultiplicand(rp, sk.p());
        for (int d = 0; d < digits; d++) {
            RnsPoly[] e = Polys.errorQP(params, noise());
            sQ.mulSub(a[d][0], e[0]);
            sP.mulSub(a[d][1], e[1]);
            q[d] = e[0];
            p[d] = e[1];
        }
        sQ.clear();
        sP.clear();
        RnsPoly sg = Polys.newQ(params, params.maxLevel());
        rq.permuteNtt(sk.q(), RnsBasis.nttAutomorphismPermutation(params.n(), galoisElement), sg);
        ProtocolAccess.addGadget(params, q, sg);
        sg.clear();
        return newShare(sk.owner(), ROUND, ctx, params.maxLevel(), galoisElement, -1, q, p);
    }

    /** One share per element. */
    public List<Share> generateShares(SecretKeyShare sk, int[] galoisElements) {
        List<Share> out = new ArrayList<>();
        for (int g : galoisElements) {
            out.add(generateShare(sk, g));
        }
        return out;
    }

    public Share aggregateShares(Share a, Share b) {
        return aggregate(a, b, ROUND);
    }

    public Share aggregateShares(Collection<Share> shares) {
        return aggregateAll(shares, ROUND);
    }

    /** Galois keys from one complete aggregate per element. */
    public GaloisKeys finish(Collection<Share> aggregates) {
        Map<Integer, KeySwitchingKey> keys = new TreeMap<>();
        for (Share agg : aggregates) {
            requireComplete(agg, ROUND);
            int g = agg.galoisElement();
            checkElement(g);
            if (!java.security.MessageDigest.isEqual(agg.context(), context(g))) {
                throw new IllegalArgumentException("Galois share context does not match its element " + g);
            }
            if (keys.containsKey(g)) {
                throw new IllegalArgumentException("two aggregates for Galois element " + g);
            }
            byte[] seed = session.crsFor(type, g);
            RnsPoly[][] a = ProtocolAccess.uniformDigits(params, seed);
            RnsPoly[] bq = new RnsPoly[digits];
            RnsPoly[] bp = new RnsPoly[digits];
            RnsPoly[] aq = new RnsPoly[digits];
            RnsPoly[] ap = new RnsPoly[digits];
            for (int d = 0; d < digits; d++) {
                bq[d] = agg.qForResult(d);
                bp[d] = agg.pForResult(d);
                aq[d] = a[d][0];
                ap[d] = a[d][1];
            }
            keys.put(g, ProtocolAccess.keySwitchingKey(params, bq, bp, aq, ap, seed));
        }
        return ProtocolAccess.galoisKeys(params, keys);
    }

    public GaloisKeys finish(Share aggregate) {
        return finish(List.of(aggregate));
    }
}
