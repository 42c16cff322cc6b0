package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.data.NumericTable;
import org.glovebox.data.SharedDatasets;
import org.glovebox.data.csv.NumericCsvReader;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.stats.ColumnStatistics;
import org.glovebox.ml.stats.EncryptedStatisticsResult;
import org.glovebox.ml.stats.PlainStatistics;
import org.glovebox.ml.stats.StatisticsDecryptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox demo}: the end-to-end encrypted-statistics flow on embedded defaults. A hospital generates keys and
 * encrypts a data set; an untrusted party computes on it with the public directory only; the hospital decrypts. The
 * encrypted results are printed beside the plaintext ones. Uses the Pima diabetes data set from
 * {@code ../shared/datasets} when present, otherwise a generated cohort.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs keygen -> encrypt -> compute (untrusted, public keys only) -> decrypt and compares with"
                + " plaintext statistics.")
public final class DemoCommand implements Callable<Integer> {
    static final List<String> PIMA_COLUMNS = List.of("pregnancies", "glucose", "diastolic_bp", "triceps_skinfold",
            "insulin", "bmi", "pedigree", "age", "diabetes");

    @Option(names = "--dir", paramLabel = "<dir>",
            description = "Working directory for keys and files (default: a temporary directory, deleted afterwards).")
    Path dir;

    @Option(names = "--rows", defaultValue = "20000", paramLabel = "<n>",
            description = "Rows of the generated cohort when the shared data sets are absent (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--part", defaultValue = "all", paramLabel = "<part>",
            description = "all (default), statistics (encrypted statistics) or federated (encrypted federated learning).")
    String part;

    @Option(names = "--dp-noise", defaultValue = "0.05", paramLabel = "<z>",
            description = "Federated part: DP noise multiplier (default ${DEFAULT-VALUE}).")
    double dpNoise;

    @Option(names = "--dp-budget", defaultValue = "1000000", paramLabel = "<epsilon>",
            description = "Federated part: epsilon budget at which training stops (default ${DEFAULT-VALUE}).")
    double dpBudget;

    @Option(names = "--dashboard", paramLabel = "<port>", description = "Serve the coordinator's read-only web"
            + " dashboard on 127.0.0.1:<port> during the federated part (0 picks a free port); on a terminal the"
            + " demo then waits for Enter before it closes the dashboard.")
    Integer dashboardPort;

    private AutoCloseable dashboard(org.glovebox.federated.coordinator.Coordinator coordinator) throws Exception {
        if (dashboardPort == null) {
            return () -> { };
        }
        org.glovebox.app.dashboard.Dashboard board = org.glovebox.app.dashboard.Dashboard.start(coordinator,
                "127.0.0.1", dashboardPort, null);
        System.out.println("[dashboard] " + board.url());
        return () -> {
            try {
                if (System.console() != null) {
                    System.out.println("[dashboard] still at " + board.url() + "; press Enter to close it");
                    System.console().readLine();
                }
            } finally {
                board.close();
            }
        };
    }

    @Override
    public Integer call() throws Exception {
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("glovebox-demo") : Files.createDirectories(dir);
        try {
            int code = 0;
            if (!part.equalsIgnoreCase("federated")) {
                code = run(work);
            }
            if (code == 0 && !part.equalsIgnoreCase("statistics")) {
                System.out.println();
                System.out.println("Glovebox demo, part 2: encrypted federated learning across 3 hospitals");
                code = org.glovebox.federated.run.FederatedDemo.run(Files.createDirectories(work.resolve("federated")),
                        System.out, dpNoise, dpBudget, this::dashboard);
            }
            return code;
        } finally {
            if (temporary) {
                deleteRecursively(work);
            }
        }
    }

