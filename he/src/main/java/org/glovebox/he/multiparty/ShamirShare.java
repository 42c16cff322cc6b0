package org.glovebox.he.multiparty;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.RnsPoly;

/**
 * A party's t-out-of-N threshold secret share S(α_i), where S = Σ_j S_j is the sum of every party's random Shamir
 * polynomial of degree t-1 with S_j(0) = s_j, so S(0) = s, the collective secret. Uniform-looking modulo Q·P (not
 * small), held in the NTT domain. Never leaves its owner; {@link Combiner} turns it into an additive share for an
 * active set of t parties.
 */
public final class ShamirShare {
    private final Parameters params;
    private final PartyId owner;
    private final byte[] sessionId;
    private final int threshold;
    private final RnsPoly q;
    private final RnsPoly p;
    private final Set<String> used = Collections.synchronizedSet(new HashSet<>());
    private boolean destroyed;

    ShamirShare(Parameters params, PartyId owner, byte[] sessionId, int threshold, RnsPoly q, RnsPoly p) {
        this.params = params;
        this.owner = owner;
        this.sessionId = sessionId.clone();
        this.threshold = threshold;
        this.q = q;
        this.p = p;
    }

    public Parameters parameters() {
        return params;
    }

    public PartyId owner() {
        return owner;
    }

    public int threshold() {
        return threshold;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    RnsPoly q() {
        check();
        return q;
    }

    RnsPoly p() {
        check();
        return p;
    }

    Set<String> usageRecord() {
        return used;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("Shamir share was destroyed");
        }
    }

    /** Overwrites the material with zeros; later use fails. */
    public void destroy() {
        q.clear();
        p.clear();
        destroyed = true;
    }

    @Override
    public String toString() {
        return "ShamirShare[" + owner + ", threshold " + threshold + ", contents hidden]";
    }
}
