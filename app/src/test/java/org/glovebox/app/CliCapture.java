package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process as a user would ({@link GloveboxCli#run}) and captures what it prints. */
final class CliCapture {
    private CliCapture() {
    }

    /** Exit code and the text printed on standard output and standard error. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = GloveboxCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Standard output of a run that must succeed (exit code 0; standard error in the failure message). */
    static String ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code of %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    /** {@link #ok}, also echoing the output (progress of slow runs shows in the test log). */
    static String okEcho(String... args) {
        String s = ok(args);
        System.out.print(s);
        return s;
    }
}
