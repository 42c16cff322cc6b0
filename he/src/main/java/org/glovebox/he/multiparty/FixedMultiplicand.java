package org.glovebox.he.multiparty;

import java.math.BigInteger;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * A polynomial (NTT domain) that multiplies many others, e.g. a party's secret share in every digit of a key share:
 * its Shoup quotients are computed once, so each product costs one high multiplication instead of a Barrett
 * reduction. Keeps a reference to the polynomial (which must not change while this is in use); the Shoup quotients
 * are secret when the polynomial is: {@link #clear()} erases them.
 */
final class FixedMultiplicand {
    private final RnsBasis basis;
    private final long[][] w;
    private final long[][] ws;

    FixedMultiplicand(RnsBasis basis, RnsPoly s) {
        this.basis = basis;
        int limbs = s.limbCount();
        w = new long[limbs][];
        ws = new long[limbs][];
        for (int i = 0; i < limbs; i++) {
            Modulus m = basis.modulus(i);
            long q = m.value();
            BigInteger r = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(q));
            long rHi = r.shiftRight(64).longValue();
            long rLo = r.longValue();
            long[] x = s.limb(i);
            long[] sh = new long[x.length];
            for (int j = 0; j < x.length; j++) {
                long v = x[j];
                long qhat = v * rHi + Math.unsignedMultiplyHigh(v, rLo);
                long rem = -(qhat * q);
                while (Long.compareUnsigned(rem, q) >= 0) {
                    rem -= q;
                    qhat++;
                }
                sh[j] = qhat;
            }
            w[i] = x;
            ws[i] = sh;
        }
    }

    /** out = a · this over out's limbs. */
    void mul(RnsPoly a, RnsPoly out) {
        for (int i = 0; i < out.limbCount(); i++) {
            long q = basis.modulus(i).value();
            long[] x = a.limb(i);
            long[] z = out.limb(i);
            long[] wi = w[i];
            long[] si = ws[i];
            for (int j = 0; j < z.length; j++) {
                long r = x[j] * wi[j] - Math.unsignedMultiplyHigh(x[j], si[j]) * q;
                r -= q;
                z[j] = r + ((r >> 63) & q);
            }
        }
    }

    /** acc = acc + a · this. */
    void mulAdd(RnsPoly a, RnsPoly acc) {
        for (int i = 0; i < acc.limbCount(); i++) {
            long q = basis.modulus(i).value();
            long[] x = a.limb(i);
            long[] z = acc.limb(i);
            long[] wi = w[i];
            long[] si = ws[i];
            for (int j = 0; j < z.length; j++) {
                long r = x[j] * wi[j] - Math.unsignedMultiplyHigh(x[j], si[j]) * q;
                r -= q;
                r += (r >> 63) & q;
                long s = z[j] + r - q;
                z[j] = s + ((s >> 63) & q);
            }
        }
    }

    /** acc = acc - a · this. */
    void mulSub(RnsPoly a, RnsPoly acc) {
        for (int i = 0; i < acc.limbCount(); i++) {
            long q = basis.modulus(i).value();
            long[] x = a.limb(i);
            long[] z = acc.limb(i);
            long[] wi = w[i];
            long[] si = ws[i];
            for (int j = 0; j < z.length; j++) {
                long r = x[j] * wi[j] - Math.unsignedMultiplyHigh(x[j], si[j]) * q;
                r -= q;
                r += (r >> 63) & q;
                long s = z[j] - r;
                z[j] = s + ((s >> 63) & q);
            }
        }
    }

    void clear() {
        for (long[] l : ws) {
            java.util.Arrays.fill(l, 0);
        }
    }
}