    private int run(Path work) throws Exception {
        Path csv = work.resolve("patients.csv");
        String source = prepareData(csv);
        System.out.println("Glovebox demo: encrypted statistics on " + source);
        System.out.println("Working directory: " + work);
        System.out.println();
        Path keys = work.resolve("keys");
        Path table = work.resolve("patients.enc");
        Path result = work.resolve("variance.enc");
        step("[hospital] generate keys", "keygen", "--out", keys.toString());
        step("[hospital] encrypt the CSV", "encrypt", "--keys", keys.toString(), "--csv", csv.toString(), "--out",
                table.toString());
        step("[untrusted cloud] compute with the public directory only", "compute", "--public",
                keys.resolve(KeyDirectory.PUBLIC).toString(), "--in", table.toString(), "--stat", "variance", "--out",
                result.toString());
        System.out.println("[hospital] decrypt and compare with the plaintext computation");
        System.out.println();

        Parameters params = KeyDirectory.readParameters(keys.resolve(KeyDirectory.PUBLIC));
        EncryptedStatisticsResult enc;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(result))) {
            enc = EncryptedStatisticsResult.read(in, params);
        }
        List<ColumnStatistics> got = new StatisticsDecryptor(KeyDirectory.readSecretKey(keys, params)).decrypt(enc);
        NumericTable plain = new NumericCsvReader(',', EncryptCommand.MAX_ROWS).read(csv);
        List<ColumnStatistics> want = PlainStatistics.compute(plain.names(), plain.columns());
        System.out.printf(Locale.ROOT, "%-18s %8s %8s %14s %14s %16s %16s %10s%n", "column", "n plain", "n enc",
                "mean plain", "mean enc", "variance plain", "variance enc", "max rel err");
        double worst = 0;
        for (int c = 0; c < want.size(); c++) {
            ColumnStatistics w = want.get(c);
            ColumnStatistics g = got.get(c);
            double err = Math.max(relative(w.mean(), g.mean()), relative(w.variance(), g.variance()));
            worst = Math.max(worst, err);
            System.out.printf(Locale.ROOT, "%-18s %8d %8d %14.6f %14.6f %16.6f %16.6f %10.2e%n", w.name(), w.count(),
                    g.count(), w.mean(), g.mean(), w.variance(), g.variance(), err);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Largest relative error: %.2e (target: 1e-6). The cloud never held a secret key.%n",
                worst);
        return worst <= 1e-6 ? 0 : 1;
    }

    private static double relative(double expected, double actual) {
        return expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
    }

    private static void step(String title, String... args) {
        System.out.println(title);
        System.out.println("  $ glovebox " + String.join(" ", args));
        int code = GloveboxCli.run(args);
        if (code != 0) {
            throw new IllegalStateException("step failed with exit code " + code + ": glovebox " + args[0]);
        }
        System.out.println();
    }

    /** Writes the demo input as a CSV with a header row; returns a description of its origin. */
    private String prepareData(Path csv) throws IOException {
        Optional<Path> pima = SharedDatasets.file("pima-indians-diabetes.csv");
        NumericTable table;
        String source;
        if (pima.isPresent()) {
            table = new NumericCsvReader(',', EncryptCommand.MAX_ROWS, PIMA_COLUMNS).read(pima.get());
            source = "the Pima Indians diabetes data set (" + pima.get() + ", " + table.rows() + " patients)";
        } else {
            table = generatedCohort(rows, 2026);
            source = "a generated cohort of " + rows + " patients (shared data sets not found)";
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println(String.join(",", table.names()));
            for (int r = 0; r < table.rows(); r++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < table.names().size(); c++) {
                    double v = table.columns().get(c)[r];
                    line.append(c == 0 ? "" : ",").append(Double.isNaN(v) ? "" : Double.toString(v));
                }
                w.println(line);
            }
        }
        return source;
    }

    /** A plausible cohort with some missing values (no real patient). */
    static NumericTable generatedCohort(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] age = new double[n];
        double[] bmi = new double[n];
        double[] sbp = new double[n];
        double[] hba1c = new double[n];
        for (int i = 0; i < n; i++) {
            age[i] = Math.round(Math.min(95, Math.max(18, 52 + 16 * r.nextGaussian(0, 1))));
            bmi[i] = r.nextDouble() < 0.03 ? Double.NaN : Math.round((27 + 5 * r.nextGaussian(0, 1)) * 10) / 10.0;
            sbp[i] = Math.round(118 + 0.4 * (age[i] - 50) + 14 * r.nextGaussian(0, 1));
            hba1c[i] = r.nextDouble() < 0.2 ? Double.NaN : Math.round((5.6 + 0.8 * r.nextGaussian(0, 1)) * 10) / 10.0;
        }
        return new NumericTable(List.of("age", "bmi", "systolic_bp", "hba1c"), List.of(age, bmi, sbp, hba1c),
                List.of());
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
