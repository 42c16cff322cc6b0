package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.inference.EncryptedRecords;
import org.glovebox.ml.inference.EncryptedScores;
import org.glovebox.ml.inference.Mlp;
import org.glovebox.ml.inference.Scorer;
import org.glovebox.ml.io.Containers;
import org.glovebox.ml.lr.EncryptedLogisticModel;
import org.glovebox.ml.lr.LogisticModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox score}: the cloud's command. Scores encrypted records (encrypt --records) with a plaintext model
 * (logistic CSV as decrypt prints it, or an MLP text file) or an encrypted model (train --out), public material
 * only, and writes encrypted scores.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Scores encrypted records with a plaintext or encrypted model; the scores stay encrypted.")
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--public", required = true, paramLabel = "<dir>", description = "The public key directory.")
    Path publicDir;

    @Option(names = "--model", required = true, paramLabel = "<file>",
            description = "Model: encrypted (train --out), logistic CSV (term,coefficient) or MLP (glovebox-mlp).")
    Path modelFile;

    @Option(names = {"-i", "--in"}, required = true, paramLabel = "<file>", description = "Encrypted records.")
    Path in;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "<n>", description = "Threads (default 2).")
    int threads;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file>", description = "Encrypted scores to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyDirectory.requirePublicOnly(publicDir);
        Parameters params = KeyDirectory.readParameters(publicDir);
        Evaluator ev = new Evaluator(params, KeyDirectory.readRelinearizationKey(publicDir, params),
                KeyDirectory.readGaloisKeys(publicDir, params), Parallelism.threads(threads));
        EncryptedRecords records;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            records = EncryptedRecords.read(is, params);
        }
        Scorer scorer = new Scorer(ev);
        EncryptedScores scores;
        String what;
        long start;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(modelFile), 1 << 16)) {
            int magic = Containers.peekMagic(is);
            if (magic == EncryptedLogisticModel.MAGIC) {
                EncryptedLogisticModel m = EncryptedLogisticModel.read(is, params);
                what = "the encrypted logistic model";
                start = System.nanoTime();
                scores = scorer.score(m, records);
            } else {
                String text = new String(is.readNBytes(64 << 20), StandardCharsets.UTF_8);
                if (text.startsWith("glovebox-mlp")) {
                    Mlp m = Mlp.readText(new java.io.StringReader(text));
                    what = "a plaintext MLP (" + m.hidden() + " hidden units, activation degree "
                            + m.activationDegree() + ")";
                    start = System.nanoTime();
                    scores = scorer.score(m, records);
                } else {
                    LogisticModel m = LogisticModel.readCsv(new java.io.StringReader(text));
                    what = "a plaintext logistic model";
                    start = System.nanoTime();
                    scores = scorer.score(m, records);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            scores.write(os);
        }
        System.out.printf(Locale.ROOT, "Scored %d encrypted records (%s layout) with %s in %.2f s (%.0f patients/s)"
                + " -> %s%n", records.rows(), records.layout().name().toLowerCase(Locale.ROOT), what, seconds,
                records.rows() / seconds, out);
        return 0;
    }
}
