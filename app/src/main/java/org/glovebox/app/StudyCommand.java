package org.glovebox.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glovebox.federated.run.ReleasePlan;
import org.glovebox.federated.study.StudyDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox study describe --study <file>}: validates a study file and says, in plain words, what the study
 * discloses (keys, what leaves a hospital, every figure released and with which privacy), for a hospital to read
 * before it joins.
 */
@Command(name = "study", mixinStandardHelpOptions = true, description = "Study file tools.",
        subcommands = {StudyCommand.Describe.class})
public final class StudyCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Validates a study file and prints what the study discloses, before a hospital joins it.")
    static final class Describe implements Callable<Integer> {
        @Option(names = "--study", required = true, paramLabel = "<file>", description = "study.yaml")
        Path study;

        @Override
        public Integer call() throws Exception {
            StudyDefinition s = StudyDefinition.load(study);
            ReleasePlan.describe(s).forEach(System.out::println);
            return 0;
        }
    }
}
