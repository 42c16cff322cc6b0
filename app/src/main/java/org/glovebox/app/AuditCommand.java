package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.federated.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox audit verify --log <file>}: checks the hash chain of an audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit log tools.",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verifies a hash-chained audit log: detects edited, removed or reordered entries.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--log", required = true, paramLabel = "<file>", description = "audit.log")
        Path log;

        @Option(names = "--entries", defaultValue = "0",
                description = "Anchored entry count (detects entries removed from the end).")
        long entries;

        @Override
        public Integer call() throws Exception {
            AuditLog.Result r = AuditLog.verify(log, entries, null);
            System.out.println((r.ok() ? "OK: " : "FAILED: ") + r.message());
            return r.ok() ? 0 : 2;
        }
    }
}
