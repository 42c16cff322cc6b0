package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.data.Cohorts;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.federated.hospital.HospitalNode;
import org.glovebox.federated.hospital.LocalData;
import org.glovebox.federated.run.NodeConfig;
import org.glovebox.federated.study.StudyDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox hospital --config <file>}: runs a hospital node until the study is finished. */
@Command(name = "hospital", mixinStandardHelpOptions = true,
        description = "Runs a hospital node: trains locally, sends only ciphertexts, holds its key shares.")
public final class HospitalCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "<file>", description = "hospital.yaml")
    Path config;

    @Override
    public Integer call() throws Exception {
        NodeConfig c = NodeConfig.load(config);
        StudyDefinition study = StudyDefinition.load(c.study());
        if (c.data() == null) {
            throw new IllegalArgumentException("hospital configuration needs 'data' (the local export)");
        }
        FeatureMatrix m = Cohorts.load(study.cohortDefinition(), c.data()).matrix();
        LocalData data = LocalData.of(m, study.validationFraction(), study.seed() * 31 + study.partyIndex(
                c.identity().name()));
        try (HospitalNode node = new HospitalNode(study, c.identity(), c.host(), c.port(), data, c.stateDir())) {
            System.out.println(node.name() + ": " + m.rows() + " local records, joining " + study);
            boolean finished = node.run();
            if (finished && node.statistics() != null) {
                System.out.println("study-wide statistics (also in " + c.stateDir().resolve("statistics.json")
                        + "):");
                System.out.print(node.statistics().toText());
            }
            return finished ? 0 : 1;
        }
    }
}
