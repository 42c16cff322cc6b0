package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.stats.EncryptedStatistics;
import org.glovebox.ml.stats.EncryptedStatisticsResult;
import org.glovebox.ml.stats.EncryptedTable;
import org.glovebox.ml.stats.Statistic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox compute}: the untrusted party's command. It reads only the public directory (parameters,
 * relinearization and Galois keys), refuses a directory that holds any secret key, and writes encrypted results.
 */
@Command(name = "compute", mixinStandardHelpOptions = true,
        description = "Computes per-column statistics on an encrypted table with public material only.")
public final class ComputeCommand implements Callable<Integer> {
    @Option(names = "--public", required = true, paramLabel = "<dir>", description = "The public key directory.")
    Path publicDir;

    @Option(names = {"-i", "--in"}, required = true, paramLabel = "<file>", description = "Encrypted table.")
    Path in;

    @Option(names = "--stat", required = true, paramLabel = "<stat>",
            description = "Statistic: ${COMPLETION-CANDIDATES}.")
    Statistic stat;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file>", description = "Encrypted result to write.")
    Path out;

    @Option(names = {"-t", "--threads"}, paramLabel = "<n>",
            description = "Threads for the homomorphic operations (default: all processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        KeyDirectory.requirePublicOnly(publicDir);
        Parameters params = KeyDirectory.readParameters(publicDir);
        Evaluator ev = new Evaluator(params, KeyDirectory.readRelinearizationKey(publicDir, params),
                KeyDirectory.readGaloisKeys(publicDir, params),
                threads == null ? Parallelism.allProcessors() : Parallelism.threads(threads));
        EncryptedTable table;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            table = EncryptedTable.read(is, params);
        }
        long start = System.nanoTime();
        EncryptedStatisticsResult result = new EncryptedStatistics(ev).compute(table, stat);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            result.write(os);
        }
        System.out.printf("Computed encrypted %s of %d columns over %d rows in %.1f s -> %s%n",
                stat.name().toLowerCase(java.util.Locale.ROOT), table.names().size(), table.rows(),
                (System.nanoTime() - start) / 1e9, out);
        return 0;
    }
}
