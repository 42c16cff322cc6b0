package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() throws Exception {
        NodeConfig c = NodeConfig.load(config);
        StudyDefinition study = StudyDefinition.load(c.study());
        String url = c.database() != null ? c.database() : Store.defaultUrl(c.dataDir());
        try (Store store = new Store(url); AuditLog audit = AuditLog.open(c.dataDir().resolve("audit.log"))) {
            Coordinator co = new Coordinator(study, store, audit);
            co.onRound(r -> System.out.println(r));
            try (CoordinatorServer server = new CoordinatorServer(co, c.identity(), c.host(), c.port())) {
                System.out.println("coordinator of " + study + " on " + c.host() + ":" + server.port()
                        + "; audit log " + audit.file());
                while (!co.awaitFinished(60_000)) {
                    System.out.println("waiting … (" + co.reports().size() + " rounds released)");
                }
                System.out.println("study finished; audit head " + audit.head() + " (" + audit.entries()
                        + " entries)");
                Thread.sleep(3000); // let hospitals collect the FINISHED task
            }
        }
        return 0;
    }
}
