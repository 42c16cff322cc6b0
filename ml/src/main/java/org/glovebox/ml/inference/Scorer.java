package org.glovebox.ml.inference;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.crypto.ScaledEvaluator;
import org.glovebox.ml.lr.EncryptedLogisticModel;
import org.glovebox.ml.lr.LogisticModel;
import org.glovebox.ml.lr.RowPacking;

/**
 * Encrypted inference by the cloud with public material only: scores {@link EncryptedRecords} with
 * <ul>
 *   <li>a plaintext logistic model (COLUMNS: Σ b_j·x_j + b_0 by constant multiplications, 1 level, no rotation;
 *       ROWS: a plaintext product, log2(w) rotations and a mask that keeps only the patients' scores (not partial
 *       sums of the model), 2 levels);</li>
 *   <li>a plaintext {@link Mlp} (COLUMNS): every hidden unit by constant multiplications, the activation with the
 *       output weights folded into its coefficients: 2 levels for a degree-2 activation, 3 for degree 3;</li>
 *   <li>an {@link EncryptedLogisticModel} from training (ROWS, same keys): the records are brought to the model's
 *       scaled space with its encrypted scaling (x' = a ⊙ x + b, one level at the top), multiplied by the encrypted
 *       weights (one of the model's levels) and summed per block by rotations.</li>
 * </ul>
 * Many patients share each ciphertext: N/2 per batch in COLUMNS, N/(2w) in ROWS.
 */
public final class Scorer {
    private final Evaluator ev;
    private final ScaledEvaluator se;
    private final Parameters params;

    /** @param evaluator with the relinearization key, and for ROWS the Galois keys of {@link #rotationSteps} */
    public Scorer(Evaluator evaluator) {
        this.ev = evaluator;
        this.params = evaluator.parameters();
        this.se = new ScaledEvaluator(evaluator, new Encoder(params));
    }

    /** Rotations row-wise scoring needs (COLUMNS needs none): the powers of two below the slot count. */
    public static int[] rotationSteps(Parameters params) {
        return RowPacking.rotationSteps(params.maxSlots());
    }

    private void check(EncryptedRecords records, List<String> names) {
        if (!params.sameAs(records.parameters())) {
            throw new IllegalArgumentException("the records were encrypted under a different parameter set");
        }
        if (!records.names().equals(names)) {
            throw new IllegalArgumentException("the model's features " + names + " differ from the records' "
                    + records.names());
        }
    }

    public EncryptedScores score(LogisticModel model, EncryptedRecords records) {
        check(records, model.names());
        int top = params.maxLevel();
        List<Ciphertext> out = new ArrayList<>();
        if (records.layout() == RecordLayout.COLUMNS) {
            for (int b = 0; b < records.batches(); b++) {
                Ciphertext acc = null;
                for (int j = 0; j < model.features(); j++) {
                    Ciphertext t = se.multiplyConst(records.column(j, b), model.coefficient(j), top - 1);
                    acc = acc == null ? t : ev.add(acc, t);
                }
                out.add(se.addConst(acc, model.intercept()));
            }
            return new EncryptedScores(params, RecordLayout.COLUMNS, records.rows(), 0, out);
        }
        RowPacking p = records.packing();
        double[] weights = p.replicate(model.weights());
        // Keep the w copies of each score (the first block of each patient's pair) and nothing else.
        double[] mask = new double[p.slots()];
        for (int s = 0; s < mask.length; s++) {
            mask[s] = (s / p.blockWidth()) % 2 == 0 ? 1 : 0;
        }
        for (Ciphertext ct : records.rowCiphertexts()) {
            Ciphertext prod = se.multiplyPlain(ct, weights, top - 1);
            Ciphertext sum = ev.innerSum(prod, 1, p.blockWidth());
            out.add(se.multiplyPlain(sum, mask, top - 2));
        }
        return new EncryptedScores(params, RecordLayout.ROWS, records.rows(), p.blockWidth(), out);
    }

