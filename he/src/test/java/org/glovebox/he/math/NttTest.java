package org.glovebox.he.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Known-answer tests of the negacyclic NTT: direct evaluation, schoolbook multiplication, round trips. */
class NttTest {
    private static final int[] DEGREES = {4, 8, 16, 32, 64, 128, 256, 1024, 4096};

    /** For each degree: small classic primes where they apply, and generated primes of 30 to 61 bits. */
    private static final java.util.Map<String, Ntt> NTTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static List<Arguments> cases;

    private static Ntt ntt(int n, long q) {
        return NTTS.computeIfAbsent(n + ":" + q, k -> new Ntt(new Modulus(q), n));
    }

    static synchronized Stream<Arguments> cases() {
        if (cases == null) {
            cases = computeCases();
        }
        return cases.stream();
    }

    private static List<Arguments> computeCases() {
        List<Arguments> out = new ArrayList<>();
        for (int n : DEGREES) {
            List<Long> primes = new ArrayList<>();
            for (long small : new long[] {17, 97, 257, 12289, 40961, 65537}) {
                if ((small - 1) % (2L * n) == 0) {
                    primes.add(small);
                }
            }
            primes.addAll(Primes.nttPrimes(30, 1, n, Set.of()));
            primes.addAll(Primes.nttPrimes(45, 1, n, Set.of()));
            primes.addAll(Primes.nttPrimes(60, 1, n, Set.of()));
            primes.addAll(Primes.nttPrimes(61, 2, n, Set.of()));
            for (long q : primes) {
                out.add(Arguments.of(n, q));
            }
        }
        return out;
    }

