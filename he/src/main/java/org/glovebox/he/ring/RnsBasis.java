package org.glovebox.he.ring;

import java.util.Arrays;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.math.Ntt;

/**
 * An ordered list of distinct NTT-friendly primes with their transform tables: the ring Z_{q0·q1·…}[X]/(X^N + 1).
 *
 * <p>Element-wise operations act on the first {@code out.limbCount()} limbs, so one basis serves every level of a
 * modulus chain. Operands must hold reduced residues; results are reduced. Immutable and thread-safe.
 */
public final class RnsBasis {
    private final int n;
    private final Modulus[] moduli;
    private final Ntt[] ntts;

    public RnsBasis(int n, long[] primes) {
        this.n = n;
        this.moduli = new Modulus[primes.length];
        this.ntts = new Ntt[primes.length];
        for (int i = 0; i < primes.length; i++) {
            moduli[i] = new Modulus(primes[i]);
            ntts[i] = new Ntt(moduli[i], n);
        }
    }

    public int degree() {
        return n;
    }

    public int size() {
        return moduli.length;
    }

    public Modulus modulus(int i) {
        return moduli[i];
    }

    public Ntt ntt(int i) {
        return ntts[i];
    }

    /** The first {@code count} moduli. */
    public Modulus[] moduli(int count) {
        return Arrays.copyOf(moduli, count);
    }

    /** A zero polynomial over the first {@code limbs} primes. */
    public RnsPoly newPoly(int limbs) {
        if (limbs > moduli.length) {
            throw new IllegalArgumentException("basis has " + moduli.length + " primes, asked for " + limbs);
        }
        return new RnsPoly(n, limbs);
    }

    public void ntt(RnsPoly a, Parallelism par) {
        par.forEach(a.limbCount(), i -> ntts[i].forward(a.limb(i)));
    }

    public void intt(RnsPoly a, Parallelism par) {
        par.forEach(a.limbCount(), i -> ntts[i].inverse(a.limb(i)));
    }

    public void add(RnsPoly a, RnsPoly b, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long q = moduli[i].value();
            long[] x = a.limb(i);
            long[] y = b.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                long s = x[j] + y[j] - q;
                z[j] = s + ((s >> 63) & q);
            }
        }
    }

    public void sub(RnsPoly a, RnsPoly b, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long q = moduli[i].value();
            long[] x = a.limb(i);
            long[] y = b.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                long s = x[j] - y[j];
                z[j] = s + ((s >> 63) & q);
            }
        }
    }

    public void neg(RnsPoly a, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long q = moduli[i].value();
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                long v = x[j];
                z[j] = v == 0 ? 0 : q - v;
            }
        }
    }

    /** out = a ⊙ b (element-wise, i.e. polynomial product when both are in the NTT domain). */
    public void mul(RnsPoly a, RnsPoly b, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = moduli[i];
            long[] x = a.limb(i);
            long[] y = b.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                z[j] = m.mul(x[j], y[j]);
            }
        }
    }

    /** acc += a ⊙ b. */
    public void mulAdd(RnsPoly a, RnsPoly b, RnsPoly acc) {
        for (int i = 0; i < acc.limbCount(); i++) {
            Modulus m = moduli[i];
            long q = m.value();
            long[] x = a.limb(i);
            long[] y = b.limb(i);
            long[] z = acc.limb(i);
            for (int j = 0; j < n; j++) {
                long s = z[j] + m.mul(x[j], y[j]) - q;
                z[j] = s + ((s >> 63) & q);
            }
        }
    }

    /** out = a · c where c[i] is a residue modulo the i-th prime. */
    public void mulScalar(RnsPoly a, long[] c, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = moduli[i];
            long w = m.reduce(c[i]);
            long ws = m.shoup(w);
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                z[j] = m.mulShoup(x[j], w, ws);
            }
        }
    }

    /** out = a + c where c[i] is a residue modulo the i-th prime, added to every evaluation (NTT domain). */
    public void addScalarNtt(RnsPoly a, long[] c, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = moduli[i];
            long w = m.reduce(c[i]);
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                z[j] = m.add(x[j], w);
            }
        }
    }

    /** Writes signed coefficients (e.g. a ternary secret, a Gaussian error or flooding noise) into every limb. */
    public void setSigned(long[] coeffs, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            Modulus m = moduli[i];
            long q = m.value();
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                long v = coeffs[j];
                long r = v + ((v >> 63) & q);
                z[j] = r >= 0 && r < q ? r : m.reduce(v);
            }
        }
    }

    /** Applies X -> X^g to a polynomial in coefficient form (g odd). */
    public void automorphismCoeff(RnsPoly a, int g, RnsPoly out) {
        int mask = 2 * n - 1;
        for (int i = 0; i < out.limbCount(); i++) {
            long q = moduli[i].value();
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                int k = (int) (((long) j * g) & mask);
                long v = x[j];
                if (k < n) {
                    z[k] = v;
                } else {
                    z[k - n] = v == 0 ? 0 : q - v;
                }
            }
        }
    }

    /** Applies a precomputed NTT-domain automorphism permutation: out[j] = a[perm[j]] on every limb. */
    public void permuteNtt(RnsPoly a, int[] perm, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            for (int j = 0; j < n; j++) {
                z[j] = x[perm[j]];
            }
        }
    }

    /**
     * The permutation that applies X -> X^g in the NTT domain of {@link Ntt}: index j evaluates at psi^(2·rev(j)+1),
     * so the automorphism maps it to the index evaluating at psi^((2·rev(j)+1)·g).
     */
    public static int[] nttAutomorphismPermutation(int n, int g) {
        int logN = Integer.numberOfTrailingZeros(n);
        int mask = 2 * n - 1;
        int[] perm = new int[n];
        for (int j = 0; j < n; j++) {
            int e = 2 * Ntt.bitReverse(j, logN) + 1;
            int eg = (int) (((long) e * g) & mask);
            perm[j] = Ntt.bitReverse((eg - 1) >> 1, logN);
        }
        return perm;
    }
}
