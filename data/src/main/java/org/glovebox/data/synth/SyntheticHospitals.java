package org.glovebox.data.synth;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glovebox.data.fhir.FhirContexts;
import org.glovebox.data.synth.SyntheticPatient.Disorder;
import org.glovebox.data.synth.SyntheticPatient.Drug;
import org.glovebox.data.synth.SyntheticPatient.SmokingStatus;
import org.glovebox.data.synth.SyntheticPatient.Visit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes synthetic hospitals to disk for demos and tests, so that every ingestion path runs on realistic input without
 * real patient data. For each hospital, in {@code <out>/<hospital-id>/}:
 * <ul>
 *   <li>{@code fhir/<Type>.ndjson}: a FHIR bulk export (Patient, Encounter, Observation, Condition, MedicationRequest),
 *       references as {@code Patient/<id>};</li>
 *   <li>{@code fhir-bundles/bundle-NNNN.json}: the same resources as pretty-printed transaction Bundles of up to 100
 *       patients, entries identified by {@code fullUrl: urn:uuid:...} (as Synthea writes them);</li>
 *   <li>{@code <hospital-id>.csv}: the extract a data team would make: one row per patient at risk (no diabetes before
 *       the index date) with the latest values of the three years before the index date and the outcome.</li>
 * </ul>
 * Plus {@code ground-truth.json} with the true model coefficients and the hospitals' profiles. Patients are streamed
 * from the generator to the files, so any number can be written in constant memory.
 */
public final class SyntheticHospitals {

    /** Output formats. */
    public enum Format { FHIR_NDJSON, FHIR_BUNDLES, CSV }

    /** What was written for one hospital. */
    public record HospitalSummary(HospitalProfile profile, Path folder, int patients, int priorDiabetes,
            int outcomes, long resources) {
    }

    /** What was written. */
    public record Summary(Path folder, long seed, List<HospitalSummary> hospitals, GroundTruthModel model) {

        /** Total FHIR resources written (counted once even when written in two formats). */
        public long resources() {
            return hospitals.stream().mapToLong(HospitalSummary::resources).sum();
        }
    }

    /** Column names of the CSV extract, matching the example cohort {@code synthetic-diabetes-csv}. */
    public static final List<String> CSV_COLUMNS = List.of("patient_id", "age", "sex", "bmi", "sbp", "dbp", "hba1c",
            "cholesterol", "smoker", "hypertension", "antihypertensive", "diabetes_5y");

    private static final int PATIENTS_PER_BUNDLE = 100;

    private final SyntheticHospitalGenerator generator;

    public SyntheticHospitals() {
        this(new SyntheticHospitalGenerator());
    }

    public SyntheticHospitals(SyntheticHospitalGenerator generator) {
        this.generator = generator;
    }

