package org.glovebox.data.synth;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.glovebox.data.cohort.CodeSystem;
import org.glovebox.data.cohort.Sex;
import org.glovebox.data.synth.HospitalProfile.DiagnosisCoding;
import org.glovebox.data.synth.SyntheticPatient.Diagnosis;
import org.glovebox.data.synth.SyntheticPatient.Prescription;
import org.glovebox.data.synth.SyntheticPatient.Visit;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Expresses a {@link SyntheticPatient} as FHIR R4 resources the way EHR exports do: a Patient; per visit an Encounter
 * and vital-sign, laboratory and social-history Observations (BMI, a blood-pressure panel with systolic and diastolic
 * components, heart rate, HbA1c, total cholesterol, smoking status); Conditions; MedicationRequests. Hospitals differ in
 * coding habits as real ones do: SNOMED CT only, SNOMED CT plus ICD-10-CM, or ICD-10 only; cholesterol as mass
 * (LOINC 2093-3, mg/dL) or molar concentration (14647-2, mmol/L).
 */
final class SyntheticFhirMapper {

    private static final String UCUM = "http://unitsofmeasure.org";
    private static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private final DiagnosisCoding diagnosisCoding;
    private final boolean bundleReferences;

    /**
     * @param diagnosisCoding  the hospital's diagnosis coding habit
     * @param bundleReferences refer to the patient as {@code urn:uuid:...} (as in transaction bundles) instead of
     *                         {@code Patient/...} (as in bulk exports)
     */
    SyntheticFhirMapper(DiagnosisCoding diagnosisCoding, boolean bundleReferences) {
        this.diagnosisCoding = diagnosisCoding;
        this.bundleReferences = bundleReferences;
    }

    /** All resources of the patient, the Patient first. */
    List<Resource> resources(SyntheticPatient p) {
        List<Resource> out = new ArrayList<>();
        out.add(patient(p));
        Reference subject = new Reference(bundleReferences ? "urn:uuid:" + p.id() : "Patient/" + p.id());
        int n = 0;
        for (Visit v : p.visits()) {
            String encounterId = childId(p, "encounter", n++);
            Encounter e = new Encounter();
            e.setId(encounterId);
            e.setStatus(Encounter.EncounterStatus.FINISHED);
            e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
            e.setSubject(subject);
            e.setPeriod(new Period().setStartElement(dateTime(v.time())).setEndElement(dateTime(v.time().plusMinutes(20))));
            out.add(e);
            Reference encounter = new Reference(bundleReferences ? "urn:uuid:" + encounterId : "Encounter/" + encounterId);
            out.addAll(observations(p, v, subject, encounter, n));
        }
        int d = 0;
        for (Diagnosis diagnosis : p.diagnoses()) {
            out.add(condition(p, diagnosis, subject, d++));
        }
        int m = 0;
        for (Prescription prescription : p.prescriptions()) {
            out.add(medicationRequest(p, prescription, subject, m++));
        }
        return out;
    }

    private org.hl7.fhir.r4.model.Patient patient(SyntheticPatient p) {
        org.hl7.fhir.r4.model.Patient r = new org.hl7.fhir.r4.model.Patient();
        r.setId(p.id());
        r.addIdentifier().setSystem("urn:glovebox:synthetic:" + p.hospitalId()).setValue(p.id());
        r.setGender(p.sex() == Sex.FEMALE ? Enumerations.AdministrativeGender.FEMALE
                : Enumerations.AdministrativeGender.MALE);
        r.setBirthDateElement(new DateType(p.birthDate().toString()));
        return r;
    }

