package org.glovebox.app.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.math.Ntt;
import org.glovebox.he.ring.Parallelism;

/**
 * The CKKS operations users size jobs by, each defined once: {@link #prepare} builds whatever the operation needs
 * (keys, plaintexts, ciphertexts at the top level, the most expensive level) and returns the call to time.
 * Material is built lazily and shared, so benchmarking a subset only generates the keys that subset needs.
 *
 * <p>The definitions match the JMH benchmarks of module {@code bench}: NTT of one 40-bit limb in place; encode a
 * full-slot real vector at the top level; decode that plaintext; public- and secret-key encryption; decryption
 * without decoding; ciphertext addition; multiplication without relinearization; relinearization of a size-3
 * product; rescale; plaintext multiplication; rotation by one slot; multiply + relinearize + rescale; generation of
 * the relinearization key and of one Galois key. Not thread-safe.
 */
public final class OperationBenchmarks {
    /** Every operation, in the order of reports. */
    public static final List<String> OPERATIONS = List.of(
            "ntt_forward", "ntt_inverse", "encode", "decode", "encrypt_pk", "encrypt_sk", "decrypt", "add",
            "multiply", "relinearize", "rescale", "multiply_plain", "rotate", "mul_relin_rescale", "keygen_relin",
            "keygen_galois");

    private final Parameters params;
    private final Parallelism par;

    private KeyGenerator keyGen;
    private SecretKey sk;
    private PublicKey pk;
    private RelinearizationKey rlk;
    private GaloisKeys gks;
    private Encoder encoder;
    private double[] values;
    private Plaintext pt;
    private Ciphertext ct1;
    private Ciphertext ct2;
    private Ciphertext product;
    private Ciphertext relinearized;

    public OperationBenchmarks(Parameters params, Parallelism par) {
        this.params = params;
        this.par = par;
    }

    public Parameters parameters() {
        return params;
    }

    /** Builds what {@code op} needs and returns the call to time (each call returns its result). */
    public Supplier<?> prepare(String op) {
        switch (op) {
            case "ntt_forward": {
                Ntt ntt = params.ringQ().ntt(nttLimb());
                long[] a = randomLimb();
                // Output in [0, q) is valid input again: transforming in place repeatedly costs the same as fresh data.
                return () -> {
                    ntt.forward(a);
                    return a;
                };
            }
            case "ntt_inverse": {
                Ntt ntt = params.ringQ().ntt(nttLimb());
                long[] a = randomLimb();
                return () -> {
                    ntt.inverse(a);
                    return a;
                };
            }
            case "encode": {
                Encoder e = encoder();
                double[] v = values();
                return () -> e.encode(v);
            }
            case "decode": {
                Encoder e = encoder();
                Plaintext p = plaintext();
                return () -> e.decode(p);
            }
            case "encrypt_pk": {
                Encryptor enc = Encryptor.withPublicKey(publicKey()).withParallelism(par);
                Plaintext p = plaintext();
                return () -> enc.encrypt(p);
            }
            case "encrypt_sk": {
                Encryptor enc = Encryptor.withSecretKey(secretKey()).withParallelism(par);
                Plaintext p = plaintext();
                return () -> enc.encrypt(p);
            }
            case "decrypt": {
                Decryptor dec = new Decryptor(secretKey());
                Ciphertext c = ciphertext1();
                return () -> dec.decrypt(c);
            }
            case "add": {
                Evaluator ev = evaluator();
                Ciphertext a = ciphertext1();
                Ciphertext b = ciphertext2();
                return () -> ev.add(a, b);
            }
            case "multiply": {
                Evaluator ev = evaluator();
                Ciphertext a = ciphertext1();
                Ciphertext b = ciphertext2();
                return () -> ev.multiply(a, b);
            }
            case "relinearize": {
                relinKey();
                Evaluator ev = evaluator();
                Ciphertext c = product();
                return () -> ev.relinearize(c);
            }
            case "rescale": {
                relinKey();
                Evaluator ev = evaluator();
                Ciphertext c = relinearized();
                return () -> ev.rescale(c);
            }
            case "multiply_plain": {
                Evaluator ev = evaluator();
                Ciphertext c = ciphertext1();
                Plaintext p = plaintext();
                return () -> ev.multiplyPlain(c, p);
            }
            case "rotate": {
                galoisKeys();
                Evaluator ev = evaluator();
                Ciphertext c = ciphertext1();
                return () -> ev.rotate(c, 1);
            }
            case "mul_relin_rescale": {
                relinKey();
                Evaluator ev = evaluator();
                Ciphertext a = ciphertext1();
                Ciphertext b = ciphertext2();
                return () -> ev.multiplyRelinRescale(a, b);
            }
            case "keygen_relin": {
                KeyGenerator kg = keyGenerator();
                SecretKey s = secretKey();
                return () -> kg.generateRelinearizationKey(s);
            }
            case "keygen_galois": {
                KeyGenerator kg = keyGenerator();
                SecretKey s = secretKey();
                int[] steps = {1};
                return () -> kg.generateGaloisKeys(s, steps, false);
            }
            default:
                throw new IllegalArgumentException("unknown operation '" + op + "'; known: "
                        + String.join(", ", OPERATIONS));
        }
    }

