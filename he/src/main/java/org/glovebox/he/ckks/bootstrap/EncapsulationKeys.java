package org.glovebox.he.ckks.bootstrap;

import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * The two switching keys of sparse-secret encapsulation (Bossuat, Troncoso-Pastoriza, Hubaux, eprint 2022/024) for a
 * dense main secret s and an ephemeral sparse secret s' of Hamming weight h' that exists only while the keys are made:
 *
 * <ul>
 *   <li>dense to sparse, modulo q_0·p_0 only: (b', a') with b' = -a'·s' + e' + p_0·s. It is the only object
 *       encrypted under the sparse secret, and only at the 121-bit modulus q_0·p_0 (N = 2^16), where a weight-32
 *       secret keeps more than 128-bit security (see docs/bootstrapping.md);</li>
 *   <li>sparse to dense, modulo Q·P with a single digit: (b, a) with b = -a·s + e + P·s'. An ordinary RLWE encryption
 *       under the dense s at the validated modulus; applied to the raised c_1, which is below q_0/2 &lt; P, so no
 *       gadget decomposition is needed (as in Lattigo).</li>
 * </ul>
 *
 * <p>The uniform halves are expanded from 32-byte seeds. Immutable.
 */
public final class EncapsulationKeys {
    private final Parameters params;
    private final int weight;
    /** Basis {q_0, p_0}. */
    private final RnsBasis small;
    private final RnsPoly dtsB;
    private final RnsPoly dtsA;
    private final byte[] dtsSeed;
    private final RnsPoly stdBQ;
    private final RnsPoly stdBP;
    private final RnsPoly stdAQ;
    private final RnsPoly stdAP;
    private final byte[] stdSeed;

    EncapsulationKeys(Parameters params, int weight, RnsPoly dtsB, byte[] dtsSeed, RnsPoly stdBQ, RnsPoly stdBP,
            byte[] stdSeed) {
        int n = params.n();
        if (dtsB.limbCount() != 2 || dtsB.degree() != n || stdBQ.limbCount() != params.maxLevel() + 1
                || stdBP.limbCount() != params.specialPrimeCount() || stdBQ.degree() != n || stdBP.degree() != n) {
            throw new IllegalArgumentException("encapsulation key has the wrong shape for " + params);
        }
        if (dtsSeed.length != Prng.SEED_BYTES || stdSeed.length != Prng.SEED_BYTES) {
            throw new IllegalArgumentException("seeds must be " + Prng.SEED_BYTES + " bytes");
        }
        this.params = params;
        this.weight = weight;
        this.small = smallBasis(params);
        this.dtsB = dtsB;
        this.dtsSeed = dtsSeed.clone();
        this.dtsA = expandSmall(small, dtsSeed);
        this.stdBQ = stdBQ;
        this.stdBP = stdBP;
        this.stdSeed = stdSeed.clone();
        RnsPoly[] a = ProtocolAccess.uniformQP(params, stdSeed);
        this.stdAQ = a[0];
        this.stdAP = a[1];
    }

    static RnsBasis smallBasis(Parameters params) {
        return new RnsBasis(params.n(), new long[] {params.q(0), params.pPrimes()[0]});
    }

    static RnsPoly expandSmall(RnsBasis small, byte[] seed) {
        RnsPoly a = small.newPoly(2);
        Sampler.uniform(Prng.fromSeed(seed), small, a);
        return a;
    }

    /**
     * Generates both keys for the main secret {@code sk} with a fresh ephemeral secret of weight h' (erased before
     * returning).
     */
    public static EncapsulationKeys generate(SecretKey sk, int ephemeralWeight) {
        Parameters params = sk.parameters();
        int n = params.n();
        Prng noise = Prng.fresh();
        long[] sparse = Sampler.ternaryHammingWeight(noise, n, ephemeralWeight);
        try {
            RnsPoly sQ = ProtocolAccess.secretQ(sk);
            RnsPoly sP = ProtocolAccess.secretP(sk);
            long[] dense = ProtocolAccess.secretCoefficients(sk);
            try {
                return generate(params, ephemeralWeight, dense, sQ, sP, sparse, noise);
            } finally {
                java.util.Arrays.fill(dense, 0);
            }
        } finally {
            java.util.Arrays.fill(sparse, 0);
            noise.destroy();
        }
    }

    /**
     * The shares (or, for one party, the keys) of the two switching keys from secret coefficients: main secret
     * {@code dense} (also given in NTT form over Q and P) and ephemeral secret {@code sparse}; the keys are linear in
     * both secrets, so parties' shares made with common seeds add up to the keys of the summed secrets.
     */
    static EncapsulationKeys generate(Parameters params, int weight, long[] dense, RnsPoly sQ, RnsPoly sP,
            long[] sparse, Prng noise) {
        return generate(params, weight, dense, sQ, sP, sparse, noise, Prng.freshSeed(), Prng.freshSeed());
    }