    private List<Observation> observations(SyntheticPatient p, Visit v, Reference subject, Reference encounter,
            int visit) {
        List<Observation> out = new ArrayList<>();
        int k = 0;
        Observation bmi = observation(p, visit, k++, subject, encounter, v, "vital-signs", "39156-5",
                "Body mass index (BMI) [Ratio]");
        if (v.bmiValueAbsent()) {
            bmi.setDataAbsentReason(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed", "Not Performed")));
        } else {
            bmi.setValue(quantity(v.bmi(), "kg/m2"));
        }
        out.add(bmi);
        Observation bp = observation(p, visit, k++, subject, encounter, v, "vital-signs", "85354-9",
                "Blood pressure panel with all children optional");
        bp.addComponent().setCode(loinc("8480-6", "Systolic blood pressure")).setValue(quantity(v.systolic(), "mm[Hg]"));
        bp.addComponent().setCode(loinc("8462-4", "Diastolic blood pressure")).setValue(quantity(v.diastolic(), "mm[Hg]"));
        out.add(bp);
        out.add(observation(p, visit, k++, subject, encounter, v, "vital-signs", "8867-4", "Heart rate")
                .setValue(quantity(v.heartRate(), "/min")));
        if (!Double.isNaN(v.hba1c())) {
            out.add(observation(p, visit, k++, subject, encounter, v, "laboratory", "4548-4",
                    "Hemoglobin A1c/Hemoglobin.total in Blood").setValue(quantity(v.hba1c(), "%")));
        }
        if (!Double.isNaN(v.cholesterol())) {
            out.add(v.cholesterolInMmol()
                    ? observation(p, visit, k++, subject, encounter, v, "laboratory", "14647-2",
                            "Cholesterol [Moles/volume] in Serum or Plasma").setValue(quantity(v.cholesterol(), "mmol/L"))
                    : observation(p, visit, k++, subject, encounter, v, "laboratory", "2093-3",
                            "Cholesterol [Mass/volume] in Serum or Plasma").setValue(quantity(v.cholesterol(), "mg/dL")));
        }
        out.add(observation(p, visit, k, subject, encounter, v, "social-history", "72166-2", "Tobacco smoking status")
                .setValue(new CodeableConcept(new Coding(CodeSystem.SNOMED.canonicalUri(), v.smoking().snomed,
                        v.smoking().display))));
        return out;
    }

    private Observation observation(SyntheticPatient p, int visit, int k, Reference subject, Reference encounter,
            Visit v, String category, String loincCode, String display) {
        Observation o = new Observation();
        o.setId(childId(p, "observation-" + visit, k));
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, category, null)));
        o.setCode(loinc(loincCode, display));
        o.setSubject(subject);
        o.setEncounter(encounter);
        o.setEffective(dateTime(v.time()));
        return o;
    }

    private Condition condition(SyntheticPatient p, Diagnosis d, Reference subject, int n) {
        Condition c = new Condition();
        c.setId(childId(p, "condition", n));
        c.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        c.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null)));
        CodeableConcept code = new CodeableConcept();
        if (diagnosisCoding != DiagnosisCoding.ICD10) {
            code.addCoding(new Coding(CodeSystem.SNOMED.canonicalUri(), d.disorder().snomed, d.disorder().snomedDisplay));
        }
        if (diagnosisCoding == DiagnosisCoding.SNOMED_AND_ICD10CM) {
            code.addCoding(new Coding("http://hl7.org/fhir/sid/icd-10-cm", d.disorder().icd10,
                    d.disorder().icd10Display));
        } else if (diagnosisCoding == DiagnosisCoding.ICD10) {
            code.addCoding(new Coding("http://hl7.org/fhir/sid/icd-10", d.disorder().icd10, d.disorder().icd10Display));
        }
        code.setText(d.disorder().snomedDisplay);
        c.setCode(code);
        c.setSubject(subject);
        c.setOnset(new DateTimeType(d.onset().toString()));
        c.setRecordedDateElement(new DateTimeType(d.onset().toString()));
        return c;
    }

    private MedicationRequest medicationRequest(SyntheticPatient p, Prescription rx, Reference subject, int n) {
        MedicationRequest m = new MedicationRequest();
        m.setId(childId(p, "medication-request", n));
        m.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        m.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        m.setMedication(new CodeableConcept(new Coding(CodeSystem.RXNORM.canonicalUri(), rx.drug().rxnorm,
                rx.drug().display)));
        m.setSubject(subject);
        m.setAuthoredOnElement(new DateTimeType(rx.authoredOn().toString()));
        return m;
    }

    private static CodeableConcept loinc(String code, String display) {
        return new CodeableConcept(new Coding(CodeSystem.LOINC.canonicalUri(), code, display)).setText(display);
    }

    private static Quantity quantity(double value, String ucum) {
        BigDecimal decimal = value == Math.rint(value) ? BigDecimal.valueOf((long) value) : BigDecimal.valueOf(value);
        return new Quantity().setValue(decimal).setUnit(ucum).setSystem(UCUM).setCode(ucum);
    }

    /** Keeps the hospital's UTC offset in the text, as EHR exports do; FHIR requires seconds when a time is given. */
    private static DateTimeType dateTime(OffsetDateTime t) {
        return new DateTimeType(t.withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** A stable id for the n-th child resource of a kind, so that repeated runs write identical files. */
    private static String childId(SyntheticPatient p, String kind, int n) {
        return UUID.nameUUIDFromBytes((p.id() + "/" + kind + "/" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
