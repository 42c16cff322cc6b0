package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.stats.CrossProductResult;
import org.glovebox.ml.stats.EncryptedCrossProducts;
import org.glovebox.ml.stats.EncryptedTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox pairwise}: the untrusted party computes the encrypted pairwise sums of every pair of columns of an
 * encrypted table (covariance, correlation, group means, 2x2 tables are finished by {@code glovebox decrypt}).
 */
@Command(name = "pairwise", mixinStandardHelpOptions = true,
        description = "Computes encrypted pairwise sums of every pair of columns of an encrypted table (public"
                + " material only); decrypt prints covariance and correlation matrices and 2x2 tables.")
public final class PairwiseCommand implements Callable<Integer> {
    @Option(names = "--public", required = true, paramLabel = "<dir>", description = "The public key directory.")
    Path publicDir;

    @Option(names = {"-i", "--in"}, required = true, paramLabel = "<file>", description = "Encrypted table.")
    Path in;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "<n>", description = "Threads (default 2).")
    int threads;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file>", description = "Encrypted result to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyDirectory.requirePublicOnly(publicDir);
        Parameters params = KeyDirectory.readParameters(publicDir);
        Evaluator ev = new Evaluator(params, KeyDirectory.readRelinearizationKey(publicDir, params),
                KeyDirectory.readGaloisKeys(publicDir, params), Parallelism.threads(threads));
        EncryptedTable table;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            table = EncryptedTable.read(is, params);
        }
        long start = System.nanoTime();
        CrossProductResult result = new EncryptedCrossProducts(ev).compute(table);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            result.write(os);
        }
        int d = table.names().size();
        System.out.printf(Locale.ROOT, "Computed encrypted pairwise sums of %d columns (%d pairs) over %d rows in"
                + " %.1f s -> %s%n", d, d * (d + 1) / 2, table.rows(), (System.nanoTime() - start) / 1e9, out);
        return 0;
    }
}
