package org.glovebox.he.multiparty;

import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/** Small polynomial helpers over Q (first level + 1 chain primes) and P (special primes), NTT domain. */
final class Polys {
    private Polys() {
    }

    static RnsPoly newQ(Parameters params, int level) {
        return params.ringQ().newPoly(level + 1);
    }

    static RnsPoly newP(Parameters params) {
        return params.ringP().newPoly(params.specialPrimeCount());
    }

    /** Signed small coefficients over q_0 … q_level, NTT domain. */
    static RnsPoly smallQ(Parameters params, long[] coeffs, int level) {
        RnsBasis rq = params.ringQ();
        RnsPoly out = rq.newPoly(level + 1);
        rq.setSigned(coeffs, out);
        rq.ntt(out, Parallelism.SERIAL);
        return out;
    }

    /** Signed small coefficients over every special prime, NTT domain. */
    static RnsPoly smallP(Parameters params, long[] coeffs) {
        RnsBasis rp = params.ringP();
        RnsPoly out = rp.newPoly(rp.size());
        rp.setSigned(coeffs, out);
        rp.ntt(out, Parallelism.SERIAL);
        return out;
    }

    /** A fresh RLWE error (discrete Gaussian, the parameters' sigma) over Q·P: {Q part, P part}, NTT domain. */
    static RnsPoly[] errorQP(Parameters params, org.glovebox.he.ring.Prng prng) {
        long[] e = ErrorSampler.of(params.sigma()).sample(prng, params.n());
        return new RnsPoly[] {smallQ(params, e, params.maxLevel()), smallP(params, e)};
    }

    /** A fresh RLWE error over q_0 … q_level, NTT domain. */
    static RnsPoly errorQ(Parameters params, org.glovebox.he.ring.Prng prng, int level) {
        return smallQ(params, ErrorSampler.of(params.sigma()).sample(prng, params.n()), level);
    }

    /** out = a · c (c reduced per prime of the basis). */
    static void mulScalar(RnsBasis basis, RnsPoly a, long c, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = basis.modulus(i);
            long w = m.reduce(c);
            long ws = m.shoup(w);
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < x.length; j++) {
                z[j] = m.mulShoup(x[j], w, ws);
            }
        }
    }

    /** The first {@code limbs} limbs of p as a view (no copy). */
    static RnsPoly view(RnsPoly p, int limbs) {
        if (p.limbCount() == limbs) {
            return p;
        }
        long[][] l = new long[limbs][];
        for (int i = 0; i < limbs; i++) {
            l[i] = p.limb(i);
        }
        return new RnsPoly(l);
    }
}
