package org.glovebox.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.ml.inference.EncryptedScores;
import org.glovebox.ml.inference.ScoreDecryptor;
import org.glovebox.ml.io.Containers;
import org.glovebox.ml.lr.EncryptedLogisticModel;
import org.glovebox.ml.lr.LogisticModel;
import org.glovebox.ml.lr.ModelDecryptor;
import org.glovebox.ml.stats.CrossProductDecryptor;
import org.glovebox.ml.stats.CrossProductResult;
import org.glovebox.ml.stats.CrossProducts;

/** {@code glovebox decrypt} for the ml files, recognised by their magic: trained models and scores. */
final class MlOutputs {
    private MlOutputs() {
    }

    /** True if the stream (mark/reset capable) holds a file this class prints. */
    static boolean handles(InputStream in) throws IOException {
        int magic = Containers.peekMagic(in);
        return magic == EncryptedLogisticModel.MAGIC || magic == EncryptedScores.MAGIC
                || magic == CrossProductResult.MAGIC;
    }

    /** Decrypts (with noise flooding) and prints CSV: a model as term,coefficient; scores as row,logit,probability. */
    static void print(InputStream in, Parameters params, SecretKey sk) throws IOException {
        int magic = Containers.peekMagic(in);
        if (magic == CrossProductResult.MAGIC) {
            printPairwise(CrossProductDecryptor.decrypt(CrossProductResult.read(in, params), sk));
        } else if (magic == EncryptedLogisticModel.MAGIC) {
            EncryptedLogisticModel model = EncryptedLogisticModel.read(in, params);
            LogisticModel m = ModelDecryptor.decrypt(model, sk);
            System.out.print(m.toCsv());
        } else {
            EncryptedScores scores = EncryptedScores.read(in, params);
            double[] logits = ScoreDecryptor.decrypt(scores, sk);
            StringBuilder s = new StringBuilder("row,logit,probability\n");
            for (int r = 0; r < logits.length; r++) {
                s.append(r + 1).append(',').append(String.format(Locale.ROOT, "%.6f,%.6f", logits[r],
                        ScoreDecryptor.probability(logits[r]))).append('\n');
            }
            System.out.print(s);
        }
    }

    /**
     * Covariance and correlation matrices (CSV blocks), and for every pair of 0/1 columns the 2x2 table with
     * Pearson's chi-square and its p-value.
     */
    static void printPairwise(CrossProducts p) {
        StringBuilder s = new StringBuilder();
        var names = p.names();
        for (String what : new String[] {"covariance", "correlation"}) {
            double[][] m = what.equals("covariance") ? p.covarianceMatrix() : p.correlationMatrix();
            s.append(what);
            for (String n : names) {
                s.append(',').append(DecryptCommand.csvField(n));
            }
            s.append('\n');
            for (int a = 0; a < names.size(); a++) {
                s.append(DecryptCommand.csvField(names.get(a)));
                for (int b = 0; b < names.size(); b++) {
                    s.append(',').append(String.format(Locale.ROOT, "%.6g", m[a][b]));
                }
                s.append('\n');
            }
            s.append('\n');
        }
        java.util.List<String> binary = new java.util.ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            var own = p.pair(a, a);
            if (own.n() > 0 && Math.abs(own.sumAA() - own.sumA()) < 0.5) {
                binary.add(names.get(a)); // x^2 = x: a 0/1 column
            }
        }
        if (binary.size() >= 2) {
            s.append("a,b,n11,n10,n01,n00,chi_square,p_value\n");
            for (int i = 0; i < binary.size(); i++) {
                for (int j = i + 1; j < binary.size(); j++) {
                    long[][] t = p.contingency(binary.get(i), binary.get(j));
                    double chi = CrossProducts.chiSquare(t);
                    s.append(DecryptCommand.csvField(binary.get(i))).append(',')
                            .append(DecryptCommand.csvField(binary.get(j))).append(',').append(t[0][0]).append(',')
                            .append(t[0][1]).append(',').append(t[1][0]).append(',').append(t[1][1]).append(',')
                            .append(String.format(Locale.ROOT, "%.6g,%.6g", chi, CrossProducts.chiSquarePValue(chi)))
                            .append('\n');
                }
            }
        }
        System.out.print(s);
    }
}
