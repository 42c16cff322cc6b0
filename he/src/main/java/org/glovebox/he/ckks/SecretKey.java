package org.glovebox.he.ckks;

import java.util.Arrays;
import org.glovebox.he.ring.RnsPoly;

/**
 * A CKKS secret key: a ternary polynomial s, held in the NTT domain over every chain prime and special prime.
 * Opaque: its contents are never printed, and {@link #destroy()} erases them.
 */
public final class SecretKey {
    private final Parameters params;
    private final long[] coefficients;
    private final RnsPoly q;
    private final RnsPoly p;
    private boolean destroyed;

    SecretKey(Parameters params, long[] coefficients, RnsPoly q, RnsPoly p) {
        this.params = params;
        this.coefficients = coefficients;
        this.q = q;
        this.p = p;
    }

    public Parameters parameters() {
        return params;
    }

    /** Signed coefficients in {-1, 0, 1} (package use: serialization and multiparty share arithmetic). */
    long[] coefficients() {
        check();
        return coefficients;
    }

    RnsPoly q() {
        check();
        return q;
    }

    RnsPoly p() {
        check();
        return p;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("secret key was destroyed");
        }
    }

    /** Overwrites the key material with zeros; later use fails. */
    public void destroy() {
        Arrays.fill(coefficients, 0);
        q.clear();
        p.clear();
        destroyed = true;
    }

    @Override
    public String toString() {
        return "SecretKey[" + params + ", contents hidden]";
    }
}
