package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Distribution sanity of the samplers (ranges exact; moments within generous statistical bounds). */
class SamplerTest {
    private static final int N = 1 << 15;

    @Test
    void ternaryIsUniformOnMinusOneZeroOne() {
        long[] t = Sampler.ternary(Prng.fresh(), N);
        long[] counts = new long[3];
        for (long v : t) {
            assertThat(v).isBetween(-1L, 1L);
            counts[(int) v + 1]++;
        }
        for (long c : counts) {
            assertThat((double) c / N).isBetween(1 / 3.0 - 0.02, 1 / 3.0 + 0.02);
        }
    }

    @Test
    void fixedHammingWeightHasExactlyHNonZeroTernaryEntries() {
        for (int h : new int[] {1, 64, 192, 4096}) {
            long[] t = Sampler.ternaryHammingWeight(Prng.fresh(), 4096, h);
            assertThat(LongStream.of(t).filter(v -> v != 0).count()).isEqualTo(h);
            assertThat(LongStream.of(t).allMatch(v -> v >= -1 && v <= 1)).isTrue();
        }
        assertThatThrownBy(() -> Sampler.ternaryHammingWeight(Prng.fresh(), 16, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sampler.ternaryHammingWeight(Prng.fresh(), 16, 17))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gaussianHasSigmaThreePointTwoAndIsTruncatedAtSixSigma() {
        long[] e = Sampler.gaussian(Prng.fresh(), N, Sampler.DEFAULT_SIGMA);
        double sum = 0;
        double sum2 = 0;
        for (long v : e) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((long) Math.ceil(Sampler.TAIL_CUT * Sampler.DEFAULT_SIGMA));
            sum += v;
            sum2 += (double) v * v;
        }
        double mean = sum / N;
        double sd = Math.sqrt(sum2 / N - mean * mean);
        assertThat(mean).isBetween(-0.1, 0.1);
        // rounding adds variance 1/12
        assertThat(sd).isBetween(3.1, 3.35);
    }

    @Test
    void gaussianTableHoldsTheRoundedTruncatedGaussianAndMatchesBoxMuller() {
        // the table is the rounded Gaussian truncated at 6 sigma: P(|K| <= k) against the closed form, via a fine
        // midpoint sum (independent of the table's quadrature)
        double sigma = Sampler.DEFAULT_SIGMA;
        long[] cdf = Sampler.RoundedGaussianTable.of(sigma).cdf;
        double bound = Sampler.TAIL_CUT * sigma;
        assertThat(cdf).hasSize((int) Math.floor(bound + 0.5) + 1);
        double[] mass = new double[cdf.length];
        int steps = 200_000;
        double total = 0;
        for (int k = 0; k < cdf.length; k++) {
            double a = Math.max(k - 0.5, -bound);
            double b = Math.min(k + 0.5, bound);
            double h = (b - a) / steps;
            double m = 0;
            for (int i = 0; i < steps; i++) {
                double x = a + (i + 0.5) * h;
                m += Math.exp(-x * x / (2 * sigma * sigma)) * h;
            }
            mass[k] = k == 0 ? m : 2 * m;
            total += mass[k];
        }
        double acc = 0;
        for (int k = 0; k < cdf.length; k++) {
            acc += mass[k];
            assertThat(cdf[k] / 0x1p63).isCloseTo(acc / total, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(cdf[cdf.length - 1]).isEqualTo(Long.MAX_VALUE);
        // the same distribution as the Box–Muller path (used above the table's range): histograms of |k| agree
        Prng prng = Prng.fresh();
        int n = 1 << 21;
        long[] table = Sampler.gaussian(prng, n, sigma);
        long[] histTable = new long[cdf.length];
        long[] histBm = new long[cdf.length];
        for (long v : table) {
            histTable[(int) Math.abs(v)]++;
        }
        for (int done = 0; done < n; ) {
            double u1 = prng.nextDouble();
            double u2 = prng.nextDouble();
            if (u1 <= 0) {
                continue;
            }
            double r = Math.sqrt(-2 * Math.log(u1)) * sigma;
            for (double g : new double[] {r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2)}) {
                if (Math.abs(g) <= bound && done < n) {
                    histBm[(int) Math.abs(Math.round(g))]++;
                    done++;
                }
            }
        }
        double chi2 = 0;
        int cells = 0;
        for (int k = 0; k < cdf.length; k++) {
            double e = (histTable[k] + histBm[k]) / 2.0;
            if (e >= 20) {
                chi2 += 2 * Math.pow(histTable[k] - e, 2) / e;
                cells++;
            }
        }
        // two-sample chi-square on cells - 1 degrees of freedom (about 15): 60 is far beyond p = 1e-6
        assertThat(chi2).isLessThan(60);
        // signs are symmetric
        long positive = java.util.stream.LongStream.of(table).filter(v -> v > 0).count();
        long negative = java.util.stream.LongStream.of(table).filter(v -> v < 0).count();
        assertThat(Math.abs(positive - negative)).isLessThan(6000);
        assertThat(cells).isGreaterThan(10);
    }

    @Test
    void gaussianOutsideTheTableRangeStillSamplesAndRefusesNonsense() {
        for (double sigma : new double[] {0.1, Sampler.TABLE_MAX_SIGMA * 2, 0x1p26}) {
            long[] e = Sampler.gaussian(Prng.fresh(), N, sigma);
            double sum2 = 0;
            for (long v : e) {
                assertThat((double) Math.abs(v)).isLessThanOrEqualTo(Math.ceil(Sampler.TAIL_CUT * sigma));
                sum2 += (double) v * v;
            }
            if (sigma >= 1) { // a tiny sigma rounds almost everything to 0
                assertThat(Math.sqrt(sum2 / N)).isBetween(sigma * 0.95, Math.sqrt(sigma * sigma + 1 / 12.0) * 1.05);
            }
        }
        assertThatThrownBy(() -> Sampler.gaussian(Prng.fresh(), 8, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sampler.gaussian(Prng.fresh(), 8, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformBoundedCoversTheClosedRange() {
        long[] small = Sampler.uniformBounded(Prng.fresh(), N, 2);
        assertThat(LongStream.of(small).distinct().sorted().toArray()).containsExactly(-2, -1, 0, 1, 2);
        long bound = 1L << 61;
        long[] big = Sampler.uniformBounded(Prng.fresh(), N, bound);
        assertThat(LongStream.of(big).allMatch(v -> v >= -bound && v <= bound)).isTrue();
        assertThat(LongStream.of(big).filter(v -> Math.abs(v) > bound / 2).count()).isBetween(N / 2L - 600, N / 2L + 600);
        assertThat(Sampler.uniformBounded(Prng.fresh(), 8, 0)).containsOnly(0L);
        assertThatThrownBy(() -> Sampler.uniformBounded(Prng.fresh(), 8, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sampler.uniformBounded(Prng.fresh(), 8, bound + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformResiduesAreReducedAndSpreadOverEveryLimb() {
        RnsBasis b = new RnsBasis(1 << 12, RingTestSupport.values(RingTestSupport.moduli(1 << 12, 61, 40, 17)));
        RnsPoly p = b.newPoly(3);
        Sampler.uniform(Prng.fresh(), b, p);
        for (int i = 0; i < 3; i++) {
            long q = b.modulus(i).value();
            long[] limb = p.limb(i);
            assertThat(LongStream.of(limb).allMatch(v -> v >= 0 && v < q)).isTrue();
            long above = LongStream.of(limb).filter(v -> v >= q / 2).count();
            assertThat(above).isBetween(limb.length / 2L - 250, limb.length / 2L + 250);
        }
    }

    @Test
    void sameSeedGivesSameSamples() {
        byte[] seed = Prng.freshSeed();
        assertThat(Sampler.gaussian(Prng.fromSeed(seed), 1024, 3.2)).isEqualTo(Sampler.gaussian(Prng.fromSeed(seed), 1024, 3.2));
        assertThat(Sampler.ternary(Prng.fromSeed(seed), 1024)).isEqualTo(Sampler.ternary(Prng.fromSeed(seed), 1024));
    }
}
