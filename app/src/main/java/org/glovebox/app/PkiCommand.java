package org.glovebox.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glovebox.federated.pki.Pki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox pki init|issue}: the consortium CA and the certificates of hospitals and coordinators. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Consortium PKI: create a CA, issue hospital and coordinator certificates (ECDSA P-256).",
        subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class})
public final class PkiCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Creates a consortium CA (ca.crt, ca.key).")
    static final class Init implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Folder for ca.crt and ca.key.")
        Path out;

        @Option(names = "--consortium", defaultValue = "Glovebox consortium", description = "Organization name.")
        String consortium;

        @Option(names = "--days", defaultValue = "1825", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            Pki.initCa(out, consortium, Duration.ofDays(days));
            System.out.println("CA created: " + out.resolve(Pki.CA_CERT) + " (keep " + out.resolve(Pki.CA_KEY)
                    + " offline)");
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issues a certificate <name>.crt and key <name>.key signed by the CA.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "<dir>", description = "Folder of ca.crt and ca.key.")
        Path ca;

        @Option(names = "--name", required = true, description = "Identity (common name), e.g. hospital-1.")
        String name;

        @Option(names = "--out", paramLabel = "<dir>", description = "Output folder (default: the CA folder).")
        Path out;

        @Option(names = "--role", defaultValue = "HOSPITAL", description = "HOSPITAL or COORDINATOR.")
        Pki.Role role;

        @Option(names = "--dns", split = ",", description = "Extra DNS names (coordinator host names).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", split = ",", description = "IP addresses (a coordinator gets 127.0.0.1 by default).")
        List<String> ips = new ArrayList<>();

        @Option(names = "--days", defaultValue = "730", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            List<String> d = new ArrayList<>(dns);
            List<String> i = new ArrayList<>(ips);
            if (role == Pki.Role.COORDINATOR && i.isEmpty()) {
                d.add("localhost");
                i.add("127.0.0.1");
            }
            Path dir = out == null ? ca : out;
            Pki.issue(ca, dir, name, role, d, i, Duration.ofDays(days));
            System.out.println("issued " + dir.resolve(name + ".crt") + " and " + dir.resolve(name + ".key")
                    + " (owner-only) for " + name + " (" + role + ")");
            return 0;
        }
    }
}
