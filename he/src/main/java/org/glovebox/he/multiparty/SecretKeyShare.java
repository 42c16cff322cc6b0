package org.glovebox.he.multiparty;

import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * One party's additive share s_i of the collective secret key s = Σ s_i. Never leaves its owner.
 *
 * <p>Two forms: the party's own ternary share (N-out-of-N; generated locally, {@link #generate}), and the
 * non-small share l_i·S(α_i) that {@link Combiner} derives from a Shamir share for one active set of t parties
 * ({@link #activeSet()}). Both are held in the NTT domain over every chain and special prime.
 *
 * <p>The share remembers each (session, protocol, round, context) it produced a protocol share for and refuses a
 * second one: re-running a round with fresh noise would let the receivers average the noise away. Shares derived
 * from the same Shamir share keep one common record. {@link #destroy()} erases the material.
 */
public final class SecretKeyShare {
    private final Parameters params;
    private final PartyId owner;
    private final RnsPoly q;
    private final RnsPoly p;
    private final long[] ternary;
    private final byte[] sessionId;
    private final List<PartyId> activeSet;
    private final Set<String> used;
    private boolean destroyed;

    SecretKeyShare(Parameters params, PartyId owner, RnsPoly q, RnsPoly p, long[] ternary, byte[] sessionId,
            List<PartyId> activeSet, Set<String> used) {
        if (q.limbCount() != params.maxLevel() + 1 || p.limbCount() != params.specialPrimeCount()) {
            throw new IllegalArgumentException("secret share has the wrong shape for " + params);
        }
        this.params = params;
        this.owner = owner;
        this.q = q;
        this.p = p;
        this.ternary = ternary;
        this.sessionId = sessionId == null ? null : sessionId.clone();
        this.activeSet = activeSet == null ? null : List.copyOf(activeSet);
        this.used = used != null ? used : Collections.synchronizedSet(new HashSet<>());
    }

    /** A fresh ternary share for {@code owner} (uniform ternary, from SecureRandom). */
    public static SecretKeyShare generate(Parameters params, PartyId owner) {
        Prng prng = Prng.fresh();
        long[] s = params.secretHammingWeight() > 0
                ? Sampler.ternaryHammingWeight(prng, params.n(), params.secretHammingWeight())
                : Sampler.ternary(prng, params.n());
        prng.destroy();
        return fromTernary(params, owner, s);
    }

    static SecretKeyShare fromTernary(Parameters params, PartyId owner, long[] s) {
        return new SecretKeyShare(params, owner, Polys.smallQ(params, s, params.maxLevel()), Polys.smallP(params, s), s,
                null, null, null);
    }

    /** Uses an existing single-party CKKS secret key as this party's share (e.g. a receiver's own key). */
    public static SecretKeyShare fromSecretKey(SecretKey sk, PartyId owner) {
        return fromTernary(sk.parameters(), owner, ProtocolAccess.secretCoefficients(sk));
    }

    public Parameters parameters() {
        return params;
    }

    public PartyId owner() {
        return owner;
    }

    /** True for a party's own ternary share, false for a share derived by {@link Combiner}. */
    public boolean isTernary() {
        return ternary != null;
    }

    /** For a combined share, the t parties it was combined for (null for an N-out-of-N share). */
    public List<PartyId> activeSet() {
        return activeSet;
    }

    /** For a combined share, the session it belongs to (null for an N-out-of-N share). */
    public byte[] sessionId() {
        return sessionId == null ? null : sessionId.clone();
    }

    /** The ternary share as a single-party CKKS secret key (only for ternary shares; e.g. for tests or recovery). */
    public SecretKey toSecretKey() {
        if (ternary == null) {
            throw new IllegalStateException("a combined (non-ternary) share is not a CKKS secret key");
        }
        return ProtocolAccess.secretKey(params, ternaryCoefficients());
    }

    RnsPoly q() {
        check();
        return q;
    }

    RnsPoly p() {
        check();
        return p;
    }

    long[] ternaryCoefficients() {
        check();
        return ternary;
    }

    Set<String> usageRecord() {
        return used;
    }

    /** Records one use; fails if this exact (session, protocol, round, context) was already used. */
    void markUsed(byte[] session, ProtocolType protocol, int round, byte[] context) {
        check();
        String key = HexFormat.of().formatHex(session) + "/" + protocol + "/" + round + "/"
                + HexFormat.of().formatHex(context);
        if (!used.add(key)) {
            throw new IllegalStateException(owner + "'s secret share already produced its " + protocol + " round "
                    + round + " share for this session and input; producing another with fresh noise would leak the"
                    + " secret (re-send the stored share instead)");
        }
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("secret key share was destroyed");
        }
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the material with zeros; later use fails. */
    public void destroy() {
        q.clear();
        p.clear();
        if (ternary != null) {
            java.util.Arrays.fill(ternary, 0);
        }
        destroyed = true;
    }

    @Override
    public String toString() {
        return "SecretKeyShare[" + owner + (ternary != null ? ", ternary" : ", combined for " + activeSet)
                + ", contents hidden]";
    }
}
