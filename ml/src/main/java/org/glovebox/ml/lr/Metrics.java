package org.glovebox.ml.lr;

import java.util.Arrays;
import java.util.Comparator;

/** Evaluation of binary classifiers: area under the ROC curve and accuracy. */
public final class Metrics {
    private Metrics() {
    }

    /** AUC by the Mann–Whitney statistic (ties count one half). */
    public static double auc(double[] scores, int[] labels) {
        int n = scores.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("one label per score");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Share of correct predictions with logit > 0 meaning class 1. */
    public static double accuracy(double[] logits, int[] labels) {
        int ok = 0;
        for (int i = 0; i < logits.length; i++) {
            ok += (logits[i] > 0 ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return (double) ok / logits.length;
    }
}