    private static long[] random(int n, long q, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextLong(q);
        }
        return a;
    }

    /** Negacyclic product in Z_q[X]/(X^N + 1), schoolbook, in BigInteger (independent of Modulus). */
    private static long[] schoolbookBig(long[] a, long[] b, long q) {
        int n = a.length;
        BigInteger[] acc = new BigInteger[n];
        java.util.Arrays.fill(acc, BigInteger.ZERO);
        for (int i = 0; i < n; i++) {
            BigInteger ai = BigInteger.valueOf(a[i]);
            for (int j = 0; j < n; j++) {
                BigInteger p = ai.multiply(BigInteger.valueOf(b[j]));
                int k = i + j;
                if (k < n) {
                    acc[k] = acc[k].add(p);
                } else {
                    acc[k - n] = acc[k - n].subtract(p);
                }
            }
        }
        long[] out = new long[n];
        BigInteger bq = BigInteger.valueOf(q);
        for (int k = 0; k < n; k++) {
            out[k] = acc[k].mod(bq).longValue();
        }
        return out;
    }

    /** The same with Modulus.mul (itself verified against BigInteger in ModulusTest); for the larger degrees. */
    private static long[] schoolbookWord(long[] a, long[] b, Modulus m) {
        int n = a.length;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                long p = m.mul(a[i], b[j]);
                int k = i + j;
                if (k < n) {
                    out[k] = m.add(out[k], p);
                } else {
                    out[k - n] = m.sub(out[k - n], p);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void psiIsAPrimitive2NthRootOfUnity(int n, long q) {
        Ntt ntt = ntt(n, q);
        BigInteger psi = BigInteger.valueOf(ntt.psi());
        BigInteger bq = BigInteger.valueOf(q);
        assertThat(psi.modPow(BigInteger.valueOf(n), bq)).isEqualTo(bq.subtract(BigInteger.ONE));
        assertThat(psi.modPow(BigInteger.valueOf(2L * n), bq)).isEqualTo(BigInteger.ONE);
        assertThat(ntt.degree()).isEqualTo(n);
        assertThat(ntt.modulus().value()).isEqualTo(q);
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void forwardEvaluatesAtOddPowersOfPsiInBitReversedOrder(int n, long q) {
        if (n > 128) {
            return; // O(N^2) BigInteger evaluation: the smaller degrees pin the ordering
        }
        Ntt ntt = ntt(n, q);
        long[] a = random(n, q, q ^ n);
        long[] f = a.clone();
        ntt.forward(f);
        BigInteger bq = BigInteger.valueOf(q);
        BigInteger psi = BigInteger.valueOf(ntt.psi());
        int logN = Integer.numberOfTrailingZeros(n);
        for (int j = 0; j < n; j++) {
            BigInteger x = psi.modPow(BigInteger.valueOf(2L * Ntt.bitReverse(j, logN) + 1), bq);
            BigInteger acc = BigInteger.ZERO;
            for (int i = n - 1; i >= 0; i--) {
                acc = acc.multiply(x).add(BigInteger.valueOf(a[i])).mod(bq);
            }
            assertThat(f[j]).as("evaluation %d", j).isEqualTo(acc.longValue());
        }
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void pointwiseProductInNttDomainIsTheNegacyclicProduct(int n, long q) {
        if (n == 4096 && q < (1L << 60)) {
            return; // O(N^2) reference: at the largest degree, the two 61-bit primes suffice
        }
        Ntt ntt = ntt(n, q);
        Modulus m = ntt.modulus();
        long[] a = random(n, q, 11 * q + n);
        long[] b = random(n, q, 13 * q + n);
        if (n == 4) {
            // edge operands: all q - 1 and a monomial
            a = new long[] {q - 1, q - 1, q - 1, q - 1};
            b = new long[] {0, 0, 0, 1};
        }
        long[] expected = n <= 128 ? schoolbookBig(a, b, q) : schoolbookWord(a, b, m);
        long[] fa = a.clone();
        long[] fb = b.clone();
        ntt.forward(fa);
        ntt.forward(fb);
        long[] prod = new long[n];
        for (int i = 0; i < n; i++) {
            prod[i] = m.mul(fa[i], fb[i]);
        }
        ntt.inverse(prod);
        assertThat(prod).isEqualTo(expected);
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void inverseUndoesForwardAndOutputsAreReduced(int n, long q) {
        Ntt ntt = ntt(n, q);
        for (long seed = 0; seed < 3; seed++) {
            long[] a = random(n, q, seed * 31 + q);
            if (seed == 0) {
                java.util.Arrays.fill(a, q - 1);
            }
            long[] f = a.clone();
            ntt.forward(f);
            for (long v : f) {
                assertThat(v).isBetween(0L, q - 1);
            }
            ntt.inverse(f);
            assertThat(f).isEqualTo(a);
        }
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void forwardLazyIsCongruentToForwardAndBelowFourQ(int n, long q) {
        Ntt ntt = ntt(n, q);
        SplittableRandom r = new SplittableRandom(q * 7 + n);
        long[] a = random(n, q, q * 3 + n);
        long[] expected = a.clone();
        ntt.forward(expected);
        // the lazy transform accepts inputs in [0, 2q): add q to a random half of the entries
        long[] lazy = a.clone();
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                lazy[i] += q;
            }
        }
        ntt.forwardLazy(lazy);
        for (int i = 0; i < n; i++) {
            assertThat(lazy[i]).isBetween(0L, 4 * q - 1);
            assertThat(lazy[i] % q).as("index %d", i).isEqualTo(expected[i]);
        }
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @MethodSource("cases")
    void inverseAcceptsInputsBelowTwoQ(int n, long q) {
        Ntt ntt = ntt(n, q);
        long[] a = random(n, q, q * 5 + n);
        long[] f = a.clone();
        ntt.forward(f);
        for (int i = 0; i < n; i += 2) {
            f[i] += q;
        }
        ntt.inverse(f);
        assertThat(f).isEqualTo(a);
    }

    @Test
    void bitReverse() {
        assertThat(Ntt.bitReverse(1, 3)).isEqualTo(4);
        assertThat(Ntt.bitReverse(6, 3)).isEqualTo(3);
        assertThat(Ntt.bitReverse(0, 0)).isZero();
        assertThat(Ntt.bitReverse(1, 12)).isEqualTo(2048);
    }

    @Test
    void rejectsBadDegreesAndPrimesThatAreNotOneMod2N() {
        Modulus q = new Modulus(12289); // 1 mod 4096 but not 1 mod 8192
        assertThatThrownBy(() -> new Ntt(q, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ntt(q, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ntt(q, 12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ntt(q, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Ntt(q, 2048).degree()).isEqualTo(2048);
    }

    /**
     * The floating-point transforms (primes below 2^50, N ≥ 64) against the integer ones, fully reduced, for every
     * ring size they serve, primes at both ends of their range and inputs up to 4q − 1 (the forward lazy contract;
     * the inverse takes [0, 2q)), including the extremes that make intermediate values largest.
     */
    private static long[] reduced(long[] a, long q) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] % q;
        }
        return out;
    }

    @Test
    void vectorizedTransformsEqualIntegerTransforms() {
        for (int logN = VectorizedNtt.MIN_LOG_N; logN <= 17; logN++) {
            int n = 1 << logN;
            List<Long> primes = new ArrayList<>(Primes.nttPrimes(VectorizedNtt.MAX_MODULUS_BITS, 1, n, Set.of()));
            primes.add(Primes.nttPrimes(VectorizedNtt.NARROW_MODULUS_BITS, 1, n, Set.of()).get(0));
            primes.add(Primes.nttPrimes(VectorizedNtt.NARROW_MODULUS_BITS + 1, 1, n, Set.of()).get(0));
            primes.add(Primes.nttPrimes(49, 1, n, Set.of()).get(0));
            primes.add(Primes.nttPrimes(logN + 2 < 20 ? 20 : logN + 2, 1, n, Set.of()).get(0));
            primes.add(Primes.nttPrimes(40, 1, n, Set.of()).get(0));
            for (long q : primes) {
                assertThat(VectorizedNtt.supports(q, logN)).isTrue();
                Ntt ntt = new Ntt(new Modulus(q), n);
                SplittableRandom r = new SplittableRandom(q ^ logN);
                long[][] inputs = new long[5][n];
                for (int i = 0; i < n; i++) {
                    inputs[0][i] = r.nextLong(4 * q);
                    inputs[1][i] = 4 * q - 1;
                    inputs[2][i] = (i & 1) == 0 ? 4 * q - 1 : 0;
                    inputs[3][i] = r.nextBoolean() ? 4 * q - 1 - r.nextInt(3) : r.nextInt(3);
                    inputs[4][i] = r.nextLong(q);
                }
                for (long[] in : inputs) {
                    long[] expected = in.clone();
                    ntt.forwardScalarLazy(expected);
                    for (int i = 0; i < n; i++) {
                        expected[i] %= q;
                    }
                    long[] lazy = in.clone();
                    ntt.forwardLazy(lazy);
                    long[] full = in.clone();
                    ntt.forward(full);
                    assertThat(lazy).as("N = 2^%d, q = %d", logN, q).isEqualTo(expected);
                    assertThat(full).isEqualTo(expected);
                    long[] inv = new long[n];
                    for (int i = 0; i < n; i++) {
                        inv[i] = in[i] % (2 * q);
                    }
                    long[] expectedInv = inv.clone();
                    ntt.inverseScalar(expectedInv);
                    ntt.inverse(inv);
                    assertThat(inv).as("inverse, N = 2^%d, q = %d", logN, q).isEqualTo(expectedInv);
                    ntt.inverse(full);
                    assertThat(full).as("round trip").isEqualTo(reduced(in, q));
                }
            }
        }
        assertThat(VectorizedNtt.supports(1L << 50, 14)).isFalse();
        assertThat(VectorizedNtt.supports(Primes.nttPrimes(40, 1, 32, Set.of()).get(0), 5)).isFalse();
    }
}
