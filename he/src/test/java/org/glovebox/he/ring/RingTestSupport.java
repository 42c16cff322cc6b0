package org.glovebox.he.ring;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.math.Primes;

/** BigInteger reference arithmetic for RNS tests. */
final class RingTestSupport {
    private RingTestSupport() {
    }

    static Modulus[] moduli(int n, int... bits) {
        Modulus[] out = new Modulus[bits.length];
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (int i = 0; i < bits.length; i++) {
            List<Long> p = Primes.nttPrimes(bits[i], 1, n, used);
            used.add(p.get(0));
            out[i] = new Modulus(p.get(0));
        }
        return out;
    }

    static long[] values(Modulus[] m) {
        long[] v = new long[m.length];
        for (int i = 0; i < m.length; i++) {
            v[i] = m[i].value();
        }
        return v;
    }

    static BigInteger product(Modulus[] m) {
        BigInteger p = BigInteger.ONE;
        for (Modulus x : m) {
            p = p.multiply(BigInteger.valueOf(x.value()));
        }
        return p;
    }

    /** The integer in [0, prod) with the given residues (BigInteger CRT). */
    static BigInteger crt(long[] residues, Modulus[] m) {
        BigInteger big = product(m);
        BigInteger r = BigInteger.ZERO;
        for (int i = 0; i < m.length; i++) {
            BigInteger mi = BigInteger.valueOf(m[i].value());
            BigInteger hat = big.divide(mi);
            r = r.add(hat.multiply(BigInteger.valueOf(residues[i]).multiply(hat.modInverse(mi)).mod(mi)));
        }
        return r.mod(big);
    }

    /** The representative in (-prod/2, prod/2]. */
    static BigInteger centered(BigInteger x, BigInteger prod) {
        BigInteger r = x.mod(prod);
        return r.compareTo(prod.shiftRight(1)) > 0 ? r.subtract(prod) : r;
    }

    static long mod(BigInteger x, Modulus m) {
        return x.mod(BigInteger.valueOf(m.value())).longValue();
    }

    static Set<Long> none() {
        return Set.of();
    }
}
