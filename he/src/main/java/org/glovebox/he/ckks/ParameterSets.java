package org.glovebox.he.ckks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Predefined 128-bit-secure parameter sets, named by ring degree and log2(QP); the short aliases {@code N13},
 * {@code N14}, {@code N15} name the sets Microsoft SEAL's benchmarks use (same ciphertext primes; SEAL's last prime
 * is its single special prime, ours are chosen within the same security bound for faster hybrid key switching).
 *
 * <p>Sets are built once and cached; every returned instance is validated against {@link SecurityStandard}.
 */
public final class ParameterSets {
    private static final Map<String, Supplier<Parameters>> FACTORIES = new LinkedHashMap<>();
    private static final Map<String, Parameters> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        FACTORIES.put("N13_QP200", () -> Parameters.builder()
                .logN(13)
                .primeBits(new int[] {60, 40, 40}, new int[] {60})
                .logScale(40)
                .build());
        FACTORIES.put("N14_QP438", () -> Parameters.builder()
                .logN(14)
                .primeBits(new int[] {60, 40, 40, 40, 40, 40, 40, 40}, new int[] {49, 49})
                .logScale(40)
                .build());
        FACTORIES.put("N15_QP880", () -> Parameters.builder()
                .logN(15)
                .primeBits(repeat(60, 40, 18), new int[] {50, 50})
                .logScale(40)
                .build());
        FACTORIES.put("N14_QP438_STATS", () -> Parameters.builder()
                .logN(14)
                .primeBits(new int[] {60, 55, 55, 55, 55, 55}, new int[] {51, 51})
                .logScale(55)
                .build());
        ALIASES.put("N13", "N13_QP200");
        ALIASES.put("N14", "N14_QP438");
        ALIASES.put("N15", "N15_QP880");
        ALIASES.put("STATS", "N14_QP438_STATS");
    }

    private ParameterSets() {
    }

    /** N = 2^13, q = {60, 40, 40} bits, p = {60}: 200 bits, depth 2. */
    public static Parameters n13() {
        return byName("N13_QP200");
    }

    /** N = 2^14, q = {60, 40 x 7} bits, p = {49, 49}: 438 bits, depth 7. */
    public static Parameters n14() {
        return byName("N14_QP438");
    }

    /** N = 2^15, q = {60, 40 x 18} bits, p = {50, 50}: 880 bits, depth 18. */
    public static Parameters n15() {
        return byName("N15_QP880");
    }

    /**
     * N = 2^14 with 55-bit scale primes, q = {60, 55 x 5}, p = {51, 51}: 437 bits, depth 5; more precision per
     * operation for exact-looking statistics (sums, means, variances).
     */
    public static Parameters statistics() {
        return byName("N14_QP438_STATS");
    }

    /** A set by its name or alias (case-insensitive). */
    public static Parameters byName(String name) {
        String key = name.toUpperCase(Locale.ROOT);
        key = ALIASES.getOrDefault(key, key);
        Supplier<Parameters> f = FACTORIES.get(key);
        if (f == null) {
            throw new IllegalArgumentException("unknown parameter set '" + name + "'; known: " + names());
        }
        return CACHE.computeIfAbsent(key, k -> f.get());
    }

    /** Canonical names followed by aliases. */
    public static List<String> names() {
        var all = new java.util.ArrayList<>(FACTORIES.keySet());
        all.addAll(ALIASES.keySet());
        return all;
    }

    private static int[] repeat(int first, int bits, int count) {
        int[] r = new int[count + 1];
        r[0] = first;
        java.util.Arrays.fill(r, 1, r.length, bits);
        return r;
    }
}
