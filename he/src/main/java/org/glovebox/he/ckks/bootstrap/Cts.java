package org.glovebox.he.ckks.bootstrap;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * Ciphertext bookkeeping the bootstrapping needs beyond the public {@link Evaluator} API: relabelling the scale
 * (exact constant factors are folded into scales rather than multiplied in) and the slot view, and multiplying by
 * ±X^(N/2) (multiplication by ±i in every slot, exact and free of levels).
 */
final class Cts {
    private Cts() {
    }

    private static RnsPoly[] parts(Ciphertext ct) {
        RnsPoly[] p = new RnsPoly[ct.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = ProtocolAccess.ciphertextPart(ct, i);
        }
        return p;
    }

    /** The same polynomials labelled with another scale (the slot values are multiplied by old/new). */
    static Ciphertext withScale(Ciphertext ct, double scale) {
        return ProtocolAccess.ciphertext(ct.parameters(), parts(ct), ct.level(), scale, ct.slots());
    }

    /**
     * The same polynomials viewed with another slot count. An n-slot ciphertext seen with 2n slots holds its vector
     * twice; a 2n-slot ciphertext may only be seen with n slots when its two halves agree.
     */
    static Ciphertext withSlots(Ciphertext ct, int slots) {
        return ProtocolAccess.ciphertext(ct.parameters(), parts(ct), ct.level(), ct.scale(), slots);
    }

    /**
     * The same polynomials as a ciphertext of another parameter set whose chain starts with the same primes (the
     * SlotToCoeff sub-chain and the main chain); the level must exist in both.
     */
    static Ciphertext onChain(Ciphertext ct, Parameters target) {
        Parameters from = ct.parameters();
        if (ct.level() > target.maxLevel() || target.n() != from.n()) {
            throw new IllegalArgumentException("level " + ct.level() + " does not exist in " + target);
        }
        for (int j = 0; j <= ct.level(); j++) {
            if (from.q(j) != target.q(j)) {
                throw new IllegalArgumentException("the chains differ at prime " + j);
            }
        }
        return ProtocolAccess.ciphertext(target, parts(ct), ct.level(), ct.scale(), ct.slots());
    }

    /** ±X^(N/2) at the given level (NTT domain) as a plaintext of scale 1: multiplies every slot by ±i. */
    static Plaintext imaginaryUnit(Parameters params, int level, int slots, boolean negative) {
        RnsBasis rq = params.ringQ();
        RnsPoly p = rq.newPoly(level + 1);
        int n = params.n();
        for (int j = 0; j <= level; j++) {
            long q = rq.modulus(j).value();
            p.limb(j)[n / 2] = negative ? q - 1 : 1;
        }
        rq.ntt(p, Parallelism.SERIAL);
        return ProtocolAccess.plaintext(params, p, level, 1.0, slots);
    }

    /** ct·(±i) exactly (scale and level unchanged). */
    static Ciphertext timesI(Evaluator ev, Ciphertext ct, boolean negative) {
        return ev.multiplyPlain(ct, imaginaryUnit(ct.parameters(), ct.level(), ct.slots(), negative));
    }
}
