package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, end to end, on the packaged runnable jar: {@code java -jar glovebox.jar demo}. Unit
 * tests run on Maven's test class path, which includes test-scoped libraries; only the shaded jar shows a library
 * missing at run time (Jackson was, once, which broke the federated part of the demo).
 */
class RunnableJarIT {
    @Test
    void demoRunsBothPartsFromTheRunnableJar() throws IOException, InterruptedException {
        Path jar = Path.of("target", "glovebox.jar");
        assertThat(jar).exists();
        Path log = Files.createTempFile("glovebox-demo", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Xmx4g", "-jar",
                    jar.toString(), "demo")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = p.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("demo finished within 5 minutes; output:%n%s", out).isTrue();
            assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
            assertThat(out).contains("The cloud never held a secret key")
                    .contains("[statistics] released to the coordinator and every hospital")
                    .contains("[demo] federated part finished")
                    .containsPattern("audit verify .*: OK")
                    .doesNotContain("Exception");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The dashboard's server (Javalin, Jetty) and page start from the shaded jar, whose service files it needs. */
    @Test
    void federatedDemoServesTheDashboardFromTheRunnableJar() throws IOException, InterruptedException {
        Path jar = Path.of("target", "glovebox.jar");
        Path log = Files.createTempFile("glovebox-dashboard", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-jar",
                    jar.toString(), "demo", "--part", "federated", "--dashboard", "0")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = p.waitFor(3, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("demo finished within 3 minutes; output:%n%s", out).isTrue();
            assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
            assertThat(out).containsPattern("\\[dashboard\\] http://127\\.0\\.0\\.1:\\d+/")
                    .contains("[demo] federated part finished")
                    .doesNotContain("Exception");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
