package org.glovebox.app;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.data.NumericTable;
import org.glovebox.data.csv.NumericCsvReader;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.stats.EncryptedTable;
import org.glovebox.ml.stats.TableEncryptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox encrypt}: encrypts the numeric columns of a CSV file (names in clear, values encrypted). */
@Command(name = "encrypt", mixinStandardHelpOptions = true,
        description = "Encrypts the numeric columns of a CSV file with a header row; column names stay in clear.")
public final class EncryptCommand implements Callable<Integer> {
    /** Upper bound on rows read into memory. */
    static final long MAX_ROWS = 10_000_000;

    @Option(names = {"-k", "--keys"}, required = true, paramLabel = "<dir>", description = "Key directory (keygen --out).")
    Path keys;

    @Option(names = "--csv", required = true, paramLabel = "<file>", description = "CSV file, with a header row unless --columns names the columns.")
    Path csv;

    @Option(names = {"-d", "--delimiter"}, defaultValue = ",", paramLabel = "<char>",
            description = "Field delimiter (default '${DEFAULT-VALUE}'; use \\t or 'tab' for tabs).")
    String delimiter;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file>",
            description = "Encrypted table (or training set, or records) to write.")
    Path out;

    @Option(names = "--label", paramLabel = "<column>",
            description = "Label column (0/1): writes an encrypted training set for 'glovebox train' instead of a"
                    + " statistics table.")
    String label;

    @Option(names = "--columns", paramLabel = "<names>",
            description = "Comma-separated names of the columns of a header-less CSV file.")
    String columns;

    @Option(names = "--features", paramLabel = "<names>",
            description = "With --label or --records: the feature columns to use (default: every other numeric column).")
    String features;

    @Option(names = "--cohort", paramLabel = "<file|example:NAME>",
            description = "With --label or --records: read the CSV through a cohort definition (features, label"
                    + " coding, missing values), e.g. example:edin.")
    String cohort;

    @Option(names = "--records",
            description = "Write encrypted records to score ('glovebox score') instead of a statistics table.")
    boolean records;

    @Option(names = "--layout", defaultValue = "COLUMNS", paramLabel = "<layout>",
            description = "With --records: COLUMNS (plaintext models, fastest) or ROWS (needed for an encrypted model).")
    org.glovebox.ml.inference.RecordLayout layout;

    @Override
    public Integer call() throws Exception {
        if (label != null || records || cohort != null) {
            return MlEncrypt.run(this);
        }
        Path pub = keys.resolve(KeyDirectory.PUBLIC);
        Parameters params = KeyDirectory.readParameters(pub);
        NumericTable table = new NumericCsvReader(delimiterChar(delimiter), MAX_ROWS, MlInputs.split(columns)).read(csv);
        if (table.names().isEmpty()) {
            System.err.println("No numeric column found in " + csv);
            return 1;
        }
        // The data owner holds the secret key: symmetric encryption stores half of each ciphertext as a seed.
        Path secretFile = keys.resolve(KeyDirectory.SECRET).resolve(KeyDirectory.SECRET_KEY_FILE);
        Encryptor encryptor = Files.exists(secretFile)
                ? Encryptor.withSecretKey(KeyDirectory.readSecretKey(keys, params))
                : Encryptor.withPublicKey(KeyDirectory.readPublicKey(pub, params));
        long start = System.nanoTime();
        EncryptedTable enc = new TableEncryptor(params, encryptor).encrypt(table.names(), table.columns());
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            enc.write(os);
        }
        System.out.printf("Encrypted %d rows x %d columns %s in %.1f s -> %s (%.1f MB)%n", table.rows(),
                table.names().size(), table.names(), (System.nanoTime() - start) / 1e9, out,
                Files.size(out) / 1e6);
        for (String s : table.skipped()) {
            System.out.println("  skipped column " + s);
        }
        return 0;
    }

    static char delimiterChar(String d) {
        if (d.equals("\\t") || d.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (d.length() != 1) {
            throw new IllegalArgumentException("delimiter must be one character, got '" + d + "'");
        }
        return d.charAt(0);
    }
}
