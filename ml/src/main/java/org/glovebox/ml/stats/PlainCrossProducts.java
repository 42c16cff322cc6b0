package org.glovebox.ml.stats;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The plaintext twin of {@link EncryptedCrossProducts}: the same pairwise sums on clear columns (NaN = missing). */
public final class PlainCrossProducts {
    private PlainCrossProducts() {
    }

    public static CrossProducts compute(List<String> names, List<double[]> columns) {
        Map<Long, PairSums> sums = new HashMap<>();
        for (int a = 0; a < names.size(); a++) {
            for (int b = a; b < names.size(); b++) {
                double[] xa = columns.get(a);
                double[] xb = columns.get(b);
                long n = 0;
                double sa = 0;
                double sb = 0;
                double sab = 0;
                double saa = 0;
                double sbb = 0;
                for (int r = 0; r < xa.length; r++) {
                    if (!Double.isNaN(xa[r]) && !Double.isNaN(xb[r])) {
                        n++;
                        sa += xa[r];
                        sb += xb[r];
                        sab += xa[r] * xb[r];
                        saa += xa[r] * xa[r];
                        sbb += xb[r] * xb[r];
                    }
                }
                sums.put(CrossProducts.key(a, b), new PairSums(n, sa, sb, sab, saa, sbb));
            }
        }
        return new CrossProducts(names, sums);
    }
}
