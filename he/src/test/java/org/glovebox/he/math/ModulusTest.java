package org.glovebox.he.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known-answer tests of word-sized modular arithmetic against BigInteger, for random and edge operands. */
class ModulusTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final int SAMPLES = 3000;

    /** Primes of every size up to 61 bits, including 61-bit NTT primes and the Mersenne prime 2^61 - 1. */
    static Stream<Long> primes() {
        List<Long> out = new ArrayList<>(List.of(2L, 3L, 17L, 257L, 12289L, 65537L, 1_000_003L, (1L << 31) - 1));
        out.addAll(Primes.nttPrimes(30, 1, 1 << 12, java.util.Set.of()));
        out.addAll(Primes.nttPrimes(40, 1, 1 << 14, java.util.Set.of()));
        out.addAll(Primes.nttPrimes(50, 1, 1 << 14, java.util.Set.of()));
        out.addAll(Primes.nttPrimes(55, 1, 1 << 15, java.util.Set.of()));
        out.addAll(Primes.nttPrimes(60, 2, 1 << 16, java.util.Set.of()));
        out.addAll(Primes.nttPrimes(61, 2, 1 << 16, java.util.Set.of()));
        out.add((1L << 61) - 1);
        return out.stream();
    }

    /** Any modulus works for everything except inverse; include composites and powers of two. */
    static Stream<Long> moduli() {
        return Stream.concat(primes(), Stream.of(4L, 1L << 40, 1_000_000_000_000_000_000L, (1L << 61) - 2, (1L << 60) + 1));
    }

    private static long[] edges(long q) {
        return new long[] {0, 1, 2 % q, q / 2, (q + 1) / 2 % q, Math.max(0, q - 2), q - 1};
    }

    private static long rand(SplittableRandom r, long q) {
        return r.nextLong(q);
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static BigInteger unsigned(long v) {
        return big(v).and(TWO_64.subtract(BigInteger.ONE));
    }

    private static BigInteger u128(long hi, long lo) {
        return unsigned(hi).shiftLeft(64).or(unsigned(lo));
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void constructorReportsValueAndBits(long q) {
        Modulus m = new Modulus(q);
        assertThat(m.value()).isEqualTo(q);
        assertThat(m.bits()).isEqualTo(big(q).bitLength());
        assertThat(m).isEqualTo(new Modulus(q)).hasSameHashCodeAs(new Modulus(q));
    }

    @Test
    void constructorRejectsOutOfRangeModuli() {
        for (long q : new long[] {-5, 0, 1, 1L << 61, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new Modulus(q)).as("q=%d", q).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void addSubNegMatchBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q);
        List<long[]> pairs = pairs(q, r);
        for (long[] p : pairs) {
            long a = p[0];
            long b = p[1];
            assertThat(m.add(a, b)).as("%d + %d mod %d", a, b, q).isEqualTo(big(a).add(big(b)).mod(bq).longValue());
            assertThat(m.sub(a, b)).as("%d - %d mod %d", a, b, q).isEqualTo(big(a).subtract(big(b)).mod(bq).longValue());
            assertThat(m.neg(a)).as("-%d mod %d", a, q).isEqualTo(big(a).negate().mod(bq).longValue());
        }
    }

    private static List<long[]> pairs(long q, SplittableRandom r) {
        List<long[]> pairs = new ArrayList<>();
        for (long a : edges(q)) {
            for (long b : edges(q)) {
                pairs.add(new long[] {a, b});
            }
        }
        for (int i = 0; i < SAMPLES; i++) {
            pairs.add(new long[] {rand(r, q), rand(r, q)});
        }
        return pairs;
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void mulMatchesBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        for (long[] p : pairs(q, new SplittableRandom(q + 1))) {
            assertThat(m.mul(p[0], p[1]))
                    .as("%d * %d mod %d", p[0], p[1], q)
                    .isEqualTo(big(p[0]).multiply(big(p[1])).mod(bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void reduceProductMatchesBigIntegerBelowTwoToTheTwoK(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        int k = m.bits();
        SplittableRandom r = new SplittableRandom(q + 2);
        List<BigInteger> xs = new ArrayList<>();
        xs.add(BigInteger.ZERO);
        xs.add(BigInteger.ONE.shiftLeft(2 * k).subtract(BigInteger.ONE)); // the largest admissible input
        xs.add(bq.subtract(BigInteger.ONE).pow(2));
        xs.add(bq.pow(2).subtract(BigInteger.ONE).min(BigInteger.ONE.shiftLeft(2 * k).subtract(BigInteger.ONE)));
        for (int i = 0; i < SAMPLES; i++) {
            xs.add(new BigInteger(2 * k, new java.util.Random(r.nextLong())));
        }
        for (BigInteger x : xs) {
            long hi = x.shiftRight(64).longValue();
            long lo = x.longValue();
            assertThat(m.reduceProduct(hi, lo)).as("%s mod %d", x, q).isEqualTo(x.mod(bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void reduce128MatchesBigIntegerForAnyUnsigned128BitValue(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 3);
        long[] special = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, q, q - 1, q + 1, 2 * q, 4 * q};
        List<long[]> inputs = new ArrayList<>();
        for (long hi : special) {
            for (long lo : special) {
                inputs.add(new long[] {hi, lo});
            }
        }
        for (int i = 0; i < SAMPLES; i++) {
            inputs.add(new long[] {r.nextLong(), r.nextLong()});
            // products and sums of products of residues, the way the library uses it
            long a = rand(r, q);
            long b = rand(r, q);
            inputs.add(new long[] {Math.multiplyHigh(a, b), a * b});
            inputs.add(new long[] {r.nextLong(1L << 10), r.nextLong()});
        }
        for (long[] in : inputs) {
            assertThat(m.reduce128(in[0], in[1]))
                    .as("(%d:%d) mod %d", in[0], in[1], q)
                    .isEqualTo(u128(in[0], in[1]).mod(bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void reduceUnsignedMatchesBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 4);
        List<Long> xs = new ArrayList<>(List.of(0L, 1L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, q, q - 1, q + 1,
                2 * q, 3 * q - 1, -q));
        for (int i = 0; i < SAMPLES; i++) {
            xs.add(r.nextLong());
            xs.add(r.nextLong(4 * q));
        }
        for (long x : xs) {
            assertThat(m.reduceUnsigned(x)).as("unsigned %d mod %d", x, q).isEqualTo(unsigned(x).mod(bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void reduceSignedMatchesBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 5);
        List<Long> xs = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, q, -q, q - 1, 1 - q));
        for (int i = 0; i < SAMPLES; i++) {
            xs.add(r.nextLong());
        }
        for (long x : xs) {
            assertThat(m.reduce(x)).as("%d mod %d", x, q).isEqualTo(big(x).mod(bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void shoupQuotientAndShoupMultiplicationMatchBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        for (long[] p : pairs(q, new SplittableRandom(q + 6))) {
            long a = p[0];
            long w = p[1];
            long ws = m.shoup(w);
            assertThat(unsigned(ws)).as("shoup(%d) mod %d", w, q).isEqualTo(big(w).shiftLeft(64).divide(bq));
            long expected = big(a).multiply(big(w)).mod(bq).longValue();
            assertThat(m.mulShoup(a, w, ws)).as("%d * %d mod %d (Shoup)", a, w, q).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void lazyShoupMultiplicationIsCongruentAndBelowTwoQForInputsBelowTwoTo63(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 7);
        for (int i = 0; i < SAMPLES; i++) {
            long a = i < 10 ? Long.MAX_VALUE - i : r.nextLong() >>> 1;
            long w = i % 7 == 0 ? q - 1 : rand(r, q);
            long res = m.mulShoupLazy(a, w, m.shoup(w));
            assertThat(res).as("lazy %d * %d mod %d in [0, 2q)", a, w, q).isBetween(0L, 2 * q - 1);
            assertThat(big(res).mod(bq)).isEqualTo(big(a).multiply(big(w)).mod(bq));
        }
    }

    @ParameterizedTest
    @MethodSource("moduli")
    void powMatchesBigInteger(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 8);
        for (int i = 0; i < 300; i++) {
            long a = i < 7 ? edges(q)[i] : rand(r, q);
            long e = i % 3 == 0 ? r.nextLong(5) : r.nextLong(Long.MAX_VALUE);
            assertThat(m.pow(a, e)).as("%d^%d mod %d", a, e, q).isEqualTo(big(a).modPow(big(e), bq).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("primes")
    void inverseMatchesBigIntegerModInverse(long q) {
        Modulus m = new Modulus(q);
        BigInteger bq = big(q);
        SplittableRandom r = new SplittableRandom(q + 9);
        List<Long> as = new ArrayList<>(List.of(1L, q - 1, -1L, q + 1, -q + 1, Long.MAX_VALUE, (q + 1) / 2));
        for (int i = 0; i < 300; i++) {
            as.add(r.nextLong());
        }
        for (long a : as) {
            if (Math.floorMod(a, q) == 0) {
                continue;
            }
            long inv = m.inverse(a);
            assertThat(inv).as("1/%d mod %d", a, q).isEqualTo(big(a).modInverse(bq).longValue());
            assertThat(m.mul(inv, m.reduce(a))).isEqualTo(1 % q);
        }
    }

    @ParameterizedTest
    @MethodSource("primes")
    void inverseOfZeroFails(long q) {
        Modulus m = new Modulus(q);
        assertThatThrownBy(() -> m.inverse(0)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> m.inverse(q)).isInstanceOf(ArithmeticException.class);
    }
}
