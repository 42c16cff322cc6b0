package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, end to end, on the packaged runnable jar: {@code java -jar glovebox.jar demo}. Unit
 * tests run on Maven's test class path, which includes test-scoped libraries; only the shaded jar shows a library
 * missing at run time (Jackson was, once, which broke the federated part of the demo).
 */
class RunnableJarIT {
    /** Runs the jar with these JVM options and arguments; returns its output after asserting a clean exit. */
    private static String runJar(int minutes, List<String> jvm, String... args) throws IOException,
            InterruptedException {
        Path jar = Path.of("target", "glovebox.jar");
        assertThat(jar).exists();
        Path log = Files.createTempFile("glovebox-jar", ".log");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.addAll(jvm);
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = p.waitFor(minutes, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("finished within %d minutes; output:%n%s", minutes, out).isTrue();
            assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void demoRunsBothPartsFromTheRunnableJar() throws IOException, InterruptedException {
        String out = runJar(5, List.of("-Xss4m", "-Xmx4g"), "demo");
        assertThat(out).contains("The cloud never held a secret key")
                .contains("[statistics] released to the coordinator and every hospital")
                .contains("[demo] federated part finished")
                .containsPattern("audit verify .*: OK")
                .doesNotContain("Exception");
    }

    /** The dashboard's server (Javalin, Jetty) and page start from the shaded jar, whose service files it needs. */
    @Test
    void federatedDemoServesTheDashboardFromTheRunnableJar() throws IOException, InterruptedException {
        String out = runJar(3, List.of("-Xmx2g"), "demo", "--part", "federated", "--dashboard", "0");
        assertThat(out).containsPattern("\\[dashboard\\] http://127\\.0\\.0\\.1:\\d+/")
                .contains("[demo] federated part finished")
                .doesNotContain("Exception");
    }
}
