package org.glovebox.he.ckks;

import java.util.SplittableRandom;

/** Shared helpers for CKKS tests: small insecure rings and precision measurement. */
public final class TestSupport {
    private TestSupport() {
    }

    /** A small fast ring for unit tests, built with the explicit insecure test switch. */
    public static Parameters smallParams() {
        return Parameters.builder()
                .logN(11)
                .primeBits(new int[] {55, 40, 40, 40, 40}, new int[] {50, 50})
                .logScale(40)
                .insecureForTestingOnly()
                .build();
    }

    /** Uniform values in [-1, 1]. */
    public static double[] randomValues(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    /** -log2 of the largest absolute error. */
    public static double precisionBits(double[] expected, double[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max == 0 ? 64 : -Math.log(max) / Math.log(2);
    }
}
