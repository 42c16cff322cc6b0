package org.glovebox.data.cohort;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The clinical terminologies a cohort definition can refer to, with the FHIR system URIs that identify them in real
 * exports and a format check for their codes. The checks catch typos (LOINC and SNOMED CT carry check digits) so that
 * a mistyped code fails when the cohort file is loaded rather than silently matching nothing.
 */
public enum CodeSystem {
    /** LOINC, for observations: digits, a hyphen and a mod-10 check digit ({@code 39156-5}). */
    LOINC("loinc", List.of("http://loinc.org", "urn:oid:2.16.840.1.113883.6.1")),
    /** SNOMED CT, for conditions: 6-18 digits ending in a Verhoeff check digit ({@code 44054006}). */
    SNOMED("snomed", List.of("http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.96")),
    /**
     * ICD-10 and its clinical modifications, for conditions ({@code E11}, {@code E11.9}). A code matches itself and
     * every more specific code below it, so {@code E11} also matches {@code E11.9}.
     */
    ICD10("icd10", List.of("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm",
            "http://hl7.org/fhir/sid/icd-10-gm", "http://id.who.int/icd/release/10",
            "urn:oid:2.16.840.1.113883.6.3", "urn:oid:2.16.840.1.113883.6.90")),
    /** RxNorm, for medications: a numeric concept id ({@code 6809} is metformin). */
    RXNORM("rxnorm", List.of("http://www.nlm.nih.gov/research/umls/rxnorm", "urn:oid:2.16.840.1.113883.6.88"));

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern LOINC_FORMAT = Pattern.compile("([0-9]{1,7})-([0-9])");
    private static final Pattern ICD10_FORMAT = Pattern.compile("[A-Z][0-9][0-9A-Z](\\.?[0-9A-Z]{1,4})?");

    private final String prefix;
    private final List<String> systemUris;

    CodeSystem(String prefix, List<String> systemUris) {
        this.prefix = prefix;
        this.systemUris = systemUris;
    }

    /** The short name used in cohort files ({@code snomed} in {@code snomed:44054006}). */
    public String prefix() {
        return prefix;
    }

    /** FHIR {@code Coding.system} values that denote this terminology; the first is the canonical one. */
    public List<String> systemUris() {
        return systemUris;
    }

    /** The canonical FHIR system URI. */
    public String canonicalUri() {
        return systemUris.get(0);
    }

    /** Whether a FHIR {@code Coding.system} denotes this terminology. */
    public boolean matchesSystem(String uri) {
        return uri != null && systemUris.contains(uri);
    }

    /** The system named by a cohort-file prefix, case-insensitively. */
    public static CodeSystem fromPrefix(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (CodeSystem s : values()) {
            if (s.prefix.equals(p) || (s == SNOMED && p.equals("snomedct"))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown code system '" + prefix + "' (expected loinc, snomed, icd10 or rxnorm)");
    }

    /**
     * Checks the format (and check digit, where the terminology has one) of a code.
     *
     * @return the code in canonical form (ICD-10 upper-case with its dot)
     * @throws IllegalArgumentException naming the code and what is wrong with it
     */
    public String validate(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException(prefix + " code is empty");
        }
        String c = code.strip();
        switch (this) {
            case LOINC -> {
                var m = LOINC_FORMAT.matcher(c);
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + c + "' is not a LOINC code (expected digits, '-', check digit)");
                }
                int expected = luhnCheckDigit(m.group(1));
                if (expected != m.group(2).charAt(0) - '0') {
                    throw new IllegalArgumentException("LOINC code '" + c + "' has a wrong check digit (expected "
                            + m.group(1) + "-" + expected + "): typo?");
                }
                return c;
            }
            case SNOMED -> {
                if (!DIGITS.matcher(c).matches() || c.length() < 6 || c.length() > 18 || c.charAt(0) == '0') {
                    throw new IllegalArgumentException("'" + c + "' is not a SNOMED CT concept id (6-18 digits)");
                }
                if (!verhoeffValid(c)) {
                    throw new IllegalArgumentException("SNOMED CT code '" + c + "' fails its Verhoeff check digit: typo?");
                }
                return c;
            }
            case ICD10 -> {
                String u = c.toUpperCase(Locale.ROOT);
                if (!ICD10_FORMAT.matcher(u).matches()) {
                    throw new IllegalArgumentException("'" + c + "' is not an ICD-10 code (letter, 2 digits, optional"
                            + " '.' and up to 4 characters, e.g. E11.9)");
                }
                return u;
            }
            case RXNORM -> {
                if (!DIGITS.matcher(c).matches() || c.length() > 10) {
                    throw new IllegalArgumentException("'" + c + "' is not an RxNorm concept id (digits only)");
                }
                return c;
            }
            default -> throw new AssertionError(this);
        }
    }

    /** LOINC's mod-10 check digit (the Luhn algorithm over the digits before the hyphen). */
    static int luhnCheckDigit(String digits) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    private static final int[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

    static boolean verhoeffValid(String digits) {
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]];
        }
        return c == 0;
    }
}
