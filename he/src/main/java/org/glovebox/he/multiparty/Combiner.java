package org.glovebox.he.multiparty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Turns a party's t-out-of-N {@link ShamirShare} S(α_i) into its additive share l_i·S(α_i) for one active set L of
 * parties (|L| &gt;= t), with the Lagrange coefficient at zero l_i = Π_{j ∈ L, j ≠ i} α_j / (α_j - α_i) computed
 * modulo every prime. Then Σ_{i ∈ L} l_i·S(α_i) = S(0) = s, and every protocol runs among the parties of L exactly
 * as in the N-out-of-N case. Local computation, no message: the active set is public and agreed (e.g. announced by
 * the coordinator after a dropout). Fewer than t parties are refused.
 */
public final class Combiner {
    private final Session session;

    public Combiner(Session session) {
        this.session = session;
    }

    /** The additive share of {@code own}'s owner for the active set. */
    public SecretKeyShare generateShare(ShamirShare own, Collection<PartyId> active) {
        if (active.size() < session.threshold()) {
            throw new IllegalArgumentException("threshold decryption needs at least t = " + session.threshold()
                    + " of the " + session.size() + " parties, got " + active.size());
        }
        if (own.threshold() != session.threshold() || !session.sameId(own.sessionId())) {
            throw new IllegalArgumentException("Shamir share belongs to another session or threshold");
        }
        return combine(own, active);
    }

    /** Without the threshold check: only for tests that show what fewer than t parties get. */
    SecretKeyShare combineUnchecked(ShamirShare own, Collection<PartyId> active) {
        return combine(own, active);
    }

    private SecretKeyShare combine(ShamirShare own, Collection<PartyId> activeParties) {
        if (!session.parameters().sameAs(own.parameters())) {
            throw new IllegalArgumentException("Shamir share belongs to a different parameter set");
        }
        List<PartyId> active = new ArrayList<>(activeParties);
        java.util.Collections.sort(active);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (PartyId p : active) {
            session.requireMember(p);
            if (!seen.add(p.index())) {
                throw new IllegalArgumentException(p + " is listed twice in the active set");
            }
        }
        PartyId me = own.owner();
        if (!active.contains(me)) {
            throw new IllegalArgumentException(me + " is not in the active set " + active);
        }
        var params = session.parameters();
        RnsPoly q = Polys.newQ(params, params.maxLevel());
        RnsPoly p = Polys.newP(params);
        scale(params.ringQ(), own.q(), lagrange(params.ringQ(), me, active, q.limbCount()), q);
        scale(params.ringP(), own.p(), lagrange(params.ringP(), me, active, p.limbCount()), p);
        return new SecretKeyShare(params, me, q, p, null, session.id(), active, own.usageRecord());
    }

    private static void scale(RnsBasis basis, RnsPoly in, long[] c, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = basis.modulus(i);
            long w = c[i];
            long ws = m.shoup(w);
            long[] x = in.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < x.length; j++) {
                z[j] = m.mulShoup(x[j], w, ws);
            }
        }
    }

    /** l_me modulo each of the first {@code limbs} primes of the basis. */
    static long[] lagrange(RnsBasis basis, PartyId me, List<PartyId> active, int limbs) {
        long[] out = new long[limbs];
        for (int i = 0; i < limbs; i++) {
            Modulus m = basis.modulus(i);
            long num = 1;
            long den = 1;
            long ai = m.reduce(me.point());
            for (PartyId j : active) {
                if (j.index() == me.index()) {
                    continue;
                }
                long aj = m.reduce(j.point());
                num = m.mul(num, aj);
                den = m.mul(den, m.sub(aj, ai));
            }
            out[i] = m.mul(num, m.inverse(den));
        }
        return out;
    }
}
