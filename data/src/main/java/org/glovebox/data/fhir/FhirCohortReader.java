package org.glovebox.data.fhir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glovebox.data.CohortExtraction;
import org.glovebox.data.DataInputException;
import org.glovebox.data.IngestionStats;
import org.glovebox.data.SourceLocation;
import org.glovebox.data.cohort.Aggregation;
import org.glovebox.data.cohort.AgeFeature;
import org.glovebox.data.cohort.ClinicalCode;
import org.glovebox.data.cohort.CodeSystem;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.ColumnFeature;
import org.glovebox.data.cohort.ConditionFeature;
import org.glovebox.data.cohort.DataSource;
import org.glovebox.data.cohort.ErrorAction;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.data.cohort.MedicationFeature;
import org.glovebox.data.cohort.ObservationFeature;
import org.glovebox.data.cohort.Population;
import org.glovebox.data.cohort.Sex;
import org.glovebox.data.cohort.SexFeature;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Type;

/**
 * Turns a FHIR R4 export (Patient, Observation, Condition, MedicationRequest; other resource types are counted and
 * ignored) into a {@link CohortExtraction} following a FHIR {@link CohortDefinition}. Resources stream through
 * {@link FhirResourceReader}; for each patient only the running aggregates the cohort's features need are kept, so an
 * export larger than memory can be read as long as the per-patient summaries fit.
 *
 * <p>Resources may come in any order and in any number of files (bulk exports put each type in its own file). A
 * resource whose type and id were already read is a duplicate; a patient who is referenced but has no Patient resource
 * is dropped and counted. Observations without a value or date, values in unexpected units, and references to
 * non-patients are counted as skipped (unit mismatches stop the run unless the error policy says skip).
 */
public final class FhirCohortReader {

    private static final int GENDER_MALE = 0;
    private static final int GENDER_FEMALE = 1;
    private static final int GENDER_OTHER = 2;
    private static final int GENDER_UNKNOWN = 3;

    private final CohortDefinition definition;
    private final FhirReadLimits limits;
    private final long indexDay;
    private final long labelEndDay;
    private final List<ObservationRule> observationRules = new ArrayList<>();
    private final List<PresenceRule> conditionRules = new ArrayList<>();
    private final List<PresenceRule> medicationRules = new ArrayList<>();
    private final int[] slotOfFeature;

    private record ObservationRule(ObservationFeature feature, List<ClinicalCode> codes, int slot, long windowStart) {
    }

    private record PresenceRule(String featureName, List<ClinicalCode> codes, int slot, long windowStart) {
    }

    public FhirCohortReader(CohortDefinition definition) {
        this(definition, FhirReadLimits.DEFAULT);
    }

    public FhirCohortReader(CohortDefinition definition, FhirReadLimits limits) {
        if (definition.source() != DataSource.FHIR) {
            throw new IllegalArgumentException("cohort " + definition.name() + " is not a FHIR cohort");
        }
        this.definition = definition;
        this.limits = limits;
        LocalDate index = definition.indexDate();
        this.indexDay = index.toEpochDay();
        this.labelEndDay = index.plus(definition.label().within()).toEpochDay();
        List<FeatureDefinition> features = definition.features();
        this.slotOfFeature = new int[features.size()];
        int presenceSlots = 0;
        for (int i = 0; i < features.size(); i++) {
            FeatureDefinition f = features.get(i);
            switch (f) {
                case ObservationFeature o -> {
                    slotOfFeature[i] = observationRules.size();
                    observationRules.add(new ObservationRule(o, o.codes(),
                            observationRules.size(), windowStart(index, o)));
                }
                case ConditionFeature c -> {
                    slotOfFeature[i] = presenceSlots;
                    conditionRules.add(new PresenceRule(c.name(), c.codes(), presenceSlots++,
                            c.lookback() == null ? Long.MIN_VALUE : index.minus(c.lookback()).toEpochDay()));
                }
                case MedicationFeature m -> {
                    slotOfFeature[i] = presenceSlots;
                    medicationRules.add(new PresenceRule(m.name(), m.codes(), presenceSlots++,
                            m.lookback() == null ? Long.MIN_VALUE : index.minus(m.lookback()).toEpochDay()));
                }
                case AgeFeature a -> slotOfFeature[i] = -1;
                case SexFeature s -> slotOfFeature[i] = -1;
                case ColumnFeature c -> throw new IllegalArgumentException("column feature in a FHIR cohort");
            }
        }
    }

