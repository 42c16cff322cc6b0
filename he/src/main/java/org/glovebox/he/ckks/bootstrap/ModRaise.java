package org.glovebox.he.ckks.bootstrap;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.BasisExtender;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * The modulus raise of bootstrapping and the key switches of sparse-secret encapsulation around it.
 *
 * <p>A ciphertext (c_0, c_1) modulo q_0 decrypts to t = c_0 + c_1·s mod q_0. Lifting c_0 and c_1 to their centered
 * representatives and reading them modulo the whole chain Q gives a ciphertext of t + q_0·I, where I is a small
 * integer polynomial (|I| ≤ (h + 1)/2 for a secret of weight h): the "noise" that the modular reduction removes.
 */
final class ModRaise {
    private ModRaise() {
    }

    /** Coefficients of limb 0 (mod q_0) of an NTT-domain polynomial, centered in (-q_0/2, q_0/2]. */
    private static long[] centeredQ0(Parameters params, RnsPoly ntt) {
        RnsBasis rq = params.ringQ();
        long[] c = ntt.limb(0).clone();
        rq.ntt(0).inverse(c);
        long q = rq.modulus(0).value();
        long half = q >>> 1;
        for (int i = 0; i < c.length; i++) {
            if (c[i] > half) {
                c[i] -= q;
            }
        }
        return c;
    }

    /** Signed coefficients reduced into every limb of {@code basis} (first {@code limbs}) and transformed. */
    private static RnsPoly lift(long[] signed, RnsBasis basis, int limbs) {
        RnsPoly p = basis.newPoly(limbs);
        for (int j = 0; j < limbs; j++) {
            Modulus m = basis.modulus(j);
            long[] z = p.limb(j);
            for (int i = 0; i < signed.length; i++) {
                z[i] = m.reduce(signed[i]);
            }
            basis.ntt(j).forward(z);
        }
        return p;
    }

    /** The raise without a key switch: (c_0, c_1) mod q_0 to the same pair modulo the whole chain. */
    static Ciphertext raise(Ciphertext ct) {
        Parameters params = ct.parameters();
        requireLevelZero(ct);
        int limbs = params.maxLevel() + 1;
        RnsPoly c0 = lift(centeredQ0(params, ProtocolAccess.ciphertextPart(ct, 0)), params.ringQ(), limbs);
        RnsPoly c1 = lift(centeredQ0(params, ProtocolAccess.ciphertextPart(ct, 1)), params.ringQ(), limbs);
        return ProtocolAccess.ciphertext(params, new RnsPoly[] {c0, c1}, params.maxLevel(), ct.scale(), ct.slots());
    }

    private static void requireLevelZero(Ciphertext ct) {
        if (ct.level() != 0 || ct.size() != 2) {
            throw new IllegalArgumentException("the raise takes a size-2 ciphertext at level 0, got " + ct);
        }
    }

