package org.glovebox.data.fhir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Hand-written FHIR R4 JSON for tests: one compact resource per call, exactly as a bulk export line looks. */
final class Fhir {

    private Fhir() {
    }

    static String patient(String id, String birthDate, String gender) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\""
                + (birthDate == null ? "" : ",\"birthDate\":\"" + birthDate + "\"")
                + (gender == null ? "" : ",\"gender\":\"" + gender + "\"") + "}";
    }

    static String quantity(String id, String patient, String loinc, String value, String unit, String when) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\"}]},"
                + "\"subject\":{\"reference\":\"" + ref(patient) + "\"},"
                + "\"effectiveDateTime\":\"" + when + "\""
                + (value == null ? "" : ",\"valueQuantity\":{\"value\":" + value + ",\"unit\":\"" + unit
                        + "\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"" + unit + "\"}")
                + "}";
    }

    static String bloodPressure(String id, String patient, int systolic, int diastolic, String when) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}]},"
                + "\"subject\":{\"reference\":\"" + ref(patient) + "\"},\"effectiveDateTime\":\"" + when + "\","
                + "\"component\":["
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"}]},"
                + "\"valueQuantity\":{\"value\":" + systolic + ",\"unit\":\"mm[Hg]\",\"code\":\"mm[Hg]\"}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\"}]},"
                + "\"valueQuantity\":{\"value\":" + diastolic + ",\"unit\":\"mm[Hg]\",\"code\":\"mm[Hg]\"}}]}";
    }

    static String smoking(String id, String patient, String snomed, String when) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"72166-2\"}]},"
                + "\"subject\":{\"reference\":\"" + ref(patient) + "\"},\"effectiveDateTime\":\"" + when + "\","
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\""
                + snomed + "\"}]}}";
    }

    static String condition(String id, String patient, String system, String code, String onset) {
        return "{\"resourceType\":\"Condition\",\"id\":\"" + id + "\","
                + "\"code\":{\"coding\":[{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"reference\":\"" + ref(patient) + "\"},\"onsetDateTime\":\"" + onset + "\"}";
    }

    static String medication(String id, String patient, String rxnorm, String authoredOn) {
        return "{\"resourceType\":\"MedicationRequest\",\"id\":\"" + id + "\",\"status\":\"active\","
                + "\"intent\":\"order\",\"medicationCodeableConcept\":{\"coding\":[{\"system\":"
                + "\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"" + rxnorm + "\"}]},"
                + "\"subject\":{\"reference\":\"" + ref(patient) + "\"},\"authoredOn\":\"" + authoredOn + "\"}";
    }

    /** A transaction Bundle whose entries are identified only by {@code fullUrl: urn:uuid:...}, as Synthea writes. */
    static String transactionBundle(List<String> fullUrlIds, List<String> resourcesWithoutIds) {
        StringBuilder s = new StringBuilder("{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"transaction\",\n"
                + "  \"entry\": [\n");
        for (int i = 0; i < resourcesWithoutIds.size(); i++) {
            s.append(i == 0 ? "" : ",\n").append("    {\n      \"fullUrl\": \"urn:uuid:").append(fullUrlIds.get(i))
                    .append("\",\n      \"resource\": ").append(resourcesWithoutIds.get(i))
                    .append(",\n      \"request\": {\"method\": \"POST\", \"url\": \"x\"}\n    }");
        }
        return s.append("\n  ]\n}\n").toString();
    }

    private static String ref(String patient) {
        return patient.contains("/") || patient.startsWith("urn:") ? patient : "Patient/" + patient;
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static Path ndjson(Path file, String... lines) throws IOException {
        return write(file, String.join("\n", lines) + "\n");
    }

    static Path gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