    static EncapsulationKeys generate(Parameters params, int weight, long[] dense, RnsPoly sQ, RnsPoly sP,
            long[] sparse, Prng noise, byte[] dtsSeed, byte[] stdSeed) {
        int n = params.n();
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsBasis small = smallBasis(params);
        Parallelism par = Parallelism.SERIAL;

        // dense -> sparse over {q0, p0}: b' = -a'·s' + e' + p0·s
        RnsPoly s1 = small.newPoly(2);
        small.setSigned(sparse, s1);
        small.ntt(s1, par);
        RnsPoly a1 = expandSmall(small, dtsSeed);
        RnsPoly b1 = small.newPoly(2);
        small.setSigned(Sampler.gaussian(noise, n, params.sigma()), b1);
        small.ntt(b1, par);
        RnsPoly t = small.newPoly(2);
        small.mul(a1, s1, t);
        small.sub(b1, t, b1);
        RnsPoly sq0 = small.newPoly(1);
        small.setSigned(dense, sq0);
        small.ntt(0).forward(sq0.limb(0));
        Modulus q0 = small.modulus(0);
        long p0ModQ0 = q0.reduceUnsigned(small.modulus(1).value());
        long p0s = q0.shoup(p0ModQ0);
        long[] z = b1.limb(0);
        long[] s0 = sq0.limb(0);
        for (int c = 0; c < n; c++) {
            z[c] = q0.add(z[c], q0.mulShoup(s0[c], p0ModQ0, p0s));
        }
        s1.clear();
        sq0.clear();

        // sparse -> dense over Q·P, one digit: b = -a·s + e + P·s'
        RnsPoly[] a = ProtocolAccess.uniformQP(params, stdSeed);
        RnsPoly bq = rq.newPoly(rq.size());
        RnsPoly bp = rp.newPoly(rp.size());
        long[] e = Sampler.gaussian(noise, n, params.sigma());
        rq.setSigned(e, bq);
        rp.setSigned(e, bp);
        rq.ntt(bq, par);
        rp.ntt(bp, par);
        RnsPoly tq = rq.newPoly(rq.size());
        RnsPoly tp = rp.newPoly(rp.size());
        rq.mul(a[0], sQ, tq);
        rp.mul(a[1], sP, tp);
        rq.sub(bq, tq, bq);
        rp.sub(bp, tp, bp);
        RnsPoly sparseQ = rq.newPoly(rq.size());
        rq.setSigned(sparse, sparseQ);
        rq.ntt(sparseQ, par);
        for (int j = 0; j < rq.size(); j++) {
            Modulus m = rq.modulus(j);
            long pm = 1;
            for (int i = 0; i < rp.size(); i++) {
                pm = m.mul(pm, m.reduceUnsigned(rp.modulus(i).value()));
            }
            long ps = m.shoup(pm);
            long[] zj = bq.limb(j);
            long[] sj = sparseQ.limb(j);
            for (int c = 0; c < n; c++) {
                zj[c] = m.add(zj[c], m.mulShoup(sj[c], pm, ps));
            }
        }
        sparseQ.clear();
        return new EncapsulationKeys(params, weight, b1, dtsSeed, bq, bp, stdSeed);
    }

    public Parameters parameters() {
        return params;
    }

    /** Hamming weight h' of the ephemeral secret. */
    public int ephemeralWeight() {
        return weight;
    }

    /** Stored size in bytes (b parts at full width plus the seeds). */
    public long sizeBytes() {
        return 8L * params.n() * (2 + params.maxLevel() + 1 + params.specialPrimeCount()) + 2 * Prng.SEED_BYTES;
    }

    RnsBasis small() {
        return small;
    }

    RnsPoly dtsB() {
        return dtsB;
    }

    RnsPoly dtsA() {
        return dtsA;
    }

    byte[] dtsSeed() {
        return dtsSeed.clone();
    }

    RnsPoly stdBQ() {
        return stdBQ;
    }

    RnsPoly stdBP() {
        return stdBP;
    }

    RnsPoly stdAQ() {
        return stdAQ;
    }

    RnsPoly stdAP() {
        return stdAP;
    }

    byte[] stdSeed() {
        return stdSeed.clone();
    }

    @Override
    public String toString() {
        return "EncapsulationKeys[h'=" + weight + ", " + params + "]";
    }
}