    /** Writes {@code patientsPerHospital} patients for each hospital in the requested formats. */
    public Summary write(Path out, List<HospitalProfile> hospitals, int patientsPerHospital, long seed,
            Set<Format> formats) {
        if (patientsPerHospital < 1) {
            throw new IllegalArgumentException("at least one patient per hospital");
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("no output format requested");
        }
        Set<Format> wanted = EnumSet.copyOf(formats);
        // Hospitals are independent (each has its own files and random streams): write them in parallel.
        int threads = Math.max(1, Math.min(hospitals.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Files.createDirectories(out);
            List<Future<HospitalSummary>> jobs = new ArrayList<>();
            for (HospitalProfile h : hospitals) {
                jobs.add(pool.submit(() -> writeHospital(out.resolve(h.id()), h, patientsPerHospital, seed, wanted)));
            }
            List<HospitalSummary> summaries = new ArrayList<>();
            for (Future<HospitalSummary> job : jobs) {
                summaries.add(job.get());
            }
            Summary summary = new Summary(out, seed, summaries, generator.model());
            writeGroundTruth(out.resolve("ground-truth.json"), summary);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic hospitals to " + out, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot write synthetic hospitals to " + out,
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing synthetic hospitals", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private HospitalSummary writeHospital(Path folder, HospitalProfile h, int count, long seed, Set<Format> formats)
            throws IOException {
        Files.createDirectories(folder);
        SyntheticFhirMapper ndjsonMapper = new SyntheticFhirMapper(h.diagnosisCoding(), false);
        SyntheticFhirMapper bundleMapper = new SyntheticFhirMapper(h.diagnosisCoding(), true);
        IParser compact = writer(false);
        IParser pretty = writer(true);
        Map<String, Writer> ndjson = new TreeMap<>();
        int[] counts = new int[3];
        long[] resources = new long[1];
        try (BundleWriter bundles = formats.contains(Format.FHIR_BUNDLES)
                ? new BundleWriter(folder.resolve("fhir-bundles"), pretty) : null;
                Writer csv = formats.contains(Format.CSV) ? csvWriter(folder.resolve(h.id() + ".csv")) : null) {
            generator.patients(h, count, seed).forEach(p -> {
                counts[0]++;
                counts[1] += p.priorDiabetes() ? 1 : 0;
                counts[2] += p.outcome() ? 1 : 0;
                try {
                    if (formats.contains(Format.FHIR_NDJSON)) {
                        List<Resource> rs = ndjsonMapper.resources(p);
                        resources[0] = resources[0] + rs.size();
                        for (Resource r : rs) {
                            Writer w = ndjson.computeIfAbsent(r.fhirType(), t -> ndjsonWriter(folder, t));
                            w.write(compact.encodeResourceToString(r));
                            w.write('\n');
                        }
                    }
                    if (bundles != null) {
                        List<Resource> rs = bundleMapper.resources(p);
                        if (!formats.contains(Format.FHIR_NDJSON)) {
                            resources[0] = resources[0] + rs.size();
                        }
                        bundles.add(rs);
                    }
                    if (csv != null && !p.priorDiabetes()) {
                        csv.write(csvRow(p));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } finally {
            for (Writer w : ndjson.values()) {
                w.close();
            }
        }
        return new HospitalSummary(h, folder, counts[0], counts[1], counts[2], resources[0]);
    }

    private static IParser writer(boolean prettyPrint) {
        return FhirContexts.r4().newJsonParser().setPrettyPrint(prettyPrint);
    }

    private static Writer ndjsonWriter(Path folder, String type) {
        try {
            Files.createDirectories(folder.resolve("fhir"));
            return Files.newBufferedWriter(folder.resolve("fhir").resolve(type + ".ndjson"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Writer csvWriter(Path file) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(String.join(",", CSV_COLUMNS));
        w.write('\n');
        return w;
    }

    /**
     * One CSV row with the values a correct FHIR extraction of the example cohort finds: the latest value of the
     * lookback window (empty when none), diagnoses and prescriptions up to the index date.
     */
    static String csvRow(SyntheticPatient p) {
        LocalDate index = SyntheticHospitalGenerator.INDEX_DATE;
        LocalDate windowStart = index.minusYears(SyntheticHospitalGenerator.LOOKBACK_YEARS);
        double bmi = Double.NaN;
        double sbp = Double.NaN;
        double dbp = Double.NaN;
        double hba1c = Double.NaN;
        double cholesterol = Double.NaN;
        String smoker = "";
        for (Visit v : p.visits()) {
            LocalDate day = v.time().toLocalDate();
            if (day.isBefore(windowStart) || day.isAfter(index)) {
                continue;
            }
            // Visits are in time order, so later ones overwrite earlier ones: "latest".
            if (!v.bmiValueAbsent()) {
                bmi = v.bmi();
            }
            sbp = v.systolic();
            dbp = v.diastolic();
            hba1c = Double.isNaN(v.hba1c()) ? hba1c : v.hba1c();
            cholesterol = Double.isNaN(v.cholesterol()) ? cholesterol : v.cholesterolMgPerDl();
            smoker = v.smoking() == SmokingStatus.CURRENT ? "1" : "0";
        }
        boolean hypertension = p.diagnoses().stream()
                .anyMatch(d -> d.disorder() == Disorder.HYPERTENSION && !d.onset().isAfter(index));
        boolean antihypertensive = p.prescriptions().stream()
                .anyMatch(r -> Drug.ANTIHYPERTENSIVES.contains(r.drug()) && !r.authoredOn().isAfter(index));
        return String.join(",", p.id(), String.valueOf(p.truth().get("age").intValue()),
                p.sex() == org.glovebox.data.cohort.Sex.FEMALE ? "F" : "M", num(bmi), num(sbp), num(dbp), num(hba1c),
                num(cholesterol), smoker, hypertension ? "1" : "0", antihypertensive ? "1" : "0",
                p.outcome() ? "1" : "0") + "\n";
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void writeGroundTruth(Path file, Summary summary) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("description", "Synthetic hospitals generated by Glovebox: no real patient data. The outcome (type 2"
                + " diabetes within " + SyntheticHospitalGenerator.OUTCOME_YEARS + " years of the index date) follows"
                + " logit p = intercept + sum(coefficient * true value).");
        doc.put("seed", summary.seed());
        doc.put("indexDate", SyntheticHospitalGenerator.INDEX_DATE.toString());
        doc.put("intercept", summary.model().intercept());
        doc.put("coefficients", summary.model().coefficients());
        List<Map<String, Object>> hospitals = new ArrayList<>();
        for (HospitalSummary h : summary.hospitals()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("profile", h.profile());
            m.put("patients", h.patients());
            m.put("priorDiabetes", h.priorDiabetes());
            m.put("outcomes", h.outcomes());
            m.put("fhirResources", h.resources());
            hospitals.add(m);
        }
        doc.put("hospitals", hospitals);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }

    /** Groups patients' resources into transaction Bundles of {@link #PATIENTS_PER_BUNDLE} patients. */
    private static final class BundleWriter implements AutoCloseable {
        private final Path folder;
        private final IParser parser;
        private Bundle bundle;
        private int patients;
        private int files;

        BundleWriter(Path folder, IParser parser) throws IOException {
            this.folder = Files.createDirectories(folder);
            this.parser = parser;
        }

        void add(List<Resource> resources) throws IOException {
            if (bundle == null) {
                bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            }
            for (Resource r : resources) {
                String id = r.getIdElement().getIdPart();
                // Transaction entries are identified by their fullUrl; the server assigns the ids.
                r.setIdElement(null);
                bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(r).getRequest()
                        .setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType());
            }
            if (++patients == PATIENTS_PER_BUNDLE) {
                flush();
            }
        }

        private void flush() throws IOException {
            if (bundle == null) {
                return;
            }
            Path file = folder.resolve(String.format(Locale.ROOT, "bundle-%04d.json", ++files));
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                parser.encodeResourceToWriter(bundle, w);
            }
            bundle = null;
            patients = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