    private static long windowStart(LocalDate index, ObservationFeature o) {
        return o.lookback() == null ? Long.MIN_VALUE : index.minus(o.lookback()).toEpochDay();
    }

    /** Reads files and directories (see {@link FhirResourceReader}) and extracts the cohort. */
    public CohortExtraction read(List<Path> inputs) {
        Run run = new Run();
        FhirResourceReader reader = new FhirResourceReader(definition.errors().malformed(), limits, run.stats);
        ResourceFilter filter = relevanceFilter();
        for (Path input : inputs) {
            reader.read(input, filter, run);
        }
        return run.finish();
    }

    /**
     * Lets through only resources that can contribute: every Patient and Bundle, and Observations, Conditions and
     * MedicationRequests whose text contains one of the cohort's codes. Most of a real export (claims, procedures,
     * unrelated observations) is then never parsed. A resource that matches must contain its code literally, so
     * the filter never rejects one that matters; text with JSON unicode escapes is always let through, because an
     * escape could spell a code. ICD-10 codes are searched by their three-character category, as {@code E11} matches
     * {@code E11.9} and {@code E119}.
     */
    private ResourceFilter relevanceFilter() {
        List<String> observationTokens = new ArrayList<>();
        observationRules.forEach(r -> r.codes.forEach(c -> observationTokens.add(token(c))));
        List<String> conditionTokens = new ArrayList<>();
        conditionRules.forEach(r -> r.codes.forEach(c -> conditionTokens.add(token(c))));
        definition.label().codes().forEach(c -> conditionTokens.add(token(c)));
        List<String> medicationTokens = new ArrayList<>();
        medicationRules.forEach(r -> r.codes.forEach(c -> medicationTokens.add(token(c))));
        return (type, json) -> switch (type) {
            case "Patient", "Bundle" -> true;
            case "Observation" -> containsAny(json, observationTokens);
            case "Condition" -> containsAny(json, conditionTokens);
            // A request naming its drug by reference is counted as unresolved, so it must reach the extraction.
            case "MedicationRequest" -> !medicationTokens.isEmpty()
                    && (containsAny(json, medicationTokens) || json.contains("\"medicationReference\""));
            default -> false;
        };
    }

    private static String token(ClinicalCode code) {
        return code.system() == CodeSystem.ICD10 ? code.code().substring(0, 3) : code.code();
    }

