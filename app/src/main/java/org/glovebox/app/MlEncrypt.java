package org.glovebox.app;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.inference.EncryptedRecords;
import org.glovebox.ml.inference.RecordEncryptor;
import org.glovebox.ml.lr.EncryptedTrainingSet;
import org.glovebox.ml.lr.TrainingSetEncryptor;

/** {@code glovebox encrypt --label} (training set) and {@code --records} (records to score). */
final class MlEncrypt {
    private MlEncrypt() {
    }

    static int run(EncryptCommand c) throws Exception {
        if (c.records && c.label != null && c.cohort == null) {
            throw new IllegalArgumentException("--records encrypts features only; drop --label (or list --features)");
        }
        Path pub = c.keys.resolve(KeyDirectory.PUBLIC);
        Parameters params = KeyDirectory.readParameters(pub);
        MlInputs.Dataset data = c.cohort != null
                ? MlInputs.fromCohort(c.cohort, c.csv, c.label)
                : MlInputs.fromCsv(c.csv, EncryptCommand.delimiterChar(c.delimiter), MlInputs.split(c.columns),
                        MlInputs.split(c.features), c.records ? null : c.label, EncryptCommand.MAX_ROWS);
        Path secretFile = c.keys.resolve(KeyDirectory.SECRET).resolve(KeyDirectory.SECRET_KEY_FILE);
        Encryptor encryptor = (Files.exists(secretFile)
                ? Encryptor.withSecretKey(KeyDirectory.readSecretKey(c.keys, params))
                : Encryptor.withPublicKey(KeyDirectory.readPublicKey(pub, params))).withParallelism(Parallelism.threads(2));
        long start = System.nanoTime();
        String what;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(c.out), 1 << 16)) {
            if (c.records) {
                EncryptedRecords r = new RecordEncryptor(params, encryptor).encrypt(data.names(), data.x(), c.layout);
                r.write(os);
                what = "records to score (" + c.layout.name().toLowerCase(Locale.ROOT) + " layout)";
            } else {
                if (data.labels() == null) {
                    throw new IllegalArgumentException("a training set needs --label (or a cohort with a label)");
                }
                EncryptedTrainingSet set = new TrainingSetEncryptor(params, encryptor).encrypt(data.names(),
                        data.labelName(), data.x(), data.labels());
                set.write(os);
                int positives = 0;
                for (int y : data.labels()) {
                    positives += y;
                }
                what = String.format(Locale.ROOT, "training set, label '%s' (%d positive); features standardized"
                        + " (mean, 2 sd) before encryption, the scaling travels encrypted with the data",
                        data.labelName(), positives);
            }
        }
        System.out.printf(Locale.ROOT, "Encrypted %d records x %d features %s as a %s in %.1f s -> %s (%.1f MB)%n",
                data.x().length, data.names().size(), data.names(), what, (System.nanoTime() - start) / 1e9, c.out,
                Files.size(c.out) / 1e6);
        if (data.dropped() > 0) {
            System.out.println("  left out " + data.dropped() + " rows with a missing feature or label");
        }
        return 0;
    }
}
