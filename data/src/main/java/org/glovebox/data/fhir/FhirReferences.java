package org.glovebox.data.fhir;

/**
 * Turns the many ways FHIR exports refer to a patient into one key: {@code Patient/123}, {@code Patient/123/_history/2},
 * {@code https://host/fhir/Patient/123} and {@code urn:uuid:123} (bundle-internal references, as Synthea writes them)
 * all become {@code 123}, matching the Patient resource's own id.
 */
final class FhirReferences {

    private FhirReferences() {
    }

    /**
     * The patient key of a reference, or null when it does not point at a patient (a Group, a Device, a contained
     * resource) or cannot be resolved (a conditional reference such as {@code Patient?identifier=...}).
     */
    static String patientKey(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        String r = reference.strip();
        if (r.startsWith("urn:uuid:")) {
            String id = r.substring("urn:uuid:".length());
            return id.isEmpty() ? null : id;
        }
        if (r.startsWith("#") || r.indexOf('?') >= 0) {
            return null;
        }
        int history = r.indexOf("/_history/");
        if (history >= 0) {
            r = r.substring(0, history);
        }
        int slash = r.lastIndexOf('/');
        if (slash <= 0 || slash == r.length() - 1) {
            return null;
        }
        String type = r.substring(r.lastIndexOf('/', slash - 1) + 1, slash);
        return type.equals("Patient") ? r.substring(slash + 1) : null;
    }
}
