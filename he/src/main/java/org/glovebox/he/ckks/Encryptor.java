package org.glovebox.he.ckks;

import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.glovebox.he.ring.Sampler;

/**
 * Encrypts plaintexts, either with a public key (anyone can encrypt) or with the secret key (the data owner; the
 * ciphertext's uniform half is then a 32-byte seed, halving its serialized size).
 *
 * <p>Public-key encryption is carried out modulo Q·P and divided by P, so a fresh ciphertext carries only rounding
 * noise (as in SEAL). Not thread-safe (it owns a noise generator); use one per thread.
 */
public final class Encryptor {
    private final Parameters params;
    private final PublicKey pk;
    private final SecretKey sk;
    private final Prng noise;
    private final Parallelism par;
    /** Coefficient-domain ModDown of {@link #encryptCompressed}: base conversion P → q_0, P^-1 mod q_0 (lazy). */
    private org.glovebox.he.ring.BasisExtender downToQ0;
    private long pInvModQ0;
    /** Work buffers of {@link #encryptCompressed}, reused (an encryptor is used by one thread). */
    private RnsPoly vq;
    private RnsPoly vp;
    private RnsPoly xp;
    private long[][] conversion;
    private long[][] pLimbs;
    private long[] converted;
    /** Work buffer of {@link #encryptCompressedWithoutSpecialPrimes}: v over q_0 (lazy). */
    private RnsPoly vq0;

    private Encryptor(Parameters params, PublicKey pk, SecretKey sk, Parallelism par) {
        this(params, pk, sk, par, Prng.fresh());
    }

    /** With a given noise generator: tests that compare two encryption paths on the same randomness. */
    Encryptor(Parameters params, PublicKey pk, SecretKey sk, Parallelism par, Prng noise) {
        this.params = params;
        this.pk = pk;
        this.sk = sk;
        this.par = par;
        this.noise = noise;
    }

    public static Encryptor withPublicKey(PublicKey pk) {
        return new Encryptor(pk.parameters(), pk, null, Parallelism.SERIAL);
    }

    public static Encryptor withSecretKey(SecretKey sk) {
        return new Encryptor(sk.parameters(), null, sk, Parallelism.SERIAL);
    }

    /** The same encryptor using the given parallelism. */
    public Encryptor withParallelism(Parallelism p) {
        return new Encryptor(params, pk, sk, p);
    }

    public Ciphertext encrypt(Plaintext pt) {
        if (!params.sameAs(pt.parameters())) {
            throw new IllegalArgumentException("plaintext belongs to a different parameter set");
        }
        Ciphertext zero = encryptZero(pt.level(), pt.scale(), pt.slots());
        RnsBasis rq = params.ringQ();
        rq.add(zero.part(0), pt.poly(), zero.part(0));
        return zero;
    }

    /** An encryption of zero at the given level, scale and slot count. */
    public Ciphertext encryptZero(int level, double scale, int slots) {
        return pk != null ? encryptZeroPublic(level, scale, slots) : encryptZeroSecret(level, scale, slots);
    }

    private Ciphertext encryptZeroPublic(int level, double scale, int slots) {
        KeySwitcher ks = KeySwitcher.of(params);
        int n = params.n();
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        // v over Q_level·P only (the limbs above the level are never used).
        long[] small = Sampler.ternary(noise, n);
        RnsPoly vq = rq.newPoly(level + 1);
        RnsPoly vp = rp.newPoly(rp.size());
        rq.setSigned(small, vq);
        rp.setSigned(small, vp);
        rq.ntt(vq, par);
        rp.ntt(vp, par);
        QPPoly[] key = {pk.b(), pk.a()};
        RnsPoly[] c = new RnsPoly[2];
        for (int t = 0; t < 2; t++) {
            // The Gaussian error stays in coefficient form; ModDown adds it where it needs no transform.
            long[] e = Sampler.gaussian(noise, n, params.sigma());
            QPPoly out = ks.newQP(level);
            rq.mul(vq, key[t].q(), out.q());
            rp.mul(vp, key[t].p(), out.p());
            c[t] = ks.modDown(out, level, e, par);
        }
        return new Ciphertext(params, c, level, scale, slots);
    }

