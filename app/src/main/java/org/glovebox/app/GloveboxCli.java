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
            PkiCommand.class, CoordinatorCommand.class, HospitalCommand.class, AuditCommand.class,
        })
public final class GloveboxCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new GloveboxCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
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
