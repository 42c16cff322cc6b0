package org.glovebox.federated.learn;

/**
 * Validation counts that can be summed across hospitals: sample count, correct predictions at 0.5, total log loss,
 * and histograms of predicted probabilities for positives and negatives (B equal bins on [0, 1]). Accuracy, mean loss
 * and AUC follow from the sums; the AUC from histograms counts pairs in the same bin as ties (half), so it is within
 * the within-bin tie mass of the exact AUC.
 */
public record Evaluation(long count, long correct, double lossSum, long[] positives, long[] negatives) {
    public static final int BINS = 100;

    public static Evaluation of(Model model, double[] params, double[][] x, double[] y) {
        long[] pos = new long[BINS];
        long[] neg = new long[BINS];
        long correct = 0;
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double p = model.predict(params, x[i]);
            int bin = Math.min(BINS - 1, (int) (p * BINS));
            boolean positive = y[i] > 0.5;
            if (positive) {
                pos[bin]++;
            } else {
                neg[bin]++;
            }
            if ((p >= 0.5) == positive) {
                correct++;
            }
            loss += Model.logLoss(p, y[i]);
        }
        return new Evaluation(x.length, correct, loss, pos, neg);
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double auc() {
        return aucFromHistograms(positives, negatives);
    }

    public static double aucFromHistograms(long[] pos, long[] neg) {
        double p = 0;
        double n = 0;
        for (int b = 0; b < pos.length; b++) {
            p += pos[b];
            n += neg[b];
        }
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        double below = 0;
        double s = 0;
        for (int b = 0; b < pos.length; b++) {
            s += pos[b] * (below + 0.5 * neg[b]);
            below += neg[b];
        }
        return s / (p * n);
    }

    /** Exact AUC (Mann–Whitney with ties as half) of scores against 0/1 labels. */
    public static double exactAuc(double[] scores, double[] labels) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] > 0.5) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
