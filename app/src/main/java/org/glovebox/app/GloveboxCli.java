package org.glovebox.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code glovebox} command line: one entry point whose subcommands cover key management, encryption, encrypted
 * computation, decryption, data ingestion, benchmarks and the end-to-end demo.
 */
@Command(
        name = "glovebox",
        mixinStandardHelpOptions = true,
        versionProvider = GloveboxCli.Version.class,
        description = "Train and use models on hospital data that stays encrypted (CKKS homomorphic encryption).",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            KeygenCommand.class,
            EncryptCommand.class,
            ComputeCommand.class,
            DecryptCommand.class,
            TrainCommand.class, ScoreCommand.class, PairwiseCommand.class,
            BenchCommand.class,
            DataCommand.class,
            PkiCommand.class, StudyCommand.class, CoordinatorCommand.class, HospitalCommand.class, AuditCommand.class,
        })
public final class GloveboxCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new GloveboxCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(GloveboxCli::failed).execute(args);
    }

    /**
     * A command that fails prints one clear line (the message of the exception and of its causes), not a stack
     * trace, and exits with 1; {@code GLOVEBOX_STACKTRACE=1} in the environment prints the trace too.
     */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        StringBuilder b = new StringBuilder(cmd.getCommandSpec().qualifiedName()).append(": ");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = describe(t, t == e);
            if (seen.add(m) && (t == e || !b.toString().contains(m))) {
                b.append(t == e ? "" : " (").append(m).append(t == e ? "" : ")");
            }
        }
        cmd.getErr().println(b);
        if ("1".equals(System.getenv("GLOVEBOX_STACKTRACE"))) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    /** The exception in words: its whole message for the one the command threw, the first line for causes. */
    private static String describe(Throwable t, boolean whole) {
        if (t instanceof java.nio.file.NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (t instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return whole ? m.strip() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the build version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GloveboxCli.class.getPackage().getImplementationVersion();
            return new String[] {"glovebox " + (v == null ? "development build" : v)};
        }
    }
}