    /** Switches a level-0 ciphertext from the main secret to the ephemeral sparse one, modulo q_0·p_0. */
    static Ciphertext denseToSparse(EncapsulationKeys keys, Ciphertext ct) {
        Parameters params = ct.parameters();
        requireLevelZero(ct);
        RnsBasis small = keys.small();
        int n = params.n();
        RnsPoly c1 = ProtocolAccess.ciphertextPart(ct, 1);
        long[] c1p = c1.limb(0).clone();
        // c1 centered, lifted to p0
        long[] centered = centeredQ0(params, c1);
        Modulus p0 = small.modulus(1);
        for (int i = 0; i < n; i++) {
            c1p[i] = p0.reduce(centered[i]);
        }
        small.ntt(1).forward(c1p);
        long[] c1q = c1.limb(0);
        RnsPoly out0 = ProtocolAccess.ciphertextPart(ct, 0).copy();
        RnsPoly out1 = params.ringQ().newPoly(1);
        RnsPoly[] key = {keys.dtsB(), keys.dtsA()};
        RnsPoly[] out = {out0, out1};
        Modulus q0 = small.modulus(0);
        long p0InvQ0 = q0.inverse(q0.reduceUnsigned(p0.value()));
        long p0InvS = q0.shoup(p0InvQ0);
        long halfP0 = p0.value() >>> 1;
        for (int t = 0; t < 2; t++) {
            long[] kq = key[t].limb(0);
            long[] kp = key[t].limb(1);
            long[] uq = new long[n];
            long[] up = new long[n];
            for (int i = 0; i < n; i++) {
                uq[i] = q0.mul(c1q[i], kq[i]);
                up[i] = p0.mul(c1p[i], kp[i]);
            }
            // ModDown by p0: (uq - [up]_centered) / p0 mod q0
            small.ntt(1).inverse(up);
            for (int i = 0; i < n; i++) {
                long v = up[i] > halfP0 ? up[i] - p0.value() : up[i];
                up[i] = q0.reduce(v);
            }
            small.ntt(0).forward(up);
            long[] z = out[t].limb(0);
            for (int i = 0; i < n; i++) {
                long d = q0.sub(uq[i], up[i]);
                d = q0.mulShoup(d, p0InvQ0, p0InvS);
                z[i] = q0.add(z[i], d);
            }
        }
        return ProtocolAccess.ciphertext(params, out, 0, ct.scale(), ct.slots());
    }

    /**
     * Raises a level-0 ciphertext under the ephemeral secret to the whole chain and switches it back to the main
     * secret in the same step: c_1 (|c_1| ≤ q_0/2) is lifted to Q·P and multiplied by the one-digit sparse-to-dense
     * key, then divided by P.
     */
    static Ciphertext raiseToDense(EncapsulationKeys keys, Ciphertext ct) {
        Parameters params = ct.parameters();
        requireLevelZero(ct);
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        int limbs = params.maxLevel() + 1;
        int k = params.specialPrimeCount();
        int n = params.n();
        RnsPoly c0 = lift(centeredQ0(params, ProtocolAccess.ciphertextPart(ct, 0)), rq, limbs);
        long[] c1 = centeredQ0(params, ProtocolAccess.ciphertextPart(ct, 1));
        RnsPoly c1q = lift(c1, rq, limbs);
        RnsPoly c1p = lift(c1, rp, k);
        RnsPoly[][] key = {{keys.stdBQ(), keys.stdBP()}, {keys.stdAQ(), keys.stdAP()}};
        RnsPoly[] out = new RnsPoly[2];
        BasisExtender down = new BasisExtender(rp.moduli(k), rq.moduli(limbs));
        for (int t = 0; t < 2; t++) {
            RnsPoly uq = rq.newPoly(limbs);
            RnsPoly up = rp.newPoly(k);
            rq.mul(c1q, key[t][0], uq);
            rp.mul(c1p, key[t][1], up);
            rp.intt(up, org.glovebox.he.ring.Parallelism.SERIAL);
            long[][] in = new long[k][];
            for (int i = 0; i < k; i++) {
                in[i] = up.limb(i);
            }
            RnsPoly conv = rq.newPoly(limbs);
            long[][] o = new long[limbs][];
            for (int j = 0; j < limbs; j++) {
                o[j] = conv.limb(j);
            }
            down.convertCentered(in, o, new long[k + 1][n]);
            for (int j = 0; j < limbs; j++) {
                Modulus m = rq.modulus(j);
                rq.ntt(j).forward(o[j]);
                long pm = 1;
                for (int i = 0; i < k; i++) {
                    pm = m.mul(pm, m.reduceUnsigned(rp.modulus(i).value()));
                }
                long inv = m.inverse(pm);
                long invS = m.shoup(inv);
                long[] x = uq.limb(j);
                long[] cj = o[j];
                for (int i = 0; i < n; i++) {
                    x[i] = m.mulShoup(m.sub(x[i], cj[i]), inv, invS);
                }
            }
            out[t] = uq;
        }
        rq.add(out[0], c0, out[0]);
        return ProtocolAccess.ciphertext(params, out, params.maxLevel(), ct.scale(), ct.slots());
    }
}
