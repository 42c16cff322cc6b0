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

/** {@code glovebox decrypt} for the ml files, recognised by their magic: trained models and scores. */
final class MlOutputs {
    private MlOutputs() {
    }

    /** True if the stream (mark/reset capable) holds a file this class prints. */
    static boolean handles(InputStream in) throws IOException {
        int magic = Containers.peekMagic(in);
        return magic == EncryptedLogisticModel.MAGIC || magic == EncryptedScores.MAGIC;
    }

    /** Decrypts (with noise flooding) and prints CSV: a model as term,coefficient; scores as row,logit,probability. */
    static void print(InputStream in, Parameters params, SecretKey sk) throws IOException {
        int magic = Containers.peekMagic(in);
        if (magic == EncryptedLogisticModel.MAGIC) {
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
}
