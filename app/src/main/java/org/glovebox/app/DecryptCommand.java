package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.ml.stats.ColumnStatistics;
import org.glovebox.ml.stats.EncryptedStatisticsResult;
import org.glovebox.ml.stats.StatisticsDecryptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox decrypt}: the data owner decrypts an encrypted result and prints it as CSV. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = "Decrypts an encrypted statistics result, trained model or scores (with noise flooding) and"
                + " prints it as CSV.")
public final class DecryptCommand implements Callable<Integer> {
    @Option(names = {"-k", "--keys"}, required = true, paramLabel = "<dir>", description = "Key directory.")
    Path keys;

    @Option(names = {"-i", "--in"}, required = true, paramLabel = "<file>", description = "Encrypted result.")
    Path in;

    @Override
    public Integer call() throws Exception {
        Parameters params = KeyDirectory.readParameters(keys.resolve(KeyDirectory.PUBLIC));
        SecretKey sk = KeyDirectory.readSecretKey(keys, params);
        EncryptedStatisticsResult result;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            if (MlOutputs.handles(is)) {
                MlOutputs.print(is, params, sk);
                sk.destroy();
                return 0;
            }
            result = EncryptedStatisticsResult.read(is, params);
        }
        List<ColumnStatistics> stats = new StatisticsDecryptor(sk).decrypt(result);
        sk.destroy();
        String stat = result.statistic().name().toLowerCase(Locale.ROOT);
        System.out.println("column," + stat);
        for (ColumnStatistics s : stats) {
            System.out.println(csvField(s.name()) + "," + format(s.value(result.statistic())));
        }
        return 0;
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.10g", v);
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
