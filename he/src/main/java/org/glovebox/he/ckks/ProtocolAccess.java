package org.glovebox.he.ckks;

import java.util.Map;
import java.util.TreeMap;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;

/**
 * Low-level access to the polynomials behind the opaque CKKS types for protocol implementations such as multiparty;
 * applications never need it; misuse can break security.
 *
 * <p>Every polynomial is in the NTT domain. "Q part" means the limbs over the chain primes q_0 … q_L (or the first
 * level + 1 of them), "P part" the limbs over the special primes. Accessors return live views where noted: callers
 * must treat them as read-only. Builders take ownership of the polynomials passed in.
 */
public final class ProtocolAccess {
    private ProtocolAccess() {
    }

    // ---------------------------------------------------------------- secret keys

    /** The secret s over every chain prime (live view: read only, never log or send). */
    public static RnsPoly secretQ(SecretKey sk) {
        return sk.q();
    }

    /** The secret s over every special prime (live view: read only, never log or send). */
    public static RnsPoly secretP(SecretKey sk) {
        return sk.p();
    }

    /** A copy of the signed ternary coefficients of s. */
    public static long[] secretCoefficients(SecretKey sk) {
        return sk.coefficients().clone();
    }

    /** A secret key from ternary coefficients (each in {-1, 0, 1}; the array is copied). */
    public static SecretKey secretKey(Parameters params, long[] ternary) {
        if (ternary.length != params.n()) {
            throw new IllegalArgumentException("secret needs " + params.n() + " coefficients, got " + ternary.length);
        }
        for (long c : ternary) {
            if (c < -1 || c > 1) {
                throw new IllegalArgumentException("a SecretKey holds ternary coefficients only");
            }
        }
        return KeyGenerator.secretKeyFromCoefficients(params, ternary.clone(), Parallelism.SERIAL);
    }

    // ---------------------------------------------------------------- public keys

    /** {b, a} of a public key over all chain primes (live views: read only). */
    public static RnsPoly[] publicKeyQ(PublicKey pk) {
        return new RnsPoly[] {pk.b().q(), pk.a().q()};
    }

    /** The uniform polynomial over Q·P that a 32-byte seed expands to, as {Q part, P part}. */
    public static RnsPoly[] uniformQP(Parameters params, byte[] seed) {
        QPPoly a = KeyGenerator.uniformQP(params, Prng.fromSeed(seed));
        return new RnsPoly[] {a.q(), a.p()};
    }

    /**
     * A public key (b, a) whose a is the expansion of {@code seed} (as {@link #uniformQP}), so it serializes as the
     * seed exactly like a single-key public key.
     */
    public static PublicKey publicKey(Parameters params, RnsPoly bQ, RnsPoly bP, byte[] seed) {
        checkQP(params, bQ, bP);
        return new PublicKey(params, new QPPoly(bQ, bP), KeyGenerator.uniformQP(params, Prng.fromSeed(seed)), seed);
    }

    // ---------------------------------------------------------------- key-switching keys

    /** Number of key-switching digits of a key (dnum at the top level). */
    public static int digits(Parameters params) {
        return params.digitCount(params.maxLevel());
    }

    /** The uniform parts a_d of every digit that one seed expands to, as [digit][0 = Q part, 1 = P part]. */
    public static RnsPoly[][] uniformDigits(Parameters params, byte[] seed) {
        QPPoly[] a = KeyGenerator.uniformDigits(params, seed);
        RnsPoly[][] out = new RnsPoly[a.length][];
        for (int d = 0; d < a.length; d++) {
            out[d] = new RnsPoly[] {a[d].q(), a[d].p()};
        }
        return out;
    }

    /** bQ[d] += P·w_d·from on the chain primes of digit d: the gadget term of a key-switching key. */
    public static void addGadget(Parameters params, RnsPoly[] bQ, RnsPoly from) {
        QPPoly[] b = new QPPoly[bQ.length];
        for (int d = 0; d < b.length; d++) {
            b[d] = new QPPoly(bQ[d], null);
        }
        KeyGenerator.addGadget(params, b, from);
    }

