package org.glovebox.data.cohort;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A validated code in a named terminology, written {@code system:code} in cohort files ({@code snomed:44054006},
 * {@code icd10:E11}, {@code loinc:4548-4}, {@code rxnorm:6809}).
 */
public record ClinicalCode(CodeSystem system, String code) {

    public ClinicalCode {
        Objects.requireNonNull(system, "system");
        code = system.validate(code);
    }

    /** Parses {@code system:code}; a bare code is accepted when the caller knows the system. */
    public static ClinicalCode parse(String text, CodeSystem defaultSystem) {
        Objects.requireNonNull(text, "code");
        int colon = text.indexOf(':');
        if (colon < 0) {
            if (defaultSystem == null) {
                throw new IllegalArgumentException("'" + text + "' needs a terminology prefix, e.g. snomed:" + text
                        + " or icd10:" + text);
            }
            return new ClinicalCode(defaultSystem, text);
        }
        CodeSystem system = CodeSystem.fromPrefix(text.substring(0, colon).strip());
        if (defaultSystem != null && system != defaultSystem) {
            throw new IllegalArgumentException("'" + text + "' is not a " + defaultSystem.prefix() + " code");
        }
        return new ClinicalCode(system, text.substring(colon + 1));
    }

    @JsonCreator
    static ClinicalCode fromJson(String text) {
        return parse(text, null);
    }

    /**
     * Whether a FHIR coding denotes this code. ICD-10 codes match themselves and every more specific code, ignoring
     * the optional dot ({@code E11} matches {@code E11.9} and {@code E119}).
     */
    public boolean matches(String codingSystem, String codingCode) {
        if (codingCode == null || !system.matchesSystem(codingSystem)) {
            return false;
        }
        if (system == CodeSystem.ICD10) {
            String wanted = code.replace(".", "");
            String actual = codingCode.strip().replace(".", "").toUpperCase(java.util.Locale.ROOT);
            return actual.startsWith(wanted);
        }
        return code.equals(codingCode.strip());
    }

    @JsonValue
    @Override
    public String toString() {
        return system.prefix() + ":" + code;
    }
}
