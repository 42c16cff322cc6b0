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
