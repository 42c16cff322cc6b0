package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;

/**
 * The untrusted party's side: computes per-column aggregates of an {@link EncryptedTable} with public material only
 * (an {@link Evaluator} holding the relinearization key and the Galois keys of
 * {@link #requiredRotationSteps(Parameters)}). It never sees a secret key and cannot decrypt what it computes.
 *
 * <p>For each column it adds the ciphertexts slot-wise and folds all slots into each slot by rotations (inner sum),
 * giving Σx + i·n; for the variance it also sums the squares (one multiplication per ciphertext, relinearized and
 * rescaled once per column).
 */
public final class EncryptedStatistics {
    private final Evaluator evaluator;

    public EncryptedStatistics(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** The rotation steps whose Galois keys the computation needs. */
    public static int[] requiredRotationSteps(Parameters params) {
        return Evaluator.innerSumSteps(1, params.maxSlots());
    }

    public EncryptedStatisticsResult compute(EncryptedTable table, Statistic statistic) {
        if (!evaluator.parameters().sameAs(table.parameters())) {
            throw new IllegalArgumentException("the table was encrypted under a different parameter set");
        }
        int slots = table.parameters().maxSlots();
        List<Ciphertext> totals = new ArrayList<>();
        List<Ciphertext> squares = new ArrayList<>();
        for (int c = 0; c < table.names().size(); c++) {
            Ciphertext[] cts = table.column(c);
            Ciphertext total = cts[0];
            for (int k = 1; k < cts.length; k++) {
                total = evaluator.add(total, cts[k]);
            }
            totals.add(evaluator.innerSum(total, 1, slots));
            if (statistic.needsSquares()) {
                Ciphertext sq = evaluator.square(cts[0]);
                for (int k = 1; k < cts.length; k++) {
                    sq = evaluator.add(sq, evaluator.square(cts[k]));
                }
                sq = evaluator.rescale(evaluator.relinearize(sq));
                squares.add(evaluator.innerSum(sq, 1, slots));
            }
        }
        return new EncryptedStatisticsResult(table.parameters(), statistic, table.names(), totals,
                statistic.needsSquares() ? squares : null);
    }
}
