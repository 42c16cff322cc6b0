package org.glovebox.he.ckks.bootstrap;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;

/** Bootstrapping parameters, keys and helpers for one small insecure test ring, built once per JVM and name. */
final class BootstrapFixture {
    private static final Map<String, BootstrapFixture> CACHE = new ConcurrentHashMap<>();

    final BootstrappingParameters bp;
    final Parameters params;
    final SecretKey sk;
    final BootstrappingKeys keys;
    final Bootstrapper bootstrapper;
    final Encoder encoder;
    final Encryptor encryptor;
    final Decryptor decryptor;

    private BootstrapFixture(BootstrappingParameters bp) {
        this(bp, null, null);
    }

    /** A fixture around given keys (null: fresh secret key and keys); not cached. */
    BootstrapFixture(BootstrappingParameters bp, SecretKey sk, BootstrappingKeys keys) {
        this.bp = bp;
        this.params = bp.parameters();
        this.sk = sk != null ? sk : new KeyGenerator(params).generateSecretKey();
        this.keys = keys != null ? keys : BootstrappingKeys.generate(bp, this.sk);
        this.bootstrapper = new Bootstrapper(bp, this.keys);
        this.encoder = new Encoder(params);
        this.encryptor = Encryptor.withSecretKey(this.sk);
        this.decryptor = new Decryptor(this.sk);
    }

    static BootstrapFixture shared(String name, Supplier<BootstrappingParameters> bp) {
        return CACHE.computeIfAbsent(name, k -> {
            long t0 = System.nanoTime();
            BootstrapFixture f = new BootstrapFixture(bp.get());
            System.out.printf("[bootstrap fixture %s] %s: %d Galois keys, %.1f MB, in %.1f s%n", name, f.bp,
                    f.keys.galoisKeys().galoisElements().size(), f.keys.sizeBytes() / 1e6,
                    (System.nanoTime() - t0) / 1e9);
            return f;
        });
    }

    /** A small builder: N = 2^logN, insecure, with the given slots; chain sized for tests. */
    static BootstrappingParameters.Builder small(int logN, int logSlots) {
        return BootstrappingParameters.insecureTestBuilder(logN, logSlots);
    }

    /** N = 2^11, full packing, sparse main secret h = 16, no encapsulation. */
    static BootstrapFixture fullSparseSecret() {
        return shared("N11-full-h16", () -> small(11, 10).secretHammingWeight(16).ephemeralSecretWeight(0).build());
    }

    /** N = 2^11, 2^6 slots (sparse packing), sparse main secret h = 16, no encapsulation. */
    static BootstrapFixture sparseSlotsSparseSecret() {
        return shared("N11-64-h16", () -> small(11, 6).secretHammingWeight(16).ephemeralSecretWeight(0).build());
    }

    /** N = 2^10, 2^4 slots, sparse main secret h = 16: the cheapest ring, for long chains of bootstraps. */
    static BootstrapFixture tiny() {
        return shared("N10-16-h16", () -> small(10, 4).secretHammingWeight(16).ephemeralSecretWeight(0).build());
    }

    /** ModRaise first: N = 2^10, full packing (2^9 slots), sparse main secret h = 16. */
    static BootstrapFixture raiseFirstFull() {
        return shared("N10-full-h16-raise-first", () -> small(10, 9).secretHammingWeight(16).ephemeralSecretWeight(0)
                .order(BootstrappingParameters.Order.MOD_RAISE_FIRST).build());
    }

    /** ModRaise first: N = 2^10, 2^5 slots, sparse main secret h = 16. */
    static BootstrapFixture raiseFirstSparse() {
        return shared("N10-32-h16-raise-first", () -> small(10, 5).secretHammingWeight(16).ephemeralSecretWeight(0)
                .order(BootstrappingParameters.Order.MOD_RAISE_FIRST).build());
    }

    /** ModRaise first with an arcsine correction of degree 3: N = 2^10, 2^5 slots, sparse main secret h = 16. */
    static BootstrapFixture raiseFirstSparseArcsine() {
        return shared("N10-32-h16-raise-first-asin", () -> small(10, 5).secretHammingWeight(16)
                .ephemeralSecretWeight(0).arcsineDegree(3).order(BootstrappingParameters.Order.MOD_RAISE_FIRST)
                .build());
    }

    /** N = 2^10, 2^8 slots, dense main secret with sparse-secret encapsulation (h' = 32): the secure-set path. */
    static BootstrapFixture encapsulated() {
        return shared("N10-256-dense-h'32", () -> small(10, 8).ephemeralSecretWeight(32).build());
    }

    static double[][] randomComplex(int n, long seed, boolean complex) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = r.nextDouble(-1, 1);
            im[i] = complex ? r.nextDouble(-1, 1) : 0;
        }
        return new double[][] {re, im};
    }

    /** Encrypts at the level bootstrapping takes its input from. */
    Ciphertext encryptForBootstrap(double[][] z) {
        return encrypt(z, bp.inputLevel());
    }

    Ciphertext encrypt(double[][] z, int level) {
        return encryptor.encrypt(encoder.encode(z[0], z[1], bp.slots(), level, params.defaultScale()));
    }

    double[][] decrypt(Ciphertext ct) {
        return encoder.decodeComplex(decryptor.decrypt(ct));
    }

    /** {mean, worst} precision in bits: -log2 of the mean and of the largest absolute error (complex modulus). */
    static double[] precision(double[][] expected, double[][] actual) {
        double sum = 0;
        double max = 0;
        int n = expected[0].length;
        for (int i = 0; i < n; i++) {
            double e = Math.hypot(expected[0][i] - actual[0][i], expected[1][i] - actual[1][i]);
            sum += e;
            max = Math.max(max, e);
        }
        return new double[] {-Math.log(sum / n) / Math.log(2), -Math.log(max) / Math.log(2)};
    }
}
