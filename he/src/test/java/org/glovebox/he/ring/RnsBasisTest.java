package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.glovebox.he.math.Modulus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RNS polynomial arithmetic and automorphisms against coefficient-domain references. */
class RnsBasisTest {
    private static RnsBasis basis(int n, int... bits) {
        return new RnsBasis(n, RingTestSupport.values(RingTestSupport.moduli(n, bits)));
    }

    private static RnsPoly random(RnsBasis b, int limbs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RnsPoly p = b.newPoly(limbs);
        for (int i = 0; i < limbs; i++) {
            long q = b.modulus(i).value();
            for (int c = 0; c < b.degree(); c++) {
                p.limb(i)[c] = r.nextLong(q);
            }
        }
        return p;
    }

    private static int[] galoisElements(int n) {
        int m = 2 * n;
        long five = 1;
        java.util.List<Integer> gs = new java.util.ArrayList<>();
        for (int k = 0; k < 6; k++) {
            gs.add((int) five);
            five = five * 5 % m;
        }
        gs.add(m - 1); // conjugation
        gs.add(3);
        gs.add((int) (5L * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 % m)); // 5^11
        gs.add(m - 5); // conjugation composed with a rotation
        return gs.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest(name = "N={0}")
    @CsvSource({"4", "16", "64", "2048"})
    void nttAutomorphismPermutationMatchesCoefficientAutomorphism(int n) {
        RnsBasis b = basis(n, 61, 40, 50);
        for (int g : galoisElements(n)) {
            RnsPoly a = random(b, 3, g * 31L + n);
            RnsPoly viaCoeff = b.newPoly(3);
            b.automorphismCoeff(a, g, viaCoeff);
            b.ntt(viaCoeff, Parallelism.SERIAL);
            RnsPoly ntt = a.copy();
            b.ntt(ntt, Parallelism.SERIAL);
            RnsPoly viaPerm = b.newPoly(3);
            b.permuteNtt(ntt, RnsBasis.nttAutomorphismPermutation(n, g), viaPerm);
            for (int i = 0; i < 3; i++) {
                assertThat(viaPerm.limb(i)).as("g=%d, limb %d", g, i).isEqualTo(viaCoeff.limb(i));
            }
        }
    }

    @Test
    void automorphismCoeffMatchesTheDefinition() {
        int n = 32;
        RnsBasis b = basis(n, 40, 61);
        for (int g : galoisElements(n)) {
            RnsPoly a = random(b, 2, g);
            RnsPoly out = b.newPoly(2);
            b.automorphismCoeff(a, g, out);
            for (int i = 0; i < 2; i++) {
                Modulus m = b.modulus(i);
                long[] expected = new long[n];
                for (int j = 0; j < n; j++) {
                    long e = (long) j * g % (2L * n); // X^j -> X^(jg) = ± X^(jg mod N) since X^N = -1
                    long v = a.limb(i)[j];
                    if (e < n) {
                        expected[(int) e] = m.add(expected[(int) e], v);
                    } else {
                        expected[(int) (e - n)] = m.sub(expected[(int) (e - n)], v);
                    }
                }
                assertThat(out.limb(i)).as("g=%d", g).isEqualTo(expected);
            }
        }
    }

    @Test
    void automorphismPermutationsAreBijectionsAndCompose() {
        int n = 1024;
        int m = 2 * n;
        for (int g1 : galoisElements(n)) {
            int[] p1 = RnsBasis.nttAutomorphismPermutation(n, g1);
            assertThat(IntStream.of(p1).sorted().toArray()).isEqualTo(IntStream.range(0, n).toArray());
            for (int g2 : new int[] {5, m - 1, 25}) {
                int[] p2 = RnsBasis.nttAutomorphismPermutation(n, g2);
                int[] p12 = RnsBasis.nttAutomorphismPermutation(n, (int) ((long) g1 * g2 % m));
                // out[j] = in[perm[j]]: applying g2 then g1 reads in[p2[p1[j]]]
                for (int j = 0; j < n; j++) {
                    assertThat(p12[j]).isEqualTo(p2[p1[j]]);
                }
            }
        }
        assertThat(RnsBasis.nttAutomorphismPermutation(n, 1)).isEqualTo(IntStream.range(0, n).toArray());
    }

    @Test
    void elementWiseOperationsMatchBigInteger() {
        int n = 64;
        RnsBasis b = basis(n, 61, 60, 30);
        RnsPoly x = random(b, 3, 1);
        RnsPoly y = random(b, 3, 2);
        x.limb(0)[0] = b.modulus(0).value() - 1;
        y.limb(0)[0] = b.modulus(0).value() - 1;
        RnsPoly add = b.newPoly(3);
        RnsPoly sub = b.newPoly(3);
        RnsPoly neg = b.newPoly(3);
        RnsPoly mul = b.newPoly(3);
        RnsPoly acc = random(b, 3, 3);
        RnsPoly acc0 = acc.copy();
        b.add(x, y, add);
        b.sub(x, y, sub);
        b.neg(x, neg);
        b.mul(x, y, mul);
        b.mulAdd(x, y, acc);
        long[] scalars = {-7, 1L << 62, 123456789};
        RnsPoly ms = b.newPoly(3);
        b.mulScalar(x, scalars, ms);
        RnsPoly as = b.newPoly(3);
        b.addScalarNtt(x, scalars, as);
        for (int i = 0; i < 3; i++) {
            BigInteger q = BigInteger.valueOf(b.modulus(i).value());
            for (int c = 0; c < n; c++) {
                BigInteger u = BigInteger.valueOf(x.limb(i)[c]);
                BigInteger v = BigInteger.valueOf(y.limb(i)[c]);
                BigInteger s = BigInteger.valueOf(scalars[i]);
                assertThat(add.limb(i)[c]).isEqualTo(u.add(v).mod(q).longValue());
                assertThat(sub.limb(i)[c]).isEqualTo(u.subtract(v).mod(q).longValue());
                assertThat(neg.limb(i)[c]).isEqualTo(u.negate().mod(q).longValue());
                assertThat(mul.limb(i)[c]).isEqualTo(u.multiply(v).mod(q).longValue());
                assertThat(acc.limb(i)[c])
                        .isEqualTo(u.multiply(v).add(BigInteger.valueOf(acc0.limb(i)[c])).mod(q).longValue());
                assertThat(ms.limb(i)[c]).isEqualTo(u.multiply(s).mod(q).longValue());
                assertThat(as.limb(i)[c]).isEqualTo(u.add(s).mod(q).longValue());
            }
        }
    }

    @Test
    void setSignedReducesAnySignedValue() {
        int n = 16;
        RnsBasis b = basis(n, 61, 20);
        long[] coeffs = {0, 1, -1, 3, -3, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 61, -(1L << 61), b.modulus(1).value(),
            -b.modulus(1).value(), b.modulus(0).value() - 1, 1 - b.modulus(0).value(), 42, -42, 7};
        RnsPoly out = b.newPoly(2);
        b.setSigned(coeffs, out);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < n; c++) {
                assertThat(out.limb(i)[c]).as("limb %d, %d", i, coeffs[c])
                        .isEqualTo(Math.floorMod(coeffs[c], b.modulus(i).value()));
            }
        }
    }

    @Test
    void nttDomainProductIsTheNegacyclicProductOnEveryLimbSerialAndParallel() {
        int n = 128;
        RnsBasis b = basis(n, 61, 45, 50, 33);
        RnsPoly x = random(b, 4, 10);
        RnsPoly y = random(b, 4, 11);
        for (Parallelism par : new Parallelism[] {Parallelism.SERIAL, Parallelism.threads(2)}) {
            RnsPoly fx = x.copy();
            RnsPoly fy = y.copy();
            b.ntt(fx, par);
            b.ntt(fy, par);
            RnsPoly prod = b.newPoly(4);
            b.mul(fx, fy, prod);
            b.intt(prod, par);
            for (int i = 0; i < 4; i++) {
                Modulus m = b.modulus(i);
                long[] expected = new long[n];
                for (int s = 0; s < n; s++) {
                    for (int t = 0; t < n; t++) {
                        long p = m.mul(x.limb(i)[s], y.limb(i)[t]);
                        int k = s + t;
                        expected[k % n] = k < n ? m.add(expected[k], p) : m.sub(expected[k - n], p);
                    }
                }
                assertThat(prod.limb(i)).as("%s, limb %d", par, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void polyContainersAndLimits() {
        RnsBasis b = basis(8, 40, 41);
        assertThat(b.degree()).isEqualTo(8);
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.moduli(1)).containsExactly(b.modulus(0));
        assertThatThrownBy(() -> b.newPoly(3)).isInstanceOf(IllegalArgumentException.class);
        RnsPoly p = random(b, 2, 5);
        RnsPoly c = p.copyLimbs(1);
        assertThat(c.limbCount()).isEqualTo(1);
        assertThat(c.limb(0)).isEqualTo(p.limb(0)).isNotSameAs(p.limb(0));
        p.clear();
        assertThat(p.limb(1)).containsOnly(0L);
        assertThatThrownBy(() -> new RnsPoly(new long[][] {new long[4], new long[5]}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RnsPoly(8, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
