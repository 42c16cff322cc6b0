package org.glovebox.he.ckks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.Test;

/** Internal consistency of the key-switching building blocks. */
class KeySwitcherTest {

    private static QPPoly randomQP(Parameters params, KeySwitcher ks, int level, SplittableRandom r) {
        QPPoly x = ks.newQP(level);
        fill(params.ringQ(), x.q(), r);
        fill(params.ringP(), x.p(), r);
        return x;
    }

    private static void fill(RnsBasis basis, RnsPoly poly, SplittableRandom r) {
        for (int i = 0; i < poly.limbCount(); i++) {
            long q = basis.modulus(i).value();
            long[] z = poly.limb(i);
            for (int c = 0; c < z.length; c++) {
                z[c] = r.nextLong(q);
            }
        }
    }

    @Test
    void modDownWithCoefficientErrorEqualsModDownOfTransformedError() {
        Parameters params = TestSupport.smallParams();
        KeySwitcher ks = KeySwitcher.of(params);
        SplittableRandom r = new SplittableRandom(7);
        for (int level : new int[] {params.maxLevel(), 1, 0}) {
            QPPoly x = randomQP(params, ks, level, r);
            long[] e = new long[params.n()];
            for (int c = 0; c < e.length; c++) {
                e[c] = r.nextLong(-19, 20);
            }
            e[0] = 19;
            e[1] = -19;
            QPPoly withE = x.copy();
            RnsPoly eq = params.ringQ().newPoly(level + 1);
            RnsPoly ep = params.ringP().newPoly(params.specialPrimeCount());
            params.ringQ().setSigned(e, eq);
            params.ringP().setSigned(e, ep);
            params.ringQ().ntt(eq, Parallelism.SERIAL);
            params.ringP().ntt(ep, Parallelism.SERIAL);
            params.ringQ().add(withE.q(), eq, withE.q());
            params.ringP().add(withE.p(), ep, withE.p());
            RnsPoly expected = ks.modDown(withE, level, Parallelism.SERIAL);
            RnsPoly actual = ks.modDown(x, level, e, Parallelism.SERIAL);
            for (int j = 0; j <= level; j++) {
                assertArrayEquals(expected.limb(j), actual.limb(j), "level " + level + " limb " + j);
            }
        }
    }
}