    public EncryptedScores score(Mlp model, EncryptedRecords records) {
        check(records, model.names());
        if (records.layout() != RecordLayout.COLUMNS) {
            throw new IllegalArgumentException("MLP scoring needs records encrypted in the COLUMNS layout");
        }
        double[] a = model.activation();
        int degree = model.activationDegree();
        int top = params.maxLevel();
        if (top < degree + 1) {
            throw new IllegalArgumentException("the parameter set has " + top + " levels; this MLP needs "
                    + (degree + 1));
        }
        int h1 = top - 1;
        List<Ciphertext> out = new ArrayList<>();
        for (int b = 0; b < records.batches(); b++) {
            int d = model.features();
            Ciphertext[] x = new Ciphertext[d];
            for (int j = 0; j < d; j++) {
                x[j] = records.column(j, b);
            }
            int hidden = model.hidden();
            Ciphertext[] left = new Ciphertext[hidden];
            Ciphertext[] right = new Ciphertext[hidden];
            Ciphertext linear = null;
            double constant = model.bias2();
            Ciphertext cubic = null;
            for (int u = 0; u < hidden; u++) {
                double w2 = model.weight2(u);
                Ciphertext h = affine(model, u, x, 1, h1);
                // quadratic term w2·a2·h^2 = (w2·a2·h)·h
                left[u] = affine(model, u, x, w2 * a[2], h1);
                right[u] = h;
                Ciphertext lin = se.multiplyConst(h, w2 * a[1], top - 2);
                linear = linear == null ? lin : ev.add(linear, lin);
                constant += w2 * a[0];
                if (degree == 3) {
                    Ciphertext h2 = se.square(h);                                           // top-2
                    Ciphertext c3 = se.bringTo(affine(model, u, x, w2 * a[3], h1), top - 2);
                    Ciphertext t = se.multiply(c3, h2);                                     // top-3
                    cubic = cubic == null ? t : ev.add(cubic, t);
                }
            }
            Ciphertext result = ev.add(se.sumOfProducts(left, right), linear);              // top-2
            if (degree == 3) {
                result = ev.add(se.bringTo(result, top - 3), cubic);
            }
            out.add(se.addConst(result, constant));
        }
        return new EncryptedScores(params, RecordLayout.COLUMNS, records.rows(), 0, out);
    }

    /** factor·(b1_u + Σ_j W1_uj·x_j), canonical at {@code level}. */
    private Ciphertext affine(Mlp m, int u, Ciphertext[] x, double factor, int level) {
        Ciphertext acc = null;
        for (int j = 0; j < x.length; j++) {
            Ciphertext t = se.multiplyConst(x[j], factor * m.weight1(u, j), level);
            acc = acc == null ? t : ev.add(acc, t);
        }
        return se.addConst(acc, factor * m.bias1(u));
    }

    public EncryptedScores score(EncryptedLogisticModel model, EncryptedRecords records) {
        check(records, model.names());
        if (!params.sameAs(model.parameters())) {
            throw new IllegalArgumentException("the model was trained under a different parameter set");
        }
        if (records.layout() != RecordLayout.ROWS) {
            throw new IllegalArgumentException("scoring with an encrypted model needs records encrypted in the ROWS"
                    + " layout (the training packing)");
        }
        if (model.level() < 1) {
            throw new IllegalArgumentException("the encrypted model has no level left for scoring");
        }
        RowPacking p = records.packing();
        if (!p.equals(model.packing())) {
            throw new IllegalArgumentException("records and model use different packings");
        }
        int m = model.level();
        Ciphertext weights = se.requireCanonical(model.weights(), "model weights");
        List<Ciphertext> out = new ArrayList<>();
        for (Ciphertext ct : records.rowCiphertexts()) {
            Ciphertext scaled = se.add(se.multiply(ct, model.multipliers()), model.offsets());   // top-1
            Ciphertext prod = se.multiply(se.bringTo(scaled, m), weights);                      // m-1
            out.add(ev.innerSum(prod, 1, p.blockWidth()));
        }
        return new EncryptedScores(params, RecordLayout.ROWS, records.rows(), p.blockWidth(), out);
    }
}
