package org.glovebox.he.ckks;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys and helpers for one parameter set, generated once per JVM and shared by the test classes that ask for the
 * same name (key generation at N = 2^14 takes seconds).
 */
final class CkksFixture {
    private static final Map<String, CkksFixture> CACHE = new ConcurrentHashMap<>();

    final Parameters params;
    final SecretKey sk;
    final PublicKey pk;
    final RelinearizationKey rlk;
    final GaloisKeys gks;
    final Encoder encoder;
    final Encryptor pkEncryptor;
    final Encryptor skEncryptor;
    final Decryptor decryptor;
    final Evaluator evaluator;

    private CkksFixture(Parameters params, int[] rotationSteps) {
        this.params = params;
        KeyGenerator kg = new KeyGenerator(params);
        sk = kg.generateSecretKey();
        pk = kg.generatePublicKey(sk);
        rlk = kg.generateRelinearizationKey(sk);
        gks = kg.generateGaloisKeys(sk, rotationSteps, true);
        encoder = new Encoder(params);
        pkEncryptor = Encryptor.withPublicKey(pk);
        skEncryptor = Encryptor.withSecretKey(sk);
        decryptor = new Decryptor(sk);
        evaluator = new Evaluator(params, rlk, gks);
    }

    /** The shared fixture called {@code name}; the first caller's parameters and steps define it. */
    static CkksFixture shared(String name, java.util.function.Supplier<Parameters> params, int... rotationSteps) {
        return CACHE.computeIfAbsent(name, k -> {
            long t0 = System.nanoTime();
            CkksFixture f = new CkksFixture(params.get(), rotationSteps);
            System.out.printf("[fixture %s] %s: keys with %d Galois elements in %.1f s%n", name, f.params,
                    f.gks.galoisElements().size(), (System.nanoTime() - t0) / 1e9);
            return f;
        });
    }

    /** The small insecure ring of {@link TestSupport#smallParams()} with rotation keys for every step in [-40, 40]. */
    static CkksFixture small() {
        return shared("small", TestSupport::smallParams, range(-40, 40));
    }

    /** Rotation steps of the shared N = 2^14 fixture. */
    static final int[] N14_ROTATIONS = {1, 2, 3, 7, -1, -3, 64, 1000, -4095, 4096};
    /** (batch, count) pairs whose inner-sum keys the N = 2^14 fixture holds. */
    static final int[][] N14_INNER_SUMS = {{1, 8192}, {1, 3}, {4, 5}, {3, 7}, {16, 100}, {8, 1}};

    /** {@link ParameterSets#n14()} with the keys every N = 2^14 test needs (generated once, ~7 s). */
    static CkksFixture n14() {
        int[][] lists = new int[N14_INNER_SUMS.length + 1][];
        lists[0] = N14_ROTATIONS;
        for (int i = 0; i < N14_INNER_SUMS.length; i++) {
            lists[i + 1] = Evaluator.innerSumSteps(N14_INNER_SUMS[i][0], N14_INNER_SUMS[i][1]);
        }
        return shared("N14", ParameterSets::n14, steps(lists));
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).toArray();
    }

    /** Union of step lists. */
    static int[] steps(int[]... lists) {
        TreeSet<Integer> all = new TreeSet<>();
        for (int[] l : lists) {
            for (int s : l) {
                all.add(s);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    int slots() {
        return params.maxSlots();
    }

    Ciphertext encrypt(double[] re) {
        return pkEncryptor.encrypt(encoder.encode(re));
    }

    Ciphertext encrypt(double[] re, double[] im) {
        return pkEncryptor.encrypt(encoder.encode(re, im, slots(), params.maxLevel(), params.defaultScale()));
    }

    Ciphertext encryptAt(double[] re, int level, double scale) {
        return pkEncryptor.encrypt(encoder.encode(re, level, scale));
    }

    double[][] decrypt(Ciphertext ct) {
        return encoder.decodeComplex(decryptor.decrypt(ct));
    }

    double[] decryptReal(Ciphertext ct) {
        return encoder.decode(decryptor.decrypt(ct));
    }

    /** -log2 of the largest error of the decryption over both parts of all slots (expected imaginary part 0). */
    double bits(double[] expected, Ciphertext ct) {
        return Slots.bits(expected, null, decrypt(ct));
    }

    double bits(double[] expRe, double[] expIm, Ciphertext ct) {
        return Slots.bits(expRe, expIm, decrypt(ct));
    }
}