    // ------------------------------------------------------------ lazily built material

    /** The limb the NTT benchmarks transform: q_1, a 40-bit scale prime (q_0 if the chain has one prime). */
    private int nttLimb() {
        return params.maxLevel() >= 1 ? 1 : 0;
    }

    private long[] randomLimb() {
        long q = params.q(nttLimb());
        SplittableRandom r = new SplittableRandom(1);
        long[] a = new long[params.n()];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextLong(q);
        }
        return a;
    }

    private KeyGenerator keyGenerator() {
        if (keyGen == null) {
            keyGen = new KeyGenerator(params, par);
        }
        return keyGen;
    }

    private SecretKey secretKey() {
        if (sk == null) {
            sk = keyGenerator().generateSecretKey();
        }
        return sk;
    }

    private PublicKey publicKey() {
        if (pk == null) {
            pk = keyGenerator().generatePublicKey(secretKey());
        }
        return pk;
    }

    private RelinearizationKey relinKey() {
        if (rlk == null) {
            rlk = keyGenerator().generateRelinearizationKey(secretKey());
        }
        return rlk;
    }

    private GaloisKeys galoisKeys() {
        if (gks == null) {
            gks = keyGenerator().generateGaloisKeys(secretKey(), new int[] {1}, false);
        }
        return gks;
    }

    /** An evaluator with whatever keys have been generated so far. */
    private Evaluator evaluator() {
        return new Evaluator(params, rlk, gks, par);
    }

    private Encoder encoder() {
        if (encoder == null) {
            encoder = new Encoder(params, par);
        }
        return encoder;
    }

    private double[] values() {
        if (values == null) {
            values = randomValues(params.maxSlots(), 42);
        }
        return values;
    }

    private Plaintext plaintext() {
        if (pt == null) {
            pt = encoder().encode(values());
        }
        return pt;
    }

    private Ciphertext ciphertext1() {
        if (ct1 == null) {
            ct1 = Encryptor.withPublicKey(publicKey()).encrypt(plaintext());
        }
        return ct1;
    }

    private Ciphertext ciphertext2() {
        if (ct2 == null) {
            ct2 = Encryptor.withPublicKey(publicKey()).encrypt(encoder().encode(randomValues(params.maxSlots(), 43)));
        }
        return ct2;
    }

    private Ciphertext product() {
        if (product == null) {
            product = evaluator().multiply(ciphertext1(), ciphertext2());
        }
        return product;
    }

    private Ciphertext relinearized() {
        if (relinearized == null) {
            relinearized = new Evaluator(params, relinKey(), null, par).relinearize(product());
        }
        return relinearized;
    }

    private static double[] randomValues(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }
}
