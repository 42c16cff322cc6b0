package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.glovebox.data.NumericTable;
import org.glovebox.ml.stats.ColumnStatistics;
import org.glovebox.ml.stats.PlainStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The section-4 flow of the CLI: keygen, encrypt, compute with public material only, decrypt. */
class StatisticsCliTest {
    @TempDir
    Path dir;

    private String runCapturing(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(GloveboxCli.run(args)).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fullFlowMatchesPlaintextAndKeepsTheSecretPrivate() throws Exception {
        NumericTable table = DemoCommand.generatedCohort(3000, 9);
        Path csv = dir.resolve("cohort.csv");
        StringBuilder sb = new StringBuilder(String.join(",", table.names()) + ",site\n");
        for (int r = 0; r < table.rows(); r++) {
            for (int c = 0; c < table.names().size(); c++) {
                double v = table.columns().get(c)[r];
                sb.append(Double.isNaN(v) ? "NA" : Double.toString(v)).append(',');
            }
            sb.append("north\n");
        }
        Files.writeString(csv, sb.toString());
        Path keys = dir.resolve("keys");
        runCapturing("keygen", "--params", "STATS", "--out", keys.toString());
        assertThat(Files.getPosixFilePermissions(keys.resolve("secret")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(keys.resolve("secret/secret.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.list(keys.resolve("public")).map(p -> p.getFileName().toString()).toList())
                .doesNotContain("secret.key");

        String enc = runCapturing("encrypt", "--keys", keys.toString(), "--csv", csv.toString(), "--out",
                dir.resolve("t.enc").toString());
        assertThat(enc).contains("skipped column site");

        // The untrusted side refuses a directory that holds secret material.
        assertThat(GloveboxCli.run("compute", "--public", keys.toString(), "--in", dir.resolve("t.enc").toString(),
                "--stat", "sum", "--out", dir.resolve("r.enc").toString())).isNotZero();

        List<ColumnStatistics> want = PlainStatistics.compute(table.names(), table.columns());
        for (String stat : new String[] {"count", "variance"}) {
            runCapturing("compute", "--public", keys.resolve("public").toString(), "--in",
                    dir.resolve("t.enc").toString(), "--stat", stat, "--out", dir.resolve(stat + ".enc").toString());
            String out = runCapturing("decrypt", "--keys", keys.toString(), "--in", dir.resolve(stat + ".enc").toString());
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).isEqualTo("column," + stat);
            for (int c = 0; c < want.size(); c++) {
                String[] f = lines.get(c + 1).split(",");
                assertThat(f[0]).isEqualTo(want.get(c).name());
                double expected = want.get(c).value(org.glovebox.ml.stats.Statistic.valueOf(stat.toUpperCase()));
                assertThat(Math.abs(Double.parseDouble(f[1]) - expected)).isLessThanOrEqualTo(1e-6 * Math.abs(expected));
            }
        }
    }
}
