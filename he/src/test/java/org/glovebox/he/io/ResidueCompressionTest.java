package org.glovebox.he.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.glovebox.he.math.Primes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Modulus-switching compression of residues: exact rounding, error bound and statistics, refusal of bad widths. */
class ResidueCompressionTest {
    /** round(r·2^b/q) mod 2^b, in BigInteger (the reference). */
    static long referenceCompress(long r, long q, int b) {
        BigInteger n = BigInteger.valueOf(r).shiftLeft(b).add(BigInteger.valueOf(q / 2));
        return n.divide(BigInteger.valueOf(q)).mod(BigInteger.ONE.shiftLeft(b)).longValueExact();
    }

    /** round(x·q/2^b) mod q, in BigInteger. */
    static long referenceDecompress(long x, long q, int b) {
        BigInteger n = BigInteger.valueOf(x).multiply(BigInteger.valueOf(q)).add(BigInteger.ONE.shiftLeft(b - 1));
        return n.shiftRight(b).mod(BigInteger.valueOf(q)).longValueExact();
    }

    static long centered(long d, long q) {
        long c = Math.floorMod(d, q);
        return c > q / 2 ? c - q : c;
    }

    @Test
    void knownAnswersForASmallModulus() {
        long q = 97;
        // x = round(r·8/97) mod 8
        assertThat(ResidueCompression.compress(0, q, 3)).isEqualTo(0);
        assertThat(ResidueCompression.compress(6, q, 3)).isEqualTo(0); // 0.49
        assertThat(ResidueCompression.compress(7, q, 3)).isEqualTo(1); // 0.58
        assertThat(ResidueCompression.compress(48, q, 3)).isEqualTo(4); // 3.96
        assertThat(ResidueCompression.compress(96, q, 3)).isEqualTo(0); // 7.92 -> 8 = 0 mod 8 (wraps to q = 0)
        // r' = round(x·97/8) mod 97
        assertThat(ResidueCompression.decompress(0, q, 3)).isEqualTo(0);
        assertThat(ResidueCompression.decompress(1, q, 3)).isEqualTo(12); // 12.125
        assertThat(ResidueCompression.decompress(4, q, 3)).isEqualTo(49); // 48.5 rounds up
        assertThat(ResidueCompression.decompress(7, q, 3)).isEqualTo(85); // 84.875
        // full width (7 bits for 97) is exact
        for (long r = 0; r < q; r++) {
            assertThat(ResidueCompression.decompress(ResidueCompression.compress(r, q, 7), q, 7)).isEqualTo(r);
        }
    }

    @Test
    void knownAnswersForA60BitPrime() {
        long q = Primes.nttPrimes(60, 1, 1 << 12, java.util.Set.of()).get(0);
        assertThat(ResidueCompression.modulusBits(q)).isEqualTo(60);
        long[] rs = {0, 1, q / 2, q / 2 + 1, q - 1, 123_456_789_012_345L};
        for (int b : new int[] {1, 8, 20, 40, 47, 52, 59, 60}) {
            for (long r : rs) {
                long x = ResidueCompression.compress(r, q, b);
                assertThat(x).as("compress %d at %d bits", r, b).isEqualTo(referenceCompress(r, q, b));
                assertThat(ResidueCompression.decompress(x, q, b)).isEqualTo(referenceDecompress(x, q, b));
            }
        }
    }