    /**
     * A key-switching key from its parts. With a non-null {@code seed} the a_d must be its expansion
     * ({@link #uniformDigits}); with a null seed the key is stored in full by {@link Serialization}.
     */
    public static KeySwitchingKey keySwitchingKey(
            Parameters params, RnsPoly[] bQ, RnsPoly[] bP, RnsPoly[] aQ, RnsPoly[] aP, byte[] seed) {
        int digits = digits(params);
        if (bQ.length != digits || bP.length != digits || aQ.length != digits || aP.length != digits) {
            throw new IllegalArgumentException("key-switching key needs " + digits + " digits");
        }
        QPPoly[] b = new QPPoly[digits];
        QPPoly[] a = new QPPoly[digits];
        for (int d = 0; d < digits; d++) {
            checkQP(params, bQ[d], bP[d]);
            checkQP(params, aQ[d], aP[d]);
            b[d] = new QPPoly(bQ[d], bP[d]);
            a[d] = new QPPoly(aQ[d], aP[d]);
        }
        return new KeySwitchingKey(params, b, a, seed);
    }

    public static RelinearizationKey relinearizationKey(KeySwitchingKey key) {
        return new RelinearizationKey(key);
    }

    /** Galois keys from key-switching keys indexed by Galois element (odd, in [3, 2N)). */
    public static GaloisKeys galoisKeys(Parameters params, Map<Integer, KeySwitchingKey> keys) {
        for (Map.Entry<Integer, KeySwitchingKey> e : keys.entrySet()) {
            int g = e.getKey();
            if ((g & 1) == 0 || g < 3 || g >= 2 * params.n()) {
                throw new IllegalArgumentException("invalid Galois element " + g);
            }
            if (!params.sameAs(e.getValue().parameters())) {
                throw new IllegalArgumentException("Galois key for element " + g + " has other parameters");
            }
        }
        return new GaloisKeys(params, new TreeMap<>(keys));
    }

    // ---------------------------------------------------------------- ciphertexts and plaintexts

    /**
     * The message part c_0 of a level-0 ciphertext given in coefficient form (residues mod q_0, overwritten), compressed
     * on its own to {@code bits} ({@link Serialization#compressedPartBytes}, part 0): for protocols whose mask c_1 is
     * known to the receiver without being sent.
     */
    public static byte[] compressedMessagePart(Parameters params, long[] c0, int slots, double scale, int bits) {
        return Serialization.compressedPartFromCoefficients(params, 0, c0, slots, scale, bits);
    }

    /** The encoding of {@link Encoder#encode} in coefficient form at the given level (a new polynomial). */
    public static RnsPoly encodeCoefficients(Encoder encoder, double[] re, double[] im, int slots, int level,
            double scale) {
        return encoder.encodeCoefficients(re, im, slots, level, scale);
    }

    /** Part i of a ciphertext over q_0 … q_level (live view: read only). */
    public static RnsPoly ciphertextPart(Ciphertext ct, int i) {
        return ct.part(i);
    }

    public static Ciphertext ciphertext(Parameters params, RnsPoly[] parts, int level, double scale, int slots) {
        return new Ciphertext(params, parts, level, scale, slots);
    }

    public static Plaintext plaintext(Parameters params, RnsPoly poly, int level, double scale, int slots) {
        return new Plaintext(params, poly, level, scale, slots);
    }

    /** The polynomial of a plaintext (live view: read only). */
    public static RnsPoly plaintextPoly(Plaintext pt) {
        return pt.poly();
    }

    private static void checkQP(Parameters params, RnsPoly q, RnsPoly p) {
        if (q.limbCount() != params.maxLevel() + 1 || p.limbCount() != params.specialPrimeCount()
                || q.degree() != params.n() || p.degree() != params.n()) {
            throw new IllegalArgumentException("polynomial over Q·P has the wrong shape for " + params);
        }
    }
}
