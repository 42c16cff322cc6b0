package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    @Timeout(60)
    void quickBenchWritesMediansAsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/bench.json");
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setOut(new PrintWriter(text));
        int code = cli.execute("bench", "--params", "N13", "--quick", "--ops", "ntt_forward,add,rescale",
                "--json", json.toString());

        assertThat(code).isZero();
        String out = text.toString();
        assertThat(out).contains("ntt_forward").contains("add").contains("rescale").contains("median us");
        String s = Files.readString(json);
        for (String op : new String[] {"ntt_forward", "add", "rescale"}) {
            Matcher m = Pattern.compile("\"" + op + "\": ([0-9.eE+-]+)").matcher(s);
            assertThat(m.find()).as("key %s in %s", op, s).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(op).isPositive();
        }
        assertThat(s).doesNotContain("\"multiply\":");
        assertThat(s).contains("\"clock\": \"wall\"");
        assertThat(s).contains("\"parameters\": \"CKKS(N=2^13").contains("\"jvm\":").contains("\"cores\":")
                .contains("\"date\":").contains("\"statistics\":");
    }

    @Test
    @Timeout(60)
    void cpuTimeClockIsRecorded(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("cpu.json");
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute("bench", "-p", "N13", "--quick", "--cpu-time", "--ops", "multiply", "--json",
                json.toString());
        assertThat(code).isZero();
        String s = Files.readString(json);
        assertThat(s).contains("\"clock\": \"thread-cpu\"");
        Matcher m = Pattern.compile("\"multiply\": ([0-9.eE+-]+)").matcher(s);
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
    }

    @Test
    void cpuTimeNeedsOneThread() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "-p", "N13", "--cpu-time", "--threads", "2", "--ops", "add");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--threads 1");
    }

    @Test
    void unknownOperationIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "--params", "N13", "--ops", "add,bogus");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown operation 'bogus'").contains("mul_relin_rescale");
    }

    @Test
    void unknownParameterSetIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "--params", "N99", "--ops", "add");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown parameter set");
    }
}
