package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.app.dashboard.Dashboard;
import org.glovebox.app.dashboard.DashboardAddress;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.CoordinatorServer;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.run.NodeConfig;
import org.glovebox.federated.study.StudyDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox coordinator --config <file>}: runs the study's coordinator until the study is finished. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Runs a federated study's coordinator (gRPC over mutual TLS; resumes from its database).")
public final class CoordinatorCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "<file>", description = "coordinator.yaml")
    Path config;

    @Option(names = "--dashboard", paramLabel = "<[host:]port>",
            description = "Serve the read-only web dashboard there (a bare port means 127.0.0.1; 0 picks a free"
                    + " port). Any address other than loopback needs --dashboard-tls.")
    String dashboard;

    @Option(names = "--dashboard-tls", description = "Serve the dashboard over TLS 1.3 with the coordinator's"
            + " certificate, requiring a client certificate issued by the consortium CA.")
    boolean dashboardTls;

    @Override
    public Integer call() throws Exception {
        NodeConfig c = NodeConfig.load(config);
        StudyDefinition study = StudyDefinition.load(c.study());
        String url = c.database() != null ? c.database() : Store.defaultUrl(c.dataDir());
        try (Store store = new Store(url); AuditLog audit = AuditLog.open(c.dataDir().resolve("audit.log"))) {
            Coordinator co = new Coordinator(study, store, audit);
            co.onRound(r -> System.out.println(r));
            DashboardAddress at = dashboard == null ? null : DashboardAddress.parse(dashboard);
            if (at == null && dashboardTls) {
                throw new IllegalArgumentException("--dashboard-tls needs --dashboard <[host:]port>");
            }
            try (CoordinatorServer server = new CoordinatorServer(co, c.identity(), c.host(), c.port());
                    Dashboard board = at == null ? null
                            : Dashboard.start(co, at.host(), at.port(), dashboardTls ? c.identity() : null)) {
                System.out.println("coordinator of " + study + " on " + c.host() + ":" + server.port()
                        + "; audit log " + audit.file());
                if (board != null) {
                    System.out.println("dashboard at " + board.url());
                }
                while (!co.awaitFinished(60_000)) {
                    System.out.println("waiting … (" + co.reports().size() + " rounds released)");
                }
                if (co.statistics() != null) {
                    System.out.print(co.statistics().toText());
                }
                System.out.println("study finished; audit head " + audit.head() + " (" + audit.entries()
                        + " entries)");
                Thread.sleep(3000); // let hospitals collect the FINISHED task
            }
        }
        return 0;
    }
}
