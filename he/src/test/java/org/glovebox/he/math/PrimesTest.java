package org.glovebox.he.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrimesTest {
    private static boolean reference(long n) {
        return n >= 2 && BigInteger.valueOf(n).isProbablePrime(100);
    }

    @Test
    void isPrimeMatchesBigIntegerOnAllSmallNumbers() {
        for (long n = -20; n <= 50_000; n++) {
            assertThat(Primes.isPrime(n)).as("%d", n).isEqualTo(reference(n));
        }
    }

    @Test
    void isPrimeMatchesBigIntegerOnRandomNumbersOfEverySize() {
        SplittableRandom r = new SplittableRandom(42);
        for (int bits = 10; bits <= 61; bits++) {
            long lo = 1L << (bits - 1);
            for (int i = 0; i < 200; i++) {
                long n = lo + r.nextLong(lo) | 1;
                if (64 - Long.numberOfLeadingZeros(n) > 61) {
                    continue;
                }
                assertThat(Primes.isPrime(n)).as("%d", n).isEqualTo(reference(n));
            }
        }
    }

    @Test
    void isPrimeRejectsStrongPseudoprimesCarmichaelNumbersSemiprimesAndSquares() {
        long[] composites = {
            561, 1105, 1729, 2465, 41041, 825265, // Carmichael numbers
            2047, 1373653, 25326001, 3215031751L, 2152302898747L, 3474749660383L, 341550071728321L, // strong pseudoprimes
            1_000_000_007L * 998_244_353L, // semiprime of two well-known primes (~2^60)
            46_337L * 46_337L, // square of a prime
            ((1L << 30) - 35) * ((1L << 30) - 35), // square of the prime 2^30 - 35
            (1L << 61) - 3, // 61-bit composite
        };
        for (long n : composites) {
            assertThat(reference(n)).as("reference for %d", n).isFalse();
            assertThat(Primes.isPrime(n)).as("%d", n).isFalse();
        }
        long[] primes = {2, 3, 37, 41, 1_000_000_007L, 998_244_353L, (1L << 61) - 1, (1L << 31) - 1, 2305843009213693921L};
        for (long p : primes) {
            assertThat(Primes.isPrime(p)).as("%d", p).isEqualTo(reference(p));
        }
        assertThat(Primes.isPrime((1L << 61) - 1)).isTrue();
    }

    @ParameterizedTest(name = "{1} primes of {0} bits, N={2}")
    @CsvSource({"61, 4, 65536", "61, 3, 131072", "60, 20, 32768", "55, 6, 16384", "50, 5, 16384", "49, 2, 16384",
        "40, 18, 32768", "30, 3, 4096", "20, 2, 1024", "10, 1, 2"})
    void nttPrimesAreDistinctPrimesOfTheRightSizeCongruentToOneMod2N(int bits, int count, int n) {
        List<Long> primes = Primes.nttPrimes(bits, count, n, Set.of());
        assertThat(primes).hasSize(count).doesNotHaveDuplicates();
        long m = 2L * n;
        for (long q : primes) {
            assertThat(q % m).as("%d mod 2N", q).isEqualTo(1);
            assertThat(64 - Long.numberOfLeadingZeros(q)).as("bit size of %d", q).isEqualTo(bits);
            assertThat(reference(q)).as("%d is prime", q).isTrue();
        }
        // largest first, and none skipped: every prime = 1 mod 2N between the smallest returned one and 2^bits is listed
        assertThat(primes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        Set<Long> listed = new HashSet<>(primes);
        long smallest = primes.get(primes.size() - 1);
        for (long c = (1L << bits) + 1 - m; c >= smallest; c -= m) {
            assertThat(listed.contains(c)).as("candidate %d", c).isEqualTo(reference(c));
        }
    }

    @Test
    void nttPrimesAreDeterministicAndHonourExclusions() {
        List<Long> first = Primes.nttPrimes(50, 4, 1 << 14, Set.of());
        assertThat(Primes.nttPrimes(50, 4, 1 << 14, Set.of())).isEqualTo(first);
        List<Long> without = Primes.nttPrimes(50, 3, 1 << 14, Set.of(first.get(0), first.get(2)));
        assertThat(without).doesNotContain(first.get(0), first.get(2)).startsWith(first.get(1));
    }

    @Test
    void nttPrimesRejectUnsupportedSizesAndExhaustion() {
        assertThatThrownBy(() -> Primes.nttPrimes(9, 1, 16, Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Primes.nttPrimes(62, 1, 16, Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Primes.nttPrimes(12, 5, 1024, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not enough");
    }

    @Test
    void primitiveRoot2NHasOrderExactly2N() {
        for (int n : new int[] {2, 16, 1 << 12, 1 << 16}) {
            long q = Primes.nttPrimes(61, 1, n, Set.of()).get(0);
            Modulus m = new Modulus(q);
            long psi = Primes.primitiveRoot2N(m, n);
            assertThat(m.pow(psi, n)).isEqualTo(q - 1);
            assertThat(m.pow(psi, 2L * n)).isEqualTo(1);
        }
        assertThatThrownBy(() -> Primes.primitiveRoot2N(new Modulus(12289), 8192))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
