package org.glovebox.he.multiparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.glovebox.he.ring.Prng;
import org.junit.jupiter.api.Test;

class ErrorSamplerTest {

    /** The inversion as first written: a linear search of the cumulative table per sample. */
    private static long[] reference(double sigma, Prng prng, int n) {
        int bound = (int) Math.ceil(6 * sigma);
        double[] w = new double[bound + 1];
        double total = 0;
        for (int k = 0; k <= bound; k++) {
            w[k] = Math.exp(-(double) k * k / (2 * sigma * sigma)) * (k == 0 ? 1 : 2);
            total += w[k];
        }
        long[] cdf = new long[bound + 1];
        double acc = 0;
        for (int k = 0; k <= bound; k++) {
            acc += w[k];
            cdf[k] = k == bound ? Long.MAX_VALUE : (long) Math.floor(acc / total * 0x1p63);
        }
        long[] out = new long[n];
        for (int j = 0; j < n; j++) {
            long v = prng.nextLong();
            long r = v >>> 1;
            int k = 0;
            while (k < bound && r >= cdf[k]) {
                k++;
            }
            out[j] = (v & 1) == 0 ? k : -k;
        }
        return out;
    }

    @Test
    void samplesEqualTheLinearSearchOfTheCumulativeTable() {
        byte[] seed = new byte[Prng.SEED_BYTES];
        for (double sigma : new double[] {0.2, 1.0, 3.2, 8.0, 19.0}) {
            seed[0]++;
            long[] expected = reference(sigma, Prng.fromSeed(seed), 200_000);
            long[] actual = ErrorSampler.of(sigma).sample(Prng.fromSeed(seed), 200_000);
            assertArrayEquals(expected, actual, "sigma " + sigma);
        }
    }
}