    private Ciphertext encryptZeroSecret(int level, double scale, int slots) {
        RnsBasis rq = params.ringQ();
        byte[] seed = Prng.freshSeed();
        RnsPoly a = uniformAtLevel(params, seed, level);
        RnsPoly c0 = rq.newPoly(level + 1);
        rq.setSigned(Sampler.gaussian(noise, params.n(), params.sigma()), c0);
        rq.ntt(c0, par);
        RnsPoly as = rq.newPoly(level + 1);
        rq.mul(a, sk.q(), as);
        rq.sub(c0, as, c0);
        return new Ciphertext(params, new RnsPoly[] {c0, a}, level, scale, slots, seed);
    }

    /**
     * Public-key encryption of real values at level 0 (the first chain prime) straight into the compressed transport
     * format: the bytes of {@code Serialization.toCompressedBytes(encrypt(encoder.encode(re, im, slots, 0, scale)),
     * c0Bits, c1Bits)} for the same randomness, with three number-theoretic transforms fewer (the message is added in
     * coefficient form and the ModDown by P ends in coefficient form, which compression needs). The ciphertext has
     * the distribution of {@link #encrypt}.
     *
     * @throws IllegalStateException if this encryptor holds the secret key (use {@link #encrypt})
     * @throws IllegalArgumentException for values, slots, scale or widths {@link Encoder#encode} or
     *     {@code Serialization.writeCompressedCiphertext} refuse
     */
    public byte[] encryptCompressed(Encoder encoder, double[] re, double[] im, int slots, double scale, int c0Bits,
            int c1Bits) {
        long[] m = compressedMessage("encryptCompressed", encoder, re, im, slots, scale);
        int n = params.n();
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        int k = rp.size();
        if (downToQ0 == null) {
            downToQ0 = new org.glovebox.he.ring.BasisExtender(rp.moduli(k), rq.moduli(1));
            org.glovebox.he.math.Modulus q0 = rq.modulus(0);
            long prod = 1;
            for (int i = 0; i < k; i++) {
                prod = q0.mul(prod, q0.reduce(rp.modulus(i).value()));
            }
            pInvModQ0 = q0.inverse(prod);
            vq = rq.newPoly(1);
            vp = rp.newPoly(k);
            xp = rp.newPoly(k);
            conversion = new long[k + 1][n];
            converted = new long[n];
            pLimbs = new long[k][];
            for (int i = 0; i < k; i++) {
                pLimbs[i] = xp.limb(i);
            }
        }
        org.glovebox.he.math.Modulus q0 = rq.modulus(0);
        long q = q0.value();
        // as encryptZeroPublic: v over q_0·P, then per part (v·pk_t + e_t) / P, here ending in coefficient form
        long[] small = Sampler.ternary(noise, n);
        rq.setSigned(small, vq);
        rp.setSigned(small, vp);
        rq.ntt(vq, par);
        rp.ntt(vp, par);
        QPPoly[] key = {pk.b(), pk.a()};
        long[][] parts = new long[2][];
        long w = pInvModQ0;
        long ws = q0.shoup(w);
        for (int t = 0; t < 2; t++) {
            long[] e = Sampler.gaussian(noise, n, params.sigma());
            RnsPoly xq = rq.newPoly(1); // becomes part t (its residues are compressed in place)
            rq.mul(vq, key[t].q(), xq);
            rp.mul(vp, key[t].p(), xp);
            rq.intt(xq, par);
            rp.intt(xp, par);
            long[] x = xq.limb(0);
            addSignedMod(x, e, q);
            for (int i = 0; i < k; i++) {
                addSignedMod(pLimbs[i], e, rp.modulus(i).value());
            }
            // (x_q + e − [x_P + e]_{P→q_0}) · P^-1: the exact centered conversion ModDown uses
            downToQ0.prepareCentered(pLimbs, conversion);
            downToQ0.convertCenteredLimb(conversion, 0, converted);
            for (int c = 0; c < n; c++) {
                long d = x[c] - converted[c];
                d += (d >> 63) & q;
                x[c] = q0.mulShoup(d, w, ws);
            }
            parts[t] = x;
        }
        return compressedWithMessage(parts, m, slots, scale, c0Bits, c1Bits);
    }

