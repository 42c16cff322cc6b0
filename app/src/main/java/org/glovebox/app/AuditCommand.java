package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.federated.audit.AuditCrossCheck;
import org.glovebox.federated.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox audit verify --log <file>}: checks the hash chain of an audit log; {@code glovebox audit compare
 * --hospital <file> --coordinator <file>}: checks that every upload a hospital logged is in the coordinator's log.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit log tools.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Compare.class})
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

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Checks a hospital's audit log (audit.log in its state folder) against the coordinator's:"
                    + " every upload the hospital sent must be logged by the coordinator with the same digest.")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--hospital", required = true, paramLabel = "<file>", description = "the hospital's audit.log")
        Path hospital;

        @Option(names = "--coordinator", required = true, paramLabel = "<file>",
                description = "the coordinator's audit.log")
        Path coordinator;

        @Override
        public Integer call() throws Exception {
            AuditCrossCheck.Result r;
            try {
                r = AuditCrossCheck.compare(hospital, coordinator);
            } catch (java.io.IOException e) {
                System.out.println("FAILED: " + e.getMessage());
                return 2;
            }
            System.out.println((r.ok() ? "" : "FAILED: ") + r.message());
            r.unmatched().forEach(u -> System.out.println("  missing: " + u));
            r.unacknowledged().forEach(u -> System.out.println("  not in the hospital's log: " + u));
            return r.ok() ? 0 : 2;
        }
    }
}