    @ParameterizedTest(name = "modulus of {0} bits")
    @ValueSource(ints = {2, 5, 17, 31, 32, 33, 40, 49, 50, 55, 59, 60, 61})
    void matchesTheBigIntegerReferenceAndStaysWithinTheBound(int qBits) {
        SplittableRandom rnd = new SplittableRandom(qBits);
        long q = qBits == 2 ? 3 : (Math.max(1L << (qBits - 1), 3) + 2 * rnd.nextLong(1L << (qBits - 3))) | 1;
        assertThat(ResidueCompression.modulusBits(q)).isEqualTo(qBits);
        for (int b = 1; b <= qBits; b++) {
            double bound = ResidueCompression.errorBound(q, b);
            long[] rs = new long[200];
            for (int i = 0; i < rs.length; i++) {
                rs[i] = i < 4 ? new long[] {0, 1, q - 1, q / 2}[i] : rnd.nextLong(q);
            }
            long[] xs = new long[rs.length];
            ResidueCompression.compress(rs, q, b, xs);
            long[] back = new long[rs.length];
            ResidueCompression.decompress(xs, q, b, back);
            for (int i = 0; i < rs.length; i++) {
                assertThat(xs[i]).isEqualTo(referenceCompress(rs[i], q, b));
                assertThat(back[i]).isEqualTo(referenceDecompress(xs[i], q, b)).isBetween(0L, q - 1);
                assertThat((double) Math.abs(centered(back[i] - rs[i], q))).isLessThanOrEqualTo(bound);
            }
            if (b == qBits) {
                assertThat(back).containsExactly(rs);
                assertThat(bound).isZero();
            }
        }
    }

    @Test
    void roundTripErrorOfUniformResiduesHasTheStatedVariance() {
        long q = Primes.nttPrimes(60, 1, 1 << 12, java.util.Set.of()).get(0);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int b : new int[] {40, 48, 55}) {
            int n = 100_000;
            long[] r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = rnd.nextLong(q);
            }
            long[] x = new long[n];
            ResidueCompression.compress(r, q, b, x);
            ResidueCompression.decompress(x, q, b, x);
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double d = centered(x[i] - r[i], q);
                sum += d;
                sq += d * d;
            }
            double var = sq / n;
            double expected = ResidueCompression.errorVariance(q, b);
            assertThat(var / expected).as("variance ratio at %d bits", b).isBetween(0.97, 1.03);
            assertThat(Math.abs(sum / n)).isLessThan(5 * Math.sqrt(expected / n));
        }
    }

    @Test
    void widthsAndModuliOutsideTheAdmissibleRangeAreRefused() {
        long q = (1L << 59) + 21; // odd, 60 bits
        for (int bad : new int[] {-1, 0, 61, 64, 65, 255}) {
            assertThatThrownBy(() -> ResidueCompression.checkWidth(q, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
            assertThatThrownBy(() -> ResidueCompression.compress(5, q, bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ResidueCompression.compress(new long[] {5}, q, bad, new long[1]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ResidueCompression.checkWidth(96, 3)).hasMessageContaining("odd");
        assertThatThrownBy(() -> ResidueCompression.checkWidth(1, 1)).hasMessageContaining("odd");
        assertThatThrownBy(() -> ResidueCompression.checkWidth((1L << 62) + 1, 40)).hasMessageContaining("2^61");
        assertThatThrownBy(() -> ResidueCompression.compress(q, q, 40)).hasMessageContaining("not in");
        assertThatThrownBy(() -> ResidueCompression.compress(-1, q, 40)).hasMessageContaining("not in");
        assertThatThrownBy(() -> ResidueCompression.decompress(1L << 40, q, 40)).hasMessageContaining("40 bits");
        assertThatThrownBy(() -> ResidueCompression.decompress(new long[] {-1}, q, 40, new long[1]))
                .hasMessageContaining("40 bits");
    }

    @Test
    void widthForStepIsTheSmallestSufficientWidth() {
        long q = Primes.nttPrimes(60, 1, 1 << 12, java.util.Set.of()).get(0);
        for (double step : new double[] {0.5, 1, 3, 1000, 0x1p20, 0x1p40, 0x1p70}) {
            int b = ResidueCompression.widthForStep(q, step);
            assertThat(b).isBetween(1, 60);
            if (b < 60) {
                assertThat(ResidueCompression.step(q, b)).isLessThanOrEqualTo(step);
            }
            if (b > 1) {
                assertThat(ResidueCompression.step(q, b - 1)).isGreaterThan(step);
            }
        }
        assertThat(ResidueCompression.widthForStep(q, 0.5)).isEqualTo(60);
        assertThatThrownBy(() -> ResidueCompression.widthForStep(q, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