    private static boolean containsAny(String json, List<String> tokens) {
        if (json.contains("\\u")) {
            return true;
        }
        for (String t : tokens) {
            if (json.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** Reads one file or directory and extracts the cohort. */
    public CohortExtraction read(Path input) {
        return read(List.of(input));
    }

    /** The state of one read; the reader itself stays reusable. */
    private final class Run implements FhirResourceSink {
        final IngestionStats.Recorder stats = new IngestionStats.Recorder();
        final Map<String, PatientState> patients = new HashMap<>();
        final ResourceFingerprints seen = new ResourceFingerprints();
        final long[] observationMatches = new long[observationRules.size()];
        final long[] conditionMatches = new long[conditionRules.size()];
        final long[] medicationMatches = new long[medicationRules.size()];
        long labelMatches;
        long patientResources;
        final int presenceSlots = conditionRules.size() + medicationRules.size();

        @Override
        public void accept(IBaseResource resource, SourceLocation where) {
            switch (resource) {
                case Patient p -> patient(p, where);
                case Observation o -> observation(o, where);
                case Condition c -> condition(c, where);
                case MedicationRequest m -> medication(m, where);
                default -> {
                    // Encounters, Procedures, Organizations...: counted as read, not needed by a cohort.
                }
            }
        }

        private PatientState state(String key) {
            return patients.computeIfAbsent(key, k -> new PatientState(observationRules.size(), presenceSlots));
        }

        private boolean firstTime(IBaseResource resource, SourceLocation where) {
            String id = resource.getIdElement().getIdPart();
            if (id == null || seen.add(resource.fhirType(), id)) {
                return true;
            }
            if (definition.errors().duplicate() == ErrorAction.FAIL) {
                throw new DataInputException(where, "duplicate resource: " + resource.fhirType() + "/" + id
                        + " was already read (set errors.duplicate: skip to keep the first and skip the others)");
            }
            stats.skipped("duplicate resource", where);
            return false;
        }

        private void patient(Patient p, SourceLocation where) {
            String id = p.getIdElement().getIdPart();
            if (id == null) {
                stats.skipped("Patient without id", where);
                return;
            }
            if (!firstTime(p, where)) {
                return;
            }
            patientResources++;
            PatientState s = state(id);
            s.hasPatientResource = true;
            s.birthDay = p.hasBirthDateElement() ? FhirDates.epochDay(p.getBirthDateElement().getValueAsString())
                    : FhirDates.NONE;
            Enumerations.AdministrativeGender gender = p.getGender();
            s.sex = gender == null ? PatientState.SEX_MISSING : switch (gender) {
                case MALE -> GENDER_MALE;
                case FEMALE -> GENDER_FEMALE;
                case OTHER -> GENDER_OTHER;
                case UNKNOWN -> GENDER_UNKNOWN;
                default -> PatientState.SEX_MISSING;
            };
            if (p.hasDeceasedDateTimeType()) {
                s.deceasedDay = FhirDates.epochDay(p.getDeceasedDateTimeType().getValueAsString());
                s.deceasedWithoutDate = s.deceasedDay == FhirDates.NONE;
            } else if (p.hasDeceasedBooleanType()) {
                s.deceasedWithoutDate = p.getDeceasedBooleanType().booleanValue();
            }
        }

        private void observation(Observation o, SourceLocation where) {
            List<ObservationRule> rules = null;
            List<Type> values = null;
            for (ObservationRule r : observationRules) {
                Type value = null;
                boolean match = false;
                if (hasAnyCode(o.getCode(), r.codes)) {
                    match = true;
                    value = o.getValue();
                } else {
                    for (Observation.ObservationComponentComponent c : o.getComponent()) {
                        if (hasAnyCode(c.getCode(), r.codes)) {
                            match = true;
                            value = c.getValue();
                            break;
                        }
                    }
                }
                if (match) {
                    if (rules == null) {
                        rules = new ArrayList<>(2);
                        values = new ArrayList<>(2);
                    }
                    rules.add(r);
                    values.add(value);
                    observationMatches[r.slot]++;
                }
            }
            if (rules == null) {
                return;
            }
            Observation.ObservationStatus status = o.getStatus();
            if (status == Observation.ObservationStatus.ENTEREDINERROR
                    || status == Observation.ObservationStatus.CANCELLED) {
                stats.skipped("observation entered in error or cancelled", where);
                return;
            }
            if (!firstTime(o, where)) {
                return;
            }
            String key = FhirReferences.patientKey(o.getSubject().getReference());
            if (key == null) {
                stats.skipped("subject is not a Patient reference", where);
                return;
            }
            String when = effectiveTime(o);
            long day = FhirDates.epochDay(when);
            if (day == FhirDates.NONE) {
                stats.skipped("observation without date", where);
                return;
            }
            long order = FhirDates.orderKey(when, day);
            for (int i = 0; i < rules.size(); i++) {
                ObservationRule r = rules.get(i);
                if (day > indexDay || day < r.windowStart) {
                    continue;
                }
                ObservationFeature f = r.feature;
                if (f.aggregate() == Aggregation.COUNT) {
                    state(key).observation(r.slot).add(Aggregation.COUNT, order, 0);
                    continue;
                }
                double v = f.isCoded() ? codedValue(f, values.get(i), where)
                        : quantityValue(f, values.get(i), where);
                if (!Double.isNaN(v)) {
                    state(key).observation(r.slot).add(f.aggregate(), order, v);
                }
            }
        }

        private double codedValue(ObservationFeature f, Type value, SourceLocation where) {
            if (!(value instanceof CodeableConcept cc) || cc.getCoding().isEmpty()) {
                stats.skipped("observation without value", where);
                return Double.NaN;
            }
            for (Coding coding : cc.getCoding()) {
                for (ClinicalCode wanted : f.valueCodes()) {
                    if (wanted.matches(coding.getSystem(), coding.getCode())) {
                        return 1.0;
                    }
                }
            }
            return 0.0;
        }

        private double quantityValue(ObservationFeature f, Type value, SourceLocation where) {
            if (!(value instanceof Quantity q) || !q.hasValue()) {
                stats.skipped("observation without value", where);
                return Double.NaN;
            }
            if (q.hasComparator()) {
                stats.skipped("value with a comparator (<, >)", where);
                return Double.NaN;
            }
            double factor = f.conversionFactor(q.getCode());
            if (Double.isNaN(factor)) {
                factor = f.conversionFactor(q.getUnit());
            }
            if (Double.isNaN(factor)) {
                String found = q.hasCode() ? q.getCode() : q.hasUnit() ? q.getUnit() : "no unit";
                if (definition.errors().unitMismatch() == ErrorAction.FAIL) {
                    throw new DataInputException(where, "feature '" + f.name() + "' (LOINC " + String.join(", ", f.loinc())
                            + ") expects unit " + f.unit() + " but the value is in '" + found + "' (add the unit to"
                            + " convert with its factor, or set errors.unitMismatch: skip)");
                }
                stats.skipped("unit mismatch (" + f.name() + ")", where);
                return Double.NaN;
            }
            double v = q.getValue().doubleValue() * factor;
            if (!Double.isFinite(v)) {
                stats.skipped("observation without value", where);
                return Double.NaN;
            }
            return v;
        }

        private void condition(Condition c, SourceLocation where) {
            boolean[] featureMatch = null;
            for (int i = 0; i < conditionRules.size(); i++) {
                if (hasAnyCode(c.getCode(), conditionRules.get(i).codes)) {
                    if (featureMatch == null) {
                        featureMatch = new boolean[conditionRules.size()];
                    }
                    featureMatch[i] = true;
                    conditionMatches[i]++;
                }
            }
            boolean labelMatch = hasAnyCode(c.getCode(), definition.label().codes());
            if (labelMatch) {
                labelMatches++;
            }
            if (featureMatch == null && !labelMatch) {
                return;
            }
            if (isRefutedOrError(c.getVerificationStatus())) {
                stats.skipped("condition refuted or entered in error", where);
                return;
            }
            if (!firstTime(c, where)) {
                return;
            }
            String key = FhirReferences.patientKey(c.getSubject().getReference());
            if (key == null) {
                stats.skipped("subject is not a Patient reference", where);
                return;
            }
            long day = FhirDates.epochDay(onset(c));
            if (day == FhirDates.NONE) {
                stats.skipped("condition without date", where);
                return;
            }
            PatientState s = state(key);
            if (featureMatch != null) {
                for (int i = 0; i < featureMatch.length; i++) {
                    PresenceRule r = conditionRules.get(i);
                    if (featureMatch[i] && day <= indexDay && day >= r.windowStart) {
                        s.present[r.slot] = true;
                    }
                }
            }
            if (labelMatch) {
                if (day <= indexDay) {
                    s.labelBeforeIndex = true;
                } else if (day <= labelEndDay) {
                    s.labelInWindow = true;
                }
            }
        }

        private void medication(MedicationRequest m, SourceLocation where) {
            if (medicationRules.isEmpty()) {
                return;
            }
            if (!m.hasMedicationCodeableConcept()) {
                if (m.hasMedicationReference()) {
                    stats.skipped("medication given by reference (not resolved)", where);
                }
                return;
            }
            CodeableConcept code = m.getMedicationCodeableConcept();
            List<PresenceRule> matched = new ArrayList<>(1);
            for (int i = 0; i < medicationRules.size(); i++) {
                PresenceRule r = medicationRules.get(i);
                if (hasAnyCode(code, r.codes)) {
                    matched.add(r);
                    medicationMatches[i]++;
                }
            }
            if (matched.isEmpty()) {
                return;
            }
            if (m.getStatus() == MedicationRequest.MedicationRequestStatus.ENTEREDINERROR) {
                stats.skipped("medication request entered in error", where);
                return;
            }
            if (!firstTime(m, where)) {
                return;
            }
            String key = FhirReferences.patientKey(m.getSubject().getReference());
            if (key == null) {
                stats.skipped("subject is not a Patient reference", where);
                return;
            }
            long day = m.hasAuthoredOnElement() ? FhirDates.epochDay(m.getAuthoredOnElement().getValueAsString())
                    : FhirDates.NONE;
            if (day == FhirDates.NONE) {
                stats.skipped("medication request without date", where);
                return;
            }
            PatientState s = state(key);
            for (PresenceRule r : matched) {
                if (day <= indexDay && day >= r.windowStart) {
                    s.present[r.slot] = true;
                }
            }
        }

        CohortExtraction finish() {
            CohortExtraction.Builder rows = new CohortExtraction.Builder(definition);
            Population population = definition.population();
            List<FeatureDefinition> features = definition.features();
            LocalDate index = definition.indexDate();
            List<String> keys = new ArrayList<>(patients.keySet());
            keys.sort(null);
            double[] row = new double[features.size()];
            for (String key : keys) {
                PatientState s = patients.get(key);
                String reason = exclusion(s, population);
                if (reason != null) {
                    rows.exclude(reason);
                    continue;
                }
                for (int i = 0; i < row.length; i++) {
                    row[i] = switch (features.get(i)) {
                        case AgeFeature a -> s.birthDay == FhirDates.NONE ? Double.NaN
                                : LocalDate.ofEpochDay(s.birthDay).until(index).getYears();
                        case SexFeature x -> s.sex == GENDER_FEMALE ? 1.0 : s.sex == GENDER_MALE ? 0.0 : Double.NaN;
                        case ObservationFeature o -> {
                            ObservationAggregate agg = s.observations[slotOfFeature[i]];
                            yield agg == null ? (o.aggregate() == Aggregation.COUNT ? 0.0 : Double.NaN)
                                    : agg.result(o.aggregate());
                        }
                        case ConditionFeature c -> s.present[slotOfFeature[i]] ? 1.0 : 0.0;
                        case MedicationFeature m -> s.present[slotOfFeature[i]] ? 1.0 : 0.0;
                        case ColumnFeature c -> throw new AssertionError("checked in the constructor");
                    };
                }
                rows.add(key, row, s.labelInWindow ? 1.0 : 0.0);
            }
            return rows.build(stats.finish(), warnings());
        }

        private String exclusion(PatientState s, Population population) {
            if (!s.hasPatientResource) {
                return "no Patient resource (only referenced)";
            }
            if (s.birthDay != FhirDates.NONE && s.birthDay > indexDay) {
                return "born after the index date";
            }
            if (population.aliveAtIndex()) {
                if (s.deceasedDay != FhirDates.NONE && s.deceasedDay <= indexDay) {
                    return "died before the index date";
                }
                if (s.deceasedWithoutDate) {
                    return "deceased, date unknown";
                }
            }
            if (population.restrictsAge()) {
                if (s.birthDay == FhirDates.NONE) {
                    return "no birth date";
                }
                int age = LocalDate.ofEpochDay(s.birthDay).until(definition.indexDate()).getYears();
                if ((population.minAge() != null && age < population.minAge())
                        || (population.maxAge() != null && age > population.maxAge())) {
                    return "age outside " + (population.minAge() == null ? 0 : population.minAge()) + "-"
                            + (population.maxAge() == null ? "" : population.maxAge());
                }
            }
            if (population.sex() != null) {
                Sex sex = switch (s.sex) {
                    case GENDER_MALE -> Sex.MALE;
                    case GENDER_FEMALE -> Sex.FEMALE;
                    case GENDER_OTHER -> Sex.OTHER;
                    case GENDER_UNKNOWN -> Sex.UNKNOWN;
                    default -> null;
                };
                if (sex == null || !population.sex().contains(sex)) {
                    return "sex not in the study population";
                }
            }
            if (population.excludePriorLabel() && s.labelBeforeIndex) {
                return "label condition before the index date";
            }
            return null;
        }

        private List<String> warnings() {
            List<String> w = new ArrayList<>();
            if (patientResources == 0) {
                w.add("no Patient resource in the input");
            }
            for (ObservationRule r : observationRules) {
                if (observationMatches[r.slot] == 0) {
                    w.add("no Observation with LOINC " + String.join(", ", r.feature.loinc()) + " (feature '" + r.feature.name()
                            + "') in the input: check the code");
                }
            }
            for (int i = 0; i < conditionRules.size(); i++) {
                if (conditionMatches[i] == 0) {
                    w.add("no Condition with codes " + conditionRules.get(i).codes + " (feature '"
                            + conditionRules.get(i).featureName + "') in the input: check the codes");
                }
            }
            for (int i = 0; i < medicationRules.size(); i++) {
                if (medicationMatches[i] == 0) {
                    w.add("no MedicationRequest with codes " + medicationRules.get(i).codes + " (feature '"
                            + medicationRules.get(i).featureName + "') in the input: check the codes");
                }
            }
            if (labelMatches == 0) {
                w.add("no Condition with the label's codes " + definition.label().codes()
                        + " in the input: every label is 0");
            }
            return w;
        }
    }

    private static boolean hasAnyCode(CodeableConcept concept, List<ClinicalCode> codes) {
        for (Coding coding : concept.getCoding()) {
            for (ClinicalCode code : codes) {
                if (code.matches(coding.getSystem(), coding.getCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** When the observation was made: effective time, else the issue time. */
    private static String effectiveTime(Observation o) {
        if (o.hasEffectiveDateTimeType()) {
            return o.getEffectiveDateTimeType().getValueAsString();
        }
        if (o.hasEffectivePeriod() && o.getEffectivePeriod().hasStartElement()) {
            return o.getEffectivePeriod().getStartElement().getValueAsString();
        }
        if (o.hasEffectiveInstantType()) {
            return o.getEffectiveInstantType().getValueAsString();
        }
        return o.hasIssuedElement() ? o.getIssuedElement().getValueAsString() : null;
    }

    /** When the condition started: onset, else the date it was recorded. */
    private static String onset(Condition c) {
        if (c.hasOnsetDateTimeType()) {
            return c.getOnsetDateTimeType().getValueAsString();
        }
        if (c.hasOnsetPeriod() && c.getOnsetPeriod().hasStartElement()) {
            return c.getOnsetPeriod().getStartElement().getValueAsString();
        }
        return c.hasRecordedDateElement() ? c.getRecordedDateElement().getValueAsString() : null;
    }

    private static boolean isRefutedOrError(CodeableConcept verification) {
        for (Coding coding : verification.getCoding()) {
            if ("refuted".equals(coding.getCode()) || "entered-in-error".equals(coding.getCode())) {
                return true;
            }
        }
        return false;
    }
}
