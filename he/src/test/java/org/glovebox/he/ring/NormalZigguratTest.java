package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The ziggurat's tables (known answers from the density) and its samples against the exact normal distribution. */
class NormalZigguratTest {
    private static double density(double x) {
        return Math.exp(-0.5 * x * x);
    }

    /** ∫_a^b exp(−x²/2) dx by Simpson's rule (far more accurate than the tests need). */
    private static double integral(double a, double b) {
        int steps = 20_000;
        double h = (b - a) / steps;
        double s = density(a) + density(b);
        for (int i = 1; i < steps; i++) {
            s += density(a + i * h) * (i % 2 == 1 ? 4 : 2);
        }
        return s * h / 3;
    }

    /** P(Z > x) for a standard normal Z. */
    private static double upperTail(double x) {
        return integral(x, x + 16) / Math.sqrt(2 * Math.PI);
    }

    @Test
    void everyLayerHasTheSameAreaAndTheEdgesDecreaseToZero() {
        double[] x = NormalZiggurat.X;
        assertThat(x[1]).isEqualTo(NormalZiggurat.R);
        assertThat(x[NormalZiggurat.LAYERS]).isZero();
        for (int i = 1; i < NormalZiggurat.LAYERS; i++) {
            assertThat(x[i + 1]).isLessThan(x[i]);
            // layer i: width x[i], heights f(x[i]) … f(x[i+1]); the top layer ends at f(0) = 1
            double area = x[i] * (density(x[i + 1]) - density(x[i]));
            // R and V are given to 12–15 digits, so the top layer (where the recursion ends) is off by about 1e-9: its
            // layer is chosen with a probability wrong by 1e-11, far below what any sample could show
            assertThat(area / NormalZiggurat.V).as("layer %d", i).isCloseTo(1, within(i < 120 ? 1e-10 : 5e-9));
        }
        // the base layer: the rectangle under f(R) plus the tail beyond R, and its virtual width x[0]
        double base = NormalZiggurat.R * density(NormalZiggurat.R) + integral(NormalZiggurat.R, NormalZiggurat.R + 16);
        assertThat(base / NormalZiggurat.V).isCloseTo(1, within(1e-9));
        assertThat(x[0] * density(NormalZiggurat.R)).isCloseTo(NormalZiggurat.V, within(1e-15));
    }

    @Test
    void samplesFollowTheNormalDistribution() {
        Prng prng = Prng.fromSeed(new byte[32]);
        int n = 1 << 21;
        double width = 0.25;
        int half = 18; // bins of 0.25 on [−4.5, 4.5), plus the two tails
        long[] counts = new long[2 * half + 2];
        double sum = 0;
        double sum2 = 0;
        double sum4 = 0;
        for (int k = 0; k < n; k++) {
            double z = NormalZiggurat.next(prng);
            sum += z;
            sum2 += z * z;
            sum4 += z * z * z * z;
            int bin = (int) Math.floor(z / width) + half + 1;
            counts[Math.max(0, Math.min(counts.length - 1, bin))]++;
        }
        assertThat(sum / n).isCloseTo(0, within(5 / Math.sqrt(n)));
        assertThat(sum2 / n).isCloseTo(1, within(5 * Math.sqrt(2.0 / n)));
        assertThat(sum4 / n).isCloseTo(3, within(5 * Math.sqrt(96.0 / n)));
        double chi2 = 0;
        for (int b = 0; b < counts.length; b++) {
            double p;
            if (b == 0 || b == counts.length - 1) {
                p = upperTail(half * width);
            } else {
                double lo = (b - half - 1) * width;
                p = integral(lo, lo + width) / Math.sqrt(2 * Math.PI);
            }
            double expected = n * p;
            chi2 += (counts[b] - expected) * (counts[b] - expected) / expected;
        }
        // 37 degrees of freedom: P(chi2 > 90) is about 3e-6
        assertThat(chi2).as("chi-square against the exact bin probabilities").isLessThan(90);
    }

    @Test
    void theTailSamplerIsTheNormalBeyondR() {
        Prng prng = Prng.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        int n = 1 << 18;
        double[] steps = {0.05, 0.1, 0.2, 0.4, 0.7, 1.2};
        long[] beyond = new long[steps.length];
        for (int k = 0; k < n; k++) {
            double t = NormalZiggurat.tail(prng);
            assertThat(t).isGreaterThan(NormalZiggurat.R);
            for (int s = 0; s < steps.length; s++) {
                if (t > NormalZiggurat.R + steps[s]) {
                    beyond[s]++;
                }
            }
        }
        double all = upperTail(NormalZiggurat.R);
        for (int s = 0; s < steps.length; s++) {
            double p = upperTail(NormalZiggurat.R + steps[s]) / all;
            double sd = Math.sqrt(p * (1 - p) / n);
            assertThat((double) beyond[s] / n).as("P(Z > R + %s | Z > R)", steps[s]).isCloseTo(p, within(5 * sd));
        }
    }

    @Test
    void theSamplerIsDeterministicForASeedAndTheGaussianKeepsItsTruncation() {
        byte[] seed = new byte[32];
        seed[0] = 42;
        long[] a = Sampler.gaussian(Prng.fromSeed(seed), 4096, 0x1p26);
        long[] b = Sampler.gaussian(Prng.fromSeed(seed), 4096, 0x1p26);
        assertThat(a).isEqualTo(b);
        // flooding-sized sigma: a deviate beyond 6 sigma is redrawn, and the tail layer is reached
        Prng prng = Prng.fromSeed(seed);
        double sigma = 0x1p40;
        long[] e = Sampler.gaussian(prng, 1 << 20, sigma);
        long beyondR = 0;
        for (long v : e) {
            assertThat(Math.abs((double) v)).isLessThanOrEqualTo(Sampler.TAIL_CUT * sigma);
            if (Math.abs((double) v) > NormalZiggurat.R * sigma) {
                beyondR++;
            }
        }
        double p = 2 * upperTail(NormalZiggurat.R);
        assertThat((double) beyondR).isCloseTo(p * e.length, within(6 * Math.sqrt(p * e.length)));
    }
}
