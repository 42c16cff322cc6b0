package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import org.glovebox.he.math.Primes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameters refuse insecure or malformed sets unless the loudly named test switch is used. */
class ParametersValidationTest {
    private static int[] repeat(int bits, int count) {
        int[] r = new int[count];
        Arrays.fill(r, bits);
        return r;
    }

    private static Parameters.Builder withBits(int logN, int[] q, int[] p) {
        return Parameters.builder().logN(logN).primeBits(q, p).logScale(40);
    }

    @ParameterizedTest(name = "N=2^{0}: {1} x 60-bit primes + {2} x 60-bit special")
    @CsvSource({"13, 3, 1", "14, 7, 1", "15, 14, 1", "16, 28, 2"})
    void refusesLogQpAboveTheStandardBound(int logN, int qCount, int pCount) {
        double logQp = 60.0 * (qCount + pCount);
        assertThat(logQp).isGreaterThan(SecurityStandard.maxLogQP128(logN));
        assertThatThrownBy(() -> withBits(logN, repeat(60, qCount), repeat(60, pCount)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds")
                .hasMessageContaining(String.valueOf(SecurityStandard.maxLogQP128(logN)));
    }

    @Test
    void boundIsExactAtN13() {
        // primes are just below 2^bits: 60+60+58 + 40 = 218 nominal bits is inside the bound of 218, 219 is not
        Parameters ok = withBits(13, new int[] {60, 60, 58}, new int[] {40}).build();
        assertThat(ok.logQP()).isLessThanOrEqualTo(218).isGreaterThan(217.9);
        assertThat(ok.isInsecure()).isFalse();
        assertThatThrownBy(() -> withBits(13, new int[] {60, 60, 59}, new int[] {40}).build())
                .hasMessageContaining("exceeds");
    }

    @Test
    void theStandardTableMatchesTheDesignBrief() {
        assertThat(SecurityStandard.maxLogQP128(13)).isEqualTo(218);
        assertThat(SecurityStandard.maxLogQP128(14)).isEqualTo(438);
        assertThat(SecurityStandard.maxLogQP128(15)).isEqualTo(881);
        assertThat(SecurityStandard.maxLogQP128(16)).isEqualTo(1747);
    }

    @Test
    void acceptsTwoToTheTwelveWithinItsBoundOf109BitsOnly() {
        assertThat(SecurityStandard.maxLogQP128(12)).isEqualTo(109);
        // one 60-bit chain prime and a 49-bit special prime: log QP just below 109 (the aggregation ring of federated)
        Parameters ok = withBits(12, new int[] {60}, new int[] {49}).build();
        assertThat(ok.isInsecure()).isFalse();
        assertThat(ok.logQP()).isLessThanOrEqualTo(109).isGreaterThan(108.9);
        assertThatThrownBy(() -> withBits(12, new int[] {60}, new int[] {50}).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds")
                .hasMessageContaining("109");
        assertThatThrownBy(() -> withBits(12, new int[] {60}, new int[] {60}).build())
                .hasMessageContaining("exceeds");
    }

    @ParameterizedTest(name = "logN={0}")
    @CsvSource({"2", "10", "11"})
    void refusesRingsBelowTwoToTheTwelve(int logN) {
        assertThatThrownBy(() -> withBits(logN, new int[] {20}, new int[] {20}).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128-bit")
                .hasMessageContaining("insecureForTestingOnly");
        assertThat(withBits(logN, new int[] {20}, new int[] {20}).insecureForTestingOnly().build().isInsecure()).isTrue();
    }

    @Test
    void refusesSparseSecretsWithoutTheSwitch() {
        assertThatThrownBy(() -> withBits(14, new int[] {60, 40, 40}, new int[] {60}).secretHammingWeight(192).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Hamming weight");
        Parameters p = withBits(14, new int[] {60, 40, 40}, new int[] {60}).secretHammingWeight(192)
                .insecureForTestingOnly().build();
        assertThat(p.secretHammingWeight()).isEqualTo(192);
        assertThat(p.toString()).contains("INSECURE").contains("h=192");
        assertThatThrownBy(() -> withBits(12, new int[] {30}, new int[] {30}).secretHammingWeight(5000)
                .insecureForTestingOnly().build()).hasMessageContaining("Hamming weight");
    }

    @Test
    void refusesSmallerErrorThanTheStandard() {
        assertThatThrownBy(() -> withBits(14, new int[] {60, 40}, new int[] {60}).sigma(1.0).build())
                .hasMessageContaining("sigma");
        assertThatThrownBy(() -> withBits(14, new int[] {60, 40}, new int[] {60}).sigma(0).build())
                .hasMessageContaining("sigma");
    }

    @Test
    void refusesPrimesThatAreNotNttFriendlyDuplicatedCompositeOrTooLarge() {
        int n = 1 << 13;
        long[] q = Primes.nttPrimes(40, 2, n, Set.of()).stream().mapToLong(Long::longValue).toArray();
        long p = Primes.nttPrimes(50, 1, n, Set.of()).get(0);
        // a prime that is 1 mod N but not 1 mod 2N
        long notFriendly = 0;
        for (long c = (1L << 40) + 1 + n; ; c += 2L * n) {
            if (Primes.isPrime(c)) {
                notFriendly = c;
                break;
            }
        }
        long nf = notFriendly;
        assertThat(nf % (2L * n)).isNotEqualTo(1);
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {q[0], nf}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("not 1 mod 2N");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {1_000_003}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("not 1 mod 2N");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {q[0], q[1], q[0]}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {q[0], q[1]}, new long[] {q[1]}).logScale(40).build())
                .hasMessageContaining("appears twice");
        long composite = (2L * n + 1) * (4L * n + 1); // 1 mod 2N, not prime
        assertThat(composite % (2L * n)).isEqualTo(1);
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {q[0], composite}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("is not prime");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {(1L << 62) + 1}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(new long[] {}, new long[] {p}).logScale(40).build())
                .hasMessageContaining("at least one prime");
        assertThatThrownBy(() -> Parameters.builder().logN(13).primes(q, new long[] {}).logScale(40).build())
                .hasMessageContaining("special prime");
        assertThatThrownBy(() -> Parameters.builder().logN(13).logScale(40).build())
                .hasMessageContaining("prime");
        assertThatThrownBy(() -> Parameters.builder().logN(18).primeBits(new int[] {60}, new int[] {60}).logScale(40).build())
                .hasMessageContaining("logN");
        // and the explicit primes pass once they are fine
        Parameters ok = Parameters.builder().logN(13).primes(q, new long[] {p}).logScale(40).build();
        assertThat(ok.qPrimes()).containsExactly(q);
        assertThat(ok.pPrimes()).containsExactly(p);
    }

    @ParameterizedTest(name = "scale {0}")
    @CsvSource({"1.0", "0.5", "0", "-1024", "NaN", "Infinity"})
    void refusesScalesNotAboveOne(double scale) {
        assertThatThrownBy(() -> Parameters.builder().logN(13).primeBits(new int[] {60, 40}, new int[] {60})
                .defaultScale(scale).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale");
    }

    static java.util.stream.Stream<String> names() {
        return ParameterSets.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyNamedSetValidatesAndIsWithinTheBound(String name) {
        Parameters p = ParameterSets.byName(name);
        assertThat(p.isInsecure()).isFalse();
        assertThat(p.logN()).isBetween(13, 16);
        assertThat(p.logQP()).isLessThanOrEqualTo(SecurityStandard.maxLogQP128(p.logN()));
        assertThat(p.secretHammingWeight()).isZero();
        assertThat(p.sigma()).isEqualTo(3.2);
        assertThat(p.defaultScale()).isGreaterThan(1);
        assertThat(p.toString()).doesNotContain("INSECURE");
        if (p.logN() <= 14) { // rebuilding N = 2^15 tables takes seconds
            // rebuilding it from its own primes passes validation again and gives the same set
            Parameters rebuilt = Parameters.builder().logN(p.logN()).primes(p.qPrimes(), p.pPrimes())
                    .defaultScale(p.defaultScale()).build();
            assertThat(rebuilt.sameAs(p)).isTrue();
            assertThat(rebuilt).isEqualTo(p).hasSameHashCodeAs(p);
        }
        for (long q : p.qPrimes()) {
            assertThat(q % (2L * p.n())).isEqualTo(1);
            assertThat(Primes.isPrime(q)).isTrue();
        }
        assertThat(ParameterSets.byName(name.toLowerCase(java.util.Locale.ROOT))).isSameAs(p);
    }

    @Test
    void namedSetsHaveTheDocumentedShapes() {
        assertThat(ParameterSets.n13().logN()).isEqualTo(13);
        assertThat(ParameterSets.n13().maxLevel()).isEqualTo(2);
        assertThat(ParameterSets.n14().maxLevel()).isEqualTo(7);
        assertThat(ParameterSets.n14().defaultScale()).isEqualTo(0x1p40);
        assertThat(ParameterSets.n15().maxLevel()).isEqualTo(18);
        assertThat(ParameterSets.statistics().defaultScale()).isEqualTo(0x1p55);
        assertThat(ParameterSets.byName("N14")).isSameAs(ParameterSets.n14());
        assertThatThrownBy(() -> ParameterSets.byName("N99"))
                .hasMessageContaining("unknown parameter set")
                .hasMessageContaining("N14");
    }

    @Test
    void insecureSetsSayInsecureWhenPrinted() {
        Parameters small = TestSupport.smallParams();
        assertThat(small.isInsecure()).isTrue();
        assertThat(small.toString()).contains("INSECURE");
        // the same primes without the switch are refused (N = 2^11)
        assertThatThrownBy(() -> Parameters.builder().logN(11).primes(small.qPrimes(), small.pPrimes()).logScale(40).build())
                .isInstanceOf(IllegalArgumentException.class);
        // a secure-sized set built with the switch is still flagged, and is a different set from the unflagged one
        Parameters flagged = Parameters.builder().logN(13).primeBits(new int[] {60, 40, 40}, new int[] {60}).logScale(40)
                .insecureForTestingOnly().build();
        assertThat(flagged.toString()).contains("INSECURE");
        assertThat(flagged.sameAs(ParameterSets.n13())).isFalse();
        assertThat(flagged.qPrimes()).containsExactly(ParameterSets.n13().qPrimes());
    }
}
