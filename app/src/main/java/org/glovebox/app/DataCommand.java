package org.glovebox.app;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.glovebox.data.CohortResult;
import org.glovebox.data.Cohorts;
import org.glovebox.data.DataInputException;
import org.glovebox.data.FeatureSummary;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.synth.HospitalProfile;
import org.glovebox.data.synth.SyntheticHospitals;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox data}: turns a hospital's export into a feature matrix and shows what came out ({@code inspect}),
 * or writes synthetic hospitals to try everything without real patient data ({@code synth}). Everything it prints is
 * counts and aggregates, never a patient's values.
 */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Read FHIR R4 / CSV exports into feature matrices, or generate synthetic hospitals.",
        subcommands = {DataCommand.Inspect.class, DataCommand.Synth.class})
public final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code glovebox data inspect}: reads an export with a cohort definition and prints the cohort summary. */
    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = {
                "Reads an export with a cohort definition and prints the cohort summary: input read and skipped,"
                        + " patients kept and dropped with reasons, per-feature missing rate, and the distribution"
                        + " (mean, sd, min, quartiles, max) of every feature over the kept patients.",
                "Example: glovebox data inspect --cohort example:pima --in ../shared/datasets/pima-indians-diabetes.csv"
            })
    static final class Inspect implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--cohort", required = true, paramLabel = "<file|example:NAME>",
                description = "Cohort definition (YAML or JSON), or a shipped example: "
                        + "example:edin, example:lbw, example:pima, example:wdbc, example:cleveland, "
                        + "example:synthetic-diabetes-fhir, example:synthetic-diabetes-csv, example:synthea-hypertension.")
        String cohort;

        @Option(names = "--in", required = true, arity = "1..*", paramLabel = "<bundle|ndjson|csv|dir>",
                description = "Input: FHIR Bundle (.json), NDJSON bulk export (.ndjson), a directory of them "
                        + "(also .gz), or a CSV file for CSV cohorts. May be given several times for FHIR.")
        List<Path> inputs;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            try {
                CohortDefinition definition = CohortDefinitions.resolve(cohort);
                CohortResult result = Cohorts.extract(definition, inputs).build();
                out.print(result.report().render());
                out.println();
                out.println("Distribution over the kept rows (after imputation):");
                out.printf(Locale.ROOT, "%-24s %-8s %10s %10s %10s %10s %10s %10s %10s%n", "feature", "unit", "mean",
                        "sd", "min", "p25", "median", "p75", "max");
                for (FeatureSummary s : FeatureSummary.of(result.matrix())) {
                    out.printf(Locale.ROOT, "%-24s %-8s %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g%n", s.name(),
                            s.unit(), s.mean(), s.sd(), s.min(), s.q25(), s.median(), s.q75(), s.max());
                }
                out.flush();
                return 0;
            } catch (DataInputException | IllegalArgumentException e) {
                err.println("glovebox data inspect: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    /** Output formats of {@code glovebox data synth}. */
    enum SynthFormat { FHIR, CSV, BOTH }

    /** {@code glovebox data synth}: writes synthetic hospitals. */
    @Command(
            name = "synth",
            mixinStandardHelpOptions = true,
            description = {
                "Writes synthetic hospitals (no real patient data) with different patient mixes and a known"
                        + " ground-truth risk model: per hospital a FHIR R4 bulk export (fhir/*.ndjson) and/or a CSV"
                        + " extract, plus ground-truth.json with the true coefficients.",
                "Then: glovebox data inspect --cohort example:synthetic-diabetes-fhir --in <out>/<hospital>/fhir"
            })
    static final class Synth implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--hospitals", defaultValue = "3", paramLabel = "<n>",
                description = "Number of hospitals (default: ${DEFAULT-VALUE}).")
        int hospitals;

        @Option(names = "--patients", defaultValue = "5000", paramLabel = "<n>",
                description = "Patients per hospital (default: ${DEFAULT-VALUE}).")
        int patients;

        @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Output directory.")
        Path out;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "<n>",
                description = "Random seed; the same seed writes the same files (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--format", defaultValue = "both", paramLabel = "<fhir|csv|both>",
                description = "What to write (default: ${DEFAULT-VALUE}).")
        SynthFormat format;

        @Option(names = "--bundles", description = "Also write the FHIR resources as transaction Bundles"
                + " (fhir-bundles/*.json), as Synthea does.")
        boolean bundles;

        @Override
        public Integer call() {
            if (hospitals < 1 || hospitals > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hospitals must be 1..100");
            }
            if (patients < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--patients must be at least 1");
            }
            Set<SyntheticHospitals.Format> formats = EnumSet.noneOf(SyntheticHospitals.Format.class);
            if (format != SynthFormat.CSV) {
                formats.add(SyntheticHospitals.Format.FHIR_NDJSON);
            }
            if (format != SynthFormat.FHIR) {
                formats.add(SyntheticHospitals.Format.CSV);
            }
            if (bundles) {
                formats.add(SyntheticHospitals.Format.FHIR_BUNDLES);
            }
            long start = System.nanoTime();
            SyntheticHospitals.Summary summary = new SyntheticHospitals()
                    .write(out, HospitalProfile.defaults(hospitals, seed), patients, seed, formats);
            var w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "Wrote %d synthetic hospital(s) to %s in %.1f s (seed %d):%n", hospitals, out,
                    (System.nanoTime() - start) / 1e9, seed);
            for (SyntheticHospitals.HospitalSummary h : summary.hospitals()) {
                w.printf(Locale.ROOT, "  %-22s %-24s %,7d patients, %,6d diabetic before the index date, %,6d new"
                        + " cases in 5 years%s%n", h.profile().id(), h.profile().name(), h.patients(), h.priorDiabetes(),
                        h.outcomes(), h.resources() == 0 ? ""
                                : String.format(Locale.ROOT, ", %,d FHIR resources", h.resources()));
            }
            w.println("True model: " + out.resolve("ground-truth.json"));
            String first = summary.hospitals().get(0).profile().id();
            if (formats.contains(SyntheticHospitals.Format.FHIR_NDJSON)) {
                w.println("Inspect:    glovebox data inspect --cohort example:synthetic-diabetes-fhir --in "
                        + out.resolve(first).resolve("fhir"));
            }
            if (formats.contains(SyntheticHospitals.Format.CSV)) {
                w.println("Inspect:    glovebox data inspect --cohort example:synthetic-diabetes-csv --in "
                        + out.resolve(first).resolve(first + ".csv"));
            }
            w.flush();
            return 0;
        }
    }
}
