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

    /**
     * One party's share of collectively generated encapsulation keys (multiparty, N-out-of-N): the party samples its
     * own ephemeral sparse share s'_i of weight {@code ephemeralWeight} (erased before returning) and makes both keys
     * for its main share s_i with the common public seeds, so that {@link #aggregate} of all parties' shares yields
     * the keys for s = Σ s_i and s' = Σ s'_i. Derive the seeds from the session's common reference string (e.g.
     * {@link #seedsFrom}); never reuse them for another key.
     *
     * <p>The summed ephemeral secret has weight at most Σ h'_i, and the raise bound K must cover it (K ≥ (Σ h'_i + 1)/2).
     * Against a coalition of all parties but one, the dense-to-sparse key is protected by the honest party's s'_i
     * alone: give each party h'_i = 32 for the single-key security argument to hold against such coalitions.
     */
    public static EncapsulationKeys share(SecretKey ownShare, int ephemeralWeight, byte[][] seeds) {
        Parameters params = ownShare.parameters();
        if (seeds.length != 2) {
            throw new IllegalArgumentException("two common seeds are needed");
        }
        Prng noise = Prng.fresh();
        long[] sparse = Sampler.ternaryHammingWeight(noise, params.n(), ephemeralWeight);
        long[] dense = ProtocolAccess.secretCoefficients(ownShare);
        try {
            return generate(params, ephemeralWeight, dense, ProtocolAccess.secretQ(ownShare),
                    ProtocolAccess.secretP(ownShare), sparse, noise, seeds[0], seeds[1]);
        } finally {
            java.util.Arrays.fill(sparse, 0);
            java.util.Arrays.fill(dense, 0);
            noise.destroy();
        }
    }

    /** Two key seeds derived from a public 32-byte seed (e.g. a session's common reference string) with SHA-256. */
    public static byte[][] seedsFrom(byte[] publicSeed) {
        try {
            byte[][] out = new byte[2][];
            for (int i = 0; i < 2; i++) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                md.update("glovebox-bootstrap-encapsulation-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                md.update((byte) i);
                md.update(publicSeed);
                out[i] = md.digest();
            }
            return out;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of all parties' shares (same parameters and seeds): the collective encapsulation keys. */
    public static EncapsulationKeys aggregate(java.util.Collection<EncapsulationKeys> shares) {
        EncapsulationKeys first = shares.iterator().next();
        Parameters params = first.params;
        RnsPoly b1 = first.dtsB.copy();
        RnsPoly bq = first.stdBQ.copy();
        RnsPoly bp = first.stdBP.copy();
        int weight = 0;
        boolean firstOne = true;
        for (EncapsulationKeys k : shares) {
            if (!params.sameAs(k.params) || !java.util.Arrays.equals(first.dtsSeed, k.dtsSeed)
                    || !java.util.Arrays.equals(first.stdSeed, k.stdSeed)) {
                throw new IllegalArgumentException("encapsulation key shares must use the same parameters and seeds");
            }
            weight += k.weight;
            if (firstOne) {
                firstOne = false;
                continue;
            }
            first.small.add(b1, k.dtsB, b1);
            params.ringQ().add(bq, k.stdBQ, bq);
            params.ringP().add(bp, k.stdBP, bp);
        }
        return new EncapsulationKeys(params, weight, b1, first.dtsSeed, bq, bp, first.stdSeed);
    }

    public Parameters parameters() {
        return params;
    }

    /** Hamming weight h' of the ephemeral secret (for aggregated keys, the sum of the parties' weights). */
    public int ephemeralWeight() {
        return weight;
    }

    /** Bytes in memory (both halves of both keys expanded). */
    public long memoryBytes() {
        return 2 * 8L * params.n() * (2 + params.maxLevel() + 1 + params.specialPrimeCount());
    }

    /** Bytes serialized by {@link #write} (b halves packed at their prime widths, uniform halves as seeds). */
    public long storedBytes() {
        long bits = small.modulus(0).bits() + small.modulus(1).bits();
        for (long q : params.qPrimes()) {
            bits += 64 - Long.numberOfLeadingZeros(q);
        }
        for (long p : params.pPrimes()) {
            bits += 64 - Long.numberOfLeadingZeros(p);
        }
        return bits * params.n() / 8 + 2 * Prng.SEED_BYTES + HEADER_BYTES;
    }

    private static final int MAGIC = 0x4742454B; // "GBEK"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 + 4 + 32 + 4;

    /** Writes both keys: header (magic, version, parameter fingerprint, h'), then each key's seed and b half. */
    public void write(java.io.OutputStream os) throws java.io.IOException {
        org.glovebox.he.io.BinaryWriter w = new org.glovebox.he.io.BinaryWriter(os);
        w.writeInt(MAGIC);
        w.writeInt(VERSION);
        w.writeBytes(params.fingerprint());
        w.writeInt(weight);
        w.writeBytes(dtsSeed);
        for (int j = 0; j < 2; j++) {
            w.writePacked(dtsB.limb(j), small.modulus(j).bits());
        }
        w.writeBytes(stdSeed);
        for (int j = 0; j < stdBQ.limbCount(); j++) {
            w.writePacked(stdBQ.limb(j), params.ringQ().modulus(j).bits());
        }
        for (int j = 0; j < stdBP.limbCount(); j++) {
            w.writePacked(stdBP.limb(j), params.ringP().modulus(j).bits());
        }
        w.flush();
    }

    /** Reads keys written by {@link #write}, validating the header and every residue. */
    public static EncapsulationKeys read(java.io.InputStream is, Parameters params) throws java.io.IOException {
        org.glovebox.he.io.BinaryReader r = new org.glovebox.he.io.BinaryReader(is);
        if (r.readInt() != MAGIC) {
            throw new org.glovebox.he.io.MalformedDataException("not encapsulation keys");
        }
        int version = r.readInt();
        if (version != VERSION) {
            throw new org.glovebox.he.io.MalformedDataException("unsupported encapsulation key version " + version);
        }
        if (!java.util.Arrays.equals(r.readBytes(32), params.fingerprint())) {
            throw new org.glovebox.he.io.MalformedDataException("the keys were made for a different parameter set");
        }
        int weight = r.readInt("ephemeral secret weight", 1, params.n());
        RnsBasis small = smallBasis(params);
        byte[] dtsSeed = r.readBytes(Prng.SEED_BYTES);
        RnsPoly dtsB = small.newPoly(2);
        for (int j = 0; j < 2; j++) {
            Modulus m = small.modulus(j);
            r.readPacked(dtsB.limb(j), m.bits(), m.value(), "dense-to-sparse key limb " + j);
        }
        byte[] stdSeed = r.readBytes(Prng.SEED_BYTES);
        RnsPoly bq = params.ringQ().newPoly(params.maxLevel() + 1);
        for (int j = 0; j < bq.limbCount(); j++) {
            Modulus m = params.ringQ().modulus(j);
            r.readPacked(bq.limb(j), m.bits(), m.value(), "sparse-to-dense key limb " + j);
        }
        RnsPoly bp = params.ringP().newPoly(params.specialPrimeCount());
        for (int j = 0; j < bp.limbCount(); j++) {
            Modulus m = params.ringP().modulus(j);
            r.readPacked(bp.limb(j), m.bits(), m.value(), "sparse-to-dense key special limb " + j);
        }
        r.expectEnd();
        return new EncapsulationKeys(params, weight, dtsB, dtsSeed, bq, bp, stdSeed);
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