    /** The checks every compressed public-key encryption makes, then the message in coefficient form over q_0. */
    private long[] compressedMessage(String method, Encoder encoder, double[] re, double[] im, int slots,
            double scale) {
        if (pk == null) {
            throw new IllegalStateException(method + " is public-key encryption; this encryptor holds the secret key");
        }
        if (!params.sameAs(encoder.parameters())) {
            throw new IllegalArgumentException("encoder belongs to a different parameter set");
        }
        return encoder.encodeCoefficients(re, im, slots, 0, scale).limb(0);
    }

    /** (c_0 + m, c_1) of an encryption of zero in coefficient form over q_0, compressed to the given widths. */
    private byte[] compressedWithMessage(long[][] parts, long[] m, int slots, double scale, int c0Bits, int c1Bits) {
        long q = params.q(0);
        long[] c0 = parts[0];
        for (int c = 0; c < c0.length; c++) {
            long sum = c0[c] + m[c] - q;
            c0[c] = sum + ((sum >> 63) & q);
        }
        return Serialization.compressedFromCoefficients(params, c0, parts[1], slots, scale, c0Bits, c1Bits);
    }

    /**
     * As {@link #encryptCompressed}, but computed modulo q_0 alone, without the special primes: three
     * number-theoretic transforms instead of six and no basis conversion, for the same bytes format, the same public
     * key and the same security. The price is the fresh noise: v·e + e_0 + e_1·s (v ternary, e the public key's error,
     * s the secret) instead of that noise divided by P, a per-coefficient variance of
     * {@link #noiseVarianceWithoutSpecialPrimes}, tens of thousands at N = 2^12. Meant for widths that round away far
     * more than that: the compression adds q_0²/(12·4^b) per coefficient and part (about 10^9 at b = 43 for a 60-bit
     * q_0), so the difference does not show.
     *
     * @throws IllegalStateException if this encryptor holds the secret key
     * @throws IllegalArgumentException as {@link #encryptCompressed}
     */
    public byte[] encryptCompressedWithoutSpecialPrimes(Encoder encoder, double[] re, double[] im, int slots,
            double scale, int c0Bits, int c1Bits) {
        long[] m = compressedMessage("encryptCompressedWithoutSpecialPrimes", encoder, re, im, slots, scale);
        int n = params.n();
        RnsBasis rq = params.ringQ();
        long q = rq.modulus(0).value();
        if (vq0 == null) {
            vq0 = rq.newPoly(1);
        }
        rq.setSigned(Sampler.ternary(noise, n), vq0);
        rq.ntt(vq0, par);
        QPPoly[] key = {pk.b(), pk.a()};
        long[][] parts = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] e = Sampler.gaussian(noise, n, params.sigma());
            RnsPoly x = rq.newPoly(1); // becomes part t (its residues are compressed in place)
            rq.mul(vq0, key[t].q(), x);
            rq.intt(x, par);
            addSignedMod(x.limb(0), e, q);
            parts[t] = x.limb(0);
        }
        return compressedWithMessage(parts, m, slots, scale, c0Bits, c1Bits);
    }

    /**
     * Per-coefficient variance of the fresh noise v·e + e_0 + e_1·s of {@link #encryptCompressedWithoutSpecialPrimes}:
     * N·(2/3)·keyErrorVariance + σ² + N·secretVariance·σ² (v ternary of variance 2/3; e_0, e_1 of the parameters' σ).
     * For a key of one party both variances are σ² and 2/3; for a collective key of k parties, k·σ² and 2k/3.
     */
    public static double noiseVarianceWithoutSpecialPrimes(Parameters params, double keyErrorVariance,
            double secretVariance) {
        double s2 = params.sigma() * params.sigma();
        return params.n() * (2.0 / 3) * keyErrorVariance + s2 + params.n() * secretVariance * s2;
    }

    /** z = z + e mod q for residues z in [0, q) and small signed e. */
    private static void addSignedMod(long[] z, long[] e, long q) {
        for (int c = 0; c < z.length; c++) {
            long s = z[c] + e[c];
            s += (s >> 63) & q;
            s -= q;
            z[c] = s + ((s >> 63) & q);
        }
    }

    /** The uniform polynomial over q_0 … q_level (NTT domain) that a seed expands to. */
    static RnsPoly uniformAtLevel(Parameters params, byte[] seed, int level) {
        RnsPoly a = params.ringQ().newPoly(level + 1);
        Sampler.uniform(Prng.fromSeed(seed), params.ringQ(), a);
        return a;
    }
}
