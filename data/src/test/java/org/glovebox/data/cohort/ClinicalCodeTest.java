package org.glovebox.data.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClinicalCodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"39156-5", "8480-6", "8462-4", "85354-9", "4548-4", "2093-3", "14647-2", "72166-2",
        "8867-4", "2345-7"})
    void acceptsRealLoincCodes(String code) {
        assertThat(new ClinicalCode(CodeSystem.LOINC, code).code()).isEqualTo(code);
    }

    @Test
    void rejectsLoincTyposByCheckDigit() {
        assertThatThrownBy(() -> ClinicalCode.parse("loinc:39156-4", null))
                .hasMessageContaining("wrong check digit (expected 39156-5)");
        assertThatThrownBy(() -> ClinicalCode.parse("loinc:BMI", null)).hasMessageContaining("not a LOINC code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"44054006", "59621000", "38341003", "15777000", "449868002", "8517006", "266919005",
        "428041000124106", "77176002", "73211009"})
    void acceptsRealSnomedCodes(String code) {
        assertThat(ClinicalCode.parse("snomed:" + code, null).code()).isEqualTo(code);
    }

    @Test
    void rejectsSnomedTyposByVerhoeffCheckDigit() {
        assertThatThrownBy(() -> ClinicalCode.parse("snomed:44054007", null)).hasMessageContaining("Verhoeff");
        assertThatThrownBy(() -> ClinicalCode.parse("snomed:45054006", null)).hasMessageContaining("Verhoeff");
        assertThatThrownBy(() -> ClinicalCode.parse("snomed:123", null)).hasMessageContaining("6-18 digits");
    }

    @Test
    void icd10MatchesMoreSpecificCodesWithOrWithoutDot() {
        ClinicalCode e11 = ClinicalCode.parse("icd10:e11", null);
        assertThat(e11.code()).isEqualTo("E11");
        assertThat(e11.matches("http://hl7.org/fhir/sid/icd-10-cm", "E11.9")).isTrue();
        assertThat(e11.matches("http://hl7.org/fhir/sid/icd-10", "E119")).isTrue();
        assertThat(e11.matches("http://hl7.org/fhir/sid/icd-10", "E10.9")).isFalse();
        assertThat(e11.matches("http://snomed.info/sct", "E11")).isFalse();
        assertThatThrownBy(() -> ClinicalCode.parse("icd10:11E", null)).hasMessageContaining("not an ICD-10 code");
    }

    @Test
    void systemPrefixIsRequiredWhereTheSystemIsAmbiguous() {
        assertThatThrownBy(() -> ClinicalCode.parse("44054006", null)).hasMessageContaining("needs a terminology");
        assertThatThrownBy(() -> ClinicalCode.parse("mesh:D003920", null)).hasMessageContaining("unknown code system");
        assertThat(ClinicalCode.parse("6809", CodeSystem.RXNORM)).hasToString("rxnorm:6809");
        assertThatThrownBy(() -> ClinicalCode.parse("snomed:44054006", CodeSystem.RXNORM))
                .hasMessageContaining("not a rxnorm code");
    }
}
