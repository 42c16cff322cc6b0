package org.glovebox.he.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CKKS special FFT: evaluation at zeta^(5^j), zeta = exp(2 pi i / 4n), and its inverse. */
class SpecialFftTest {
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

    /** slot_j = sum_k (re_k + i im_k) zeta^(5^j k), evaluated directly. */
    private static double[][] naiveForward(double[] re, double[] im) {
        int n = re.length;
        int m = 4 * n;
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        long five = 1;
        for (int j = 0; j < n; j++) {
            double sr = 0;
            double si = 0;
            for (int k = 0; k < n; k++) {
                long e = (five * k) % m;
                double ang = 2 * Math.PI * e / m;
                double c = Math.cos(ang);
                double s = Math.sin(ang);
                sr += re[k] * c - im[k] * s;
                si += re[k] * s + im[k] * c;
            }
            outRe[j] = sr;
            outIm[j] = si;
            five = (five * 5) % m;
        }
        return new double[][] {outRe, outIm};
    }

    private static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /**
     * The transform as the textbook loops write it, stage after stage, each twiddle looked up in one table of 4n + 1
     * roots when it is used: forward exp(2πi·(5^j mod 4len)/4len), inverse its conjugate.
     */
    private static void stageByStage(double[] re, double[] im, boolean forward) {
        int n = re.length;
        int m = 4 * n;
        double[] rootRe = new double[m + 1];
        double[] rootIm = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            rootRe[k] = Math.cos(2 * Math.PI * k / m);
            rootIm[k] = Math.sin(2 * Math.PI * k / m);
        }
        int[] rot = new int[n];
        long five = 1;
        for (int j = 0; j < n; j++) {
            rot[j] = (int) five;
            five = (five * 5) % m;
        }
        int logN = Integer.numberOfTrailingZeros(n);
        if (forward) {
            bitReverse(re, im, logN);
        }
        for (int step = 0; step < logN; step++) {
            int len = forward ? 2 << step : n >> step;
            int lenh = len >> 1;
            int lenq = len << 2;
            int stride = m / lenq;
            for (int i = 0; i < n; i += len) {
                for (int j = 0; j < lenh; j++) {
                    int r = rot[j] % lenq;
                    int a = i + j;
                    int b = a + lenh;
                    if (forward) {
                        double wr = rootRe[r * stride];
                        double wi = rootIm[r * stride];
                        double vr = re[b] * wr - im[b] * wi;
                        double vi = re[b] * wi + im[b] * wr;
                        double ur = re[a];
                        double ui = im[a];
                        re[a] = ur + vr;
                        im[a] = ui + vi;
                        re[b] = ur - vr;
                        im[b] = ui - vi;
                    } else {
                        double wr = rootRe[(lenq - r) * stride];
                        double wi = rootIm[(lenq - r) * stride];
                        double ur = re[a] + re[b];
                        double ui = im[a] + im[b];
                        double dr = re[a] - re[b];
                        double di = im[a] - im[b];
                        re[a] = ur;
                        im[a] = ui;
                        re[b] = dr * wr - di * wi;
                        im[b] = dr * wi + di * wr;
                    }
                }
            }
        }
        if (!forward) {
            bitReverse(re, im, logN);
            for (int i = 0; i < n; i++) {
                re[i] *= 1.0 / n;
                im[i] *= 1.0 / n;
            }
        }
    }

    private static void bitReverse(double[] re, double[] im, int bits) {
        for (int i = 0; i < re.length; i++) {
            int r = Ntt.bitReverse(i, bits);
            if (r > i) {
                double t = re[i];
                re[i] = re[r];
                re[r] = t;
                t = im[i];
                im[i] = im[r];
                im[r] = t;
            }
        }
    }

    @Test
    void thePrecomputedTwiddlesGiveBitForBitWhatTheTextbookLoopsGive() {
        for (int n = 1; n <= 16384; n <<= 1) {
            SpecialFft fft = new SpecialFft(n);
            double[][] x = random(n, n);
            double[][] y = {x[0].clone(), x[1].clone()};
            fft.forward(x[0], x[1]);
            stageByStage(y[0], y[1], true);
            assertThat(x[0]).as("forward re, n = %d", n).containsExactly(y[0]);
            assertThat(x[1]).as("forward im, n = %d", n).containsExactly(y[1]);
            fft.inverse(x[0], x[1]);
            stageByStage(y[0], y[1], false);
            assertThat(x[0]).as("inverse re, n = %d", n).containsExactly(y[0]);
            assertThat(x[1]).as("inverse im, n = %d", n).containsExactly(y[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 64, 256, 512})
    void forwardMatchesDirectEvaluationAtThePowersOfFive(int n) {
        double[][] x = random(n, n);
        double[][] expected = naiveForward(x[0], x[1]);
        double[] re = x[0].clone();
        double[] im = x[1].clone();
        new SpecialFft(n).forward(re, im);
        double tol = 1e-12 * n;
        assertThat(maxDiff(re, expected[0])).isLessThan(tol);
        assertThat(maxDiff(im, expected[1])).isLessThan(tol);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 64, 256, 512})
    void inverseInterpolatesDirectEvaluation(int n) {
        double[][] x = random(n, 100 + n);
        double[][] slots = naiveForward(x[0], x[1]);
        double[] re = slots[0].clone();
        double[] im = slots[1].clone();
        new SpecialFft(n).inverse(re, im);
        double tol = 1e-12 * n;
        assertThat(maxDiff(re, x[0])).isLessThan(tol);
        assertThat(maxDiff(im, x[1])).isLessThan(tol);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 32, 1024, 4096, 8192, 16384})
    void inverseThenForwardIsTheIdentity(int n) {
        SpecialFft fft = new SpecialFft(n);
        assertThat(fft.size()).isEqualTo(n);
        double[][] x = random(n, 7 * n);
        double[] re = x[0].clone();
        double[] im = x[1].clone();
        fft.inverse(re, im);
        fft.forward(re, im);
        assertThat(maxDiff(re, x[0])).isLessThan(1e-13 * Math.max(16, n));
        assertThat(maxDiff(im, x[1])).isLessThan(1e-13 * Math.max(16, n));
        fft.forward(re, im);
        fft.inverse(re, im);
        assertThat(maxDiff(re, x[0])).isLessThan(1e-13 * Math.max(16, n));
    }

    @Test
    void realCoefficientVectorsGiveConjugateSymmetricEvaluationsAcrossTheFullRing() {
        // Real polynomial of degree < 2n: slots at zeta^(5^j) and the conjugate roots -> the encoder relies on
        // the imaginary coefficient half being the X^n part: m(zeta^(5^j)) = sum (c_k + i c_{k+n}) zeta^(5^j k).
        int n = 8;
        int m = 4 * n;
        double[][] c = random(2 * n, 5);
        double[] coeffs = c[0];
        double[] re = java.util.Arrays.copyOf(coeffs, n);
        double[] im = java.util.Arrays.copyOfRange(coeffs, n, 2 * n);
        new SpecialFft(n).forward(re, im);
        long five = 1;
        for (int j = 0; j < n; j++) {
            double sr = 0;
            double si = 0;
            for (int k = 0; k < 2 * n; k++) {
                double ang = 2 * Math.PI * ((five * k) % m) / m;
                sr += coeffs[k] * Math.cos(ang);
                si += coeffs[k] * Math.sin(ang);
            }
            assertThat(re[j]).isCloseTo(sr, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(im[j]).isCloseTo(si, org.assertj.core.data.Offset.offset(1e-12));
            five = five * 5 % m;
        }
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        for (int n : new int[] {0, -4, 3, 12}) {
            assertThatThrownBy(() -> new SpecialFft(n)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
