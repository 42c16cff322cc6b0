package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.he.math.Ntt;
import org.glovebox.he.math.SpecialFft;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The factored special FFT reproduces {@link SpecialFft} (up to the bit-reversal the bootstrapping skips). */
class DftFactorizationTest {

    private static double[][] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = r.nextDouble(-1, 1);
            im[i] = r.nextDouble(-1, 1);
        }
        return new double[][] {re, im};
    }

    private static double[][] bitReverse(double[][] v) {
        int n = v[0].length;
        int log = Integer.numberOfTrailingZeros(n);
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            int r = Ntt.bitReverse(i, log);
            out[0][i] = v[0][r];
            out[1][i] = v[1][r];
        }
        return out;
    }

    private static double maxDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a[0].length; i++) {
            m = Math.max(m, Math.hypot(a[0][i] - b[0][i], a[1][i] - b[1][i]));
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "8, 1", "8, 3", "32, 2", "64, 3", "256, 4", "1024, 3", "2048, 5"})
    void coeffToSlotIsBitReversedInverseFft(int n, int levels) {
        double[][] z = random(n, n * 31L + levels);
        double[][] expected = {z[0].clone(), z[1].clone()};
        new SpecialFft(n).inverse(expected[0], expected[1]);
        expected = bitReverse(expected);
        double[][] w = z;
        List<DiagonalMatrix> cts = DftFactorization.coeffToSlot(n, levels);
        assertEquals(levels, cts.size());
        for (DiagonalMatrix m : cts) {
            w = m.apply(w[0], w[1]);
        }
        assertTrue(maxDiff(expected, w) < 1e-12, "CoeffToSlot differs by " + maxDiff(expected, w));
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "8, 1", "8, 3", "32, 2", "64, 3", "256, 4", "1024, 3", "2048, 5"})
    void slotToCoeffIsFftOfBitReversedInput(int n, int levels) {
        double[][] c = random(n, n * 17L + levels);
        double[][] expected = {c[0].clone(), c[1].clone()};
        new SpecialFft(n).forward(expected[0], expected[1]);
        double[][] w = bitReverse(c);
        for (DiagonalMatrix m : DftFactorization.slotToCoeff(n, levels)) {
            w = m.apply(w[0], w[1]);
        }
        assertTrue(maxDiff(expected, w) < 1e-9 * n, "SlotToCoeff differs by " + maxDiff(expected, w));
    }

    @ParameterizedTest
    @CsvSource({"1024, 2", "1024, 5", "8192, 3"})
    void mergedLevelsHaveTheExpectedDiagonals(int n, int levels) {
        int logn = Integer.numberOfTrailingZeros(n);
        int[][] groups = DftFactorization.groups(logn, levels);
        List<DiagonalMatrix> cts = DftFactorization.coeffToSlot(n, levels);
        List<DiagonalMatrix> stc = DftFactorization.slotToCoeff(n, levels);
        for (int i = 0; i < levels; i++) {
            int m = groups[i][1] - groups[i][0] + 1;
            boolean wraps = groups[i][1] == logn;
            int expected = wraps ? 1 << m : (1 << (m + 1)) - 1;
            assertEquals(expected, cts.get(i).offsets().size(), "CtS level " + i);
            assertEquals(cts.get(i).offsets(), stc.get(levels - 1 - i).offsets(), "StC mirrors CtS");
            assertTrue(cts.get(i).maxAbs() <= 1 + 1e-12);
        }
    }
}
