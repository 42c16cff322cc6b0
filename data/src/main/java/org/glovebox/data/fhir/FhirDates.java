package org.glovebox.data.fhir;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads FHIR {@code date} / {@code dateTime} strings of any precision ({@code 2019}, {@code 2019-03},
 * {@code 2019-03-04}, {@code 2019-03-04T10:00:00+01:00}). Windows are compared on the calendar date as written (the
 * date the clinician saw); the order of several observations uses the instant when a time is given.
 */
final class FhirDates {

    /** Marks an absent or unreadable date. */
    static final long NONE = Long.MIN_VALUE;

    private FhirDates() {
    }

    /** The calendar day (days since 1970-01-01) of a FHIR date or dateTime, or {@link #NONE}. */
    static long epochDay(String value) {
        if (value == null || value.length() < 4) {
            return NONE;
        }
        try {
            int year = Integer.parseInt(value.substring(0, 4));
            int month = value.length() >= 7 ? Integer.parseInt(value.substring(5, 7)) : 1;
            int day = value.length() >= 10 ? Integer.parseInt(value.substring(8, 10)) : 1;
            return LocalDate.of(year, month, day).toEpochDay();
        } catch (RuntimeException e) {
            return NONE;
        }
    }

    /** A sortable time in seconds: the instant when the value has a time, else midnight UTC of its day. */
    static long orderKey(String value, long epochDay) {
        if (value != null && value.length() > 10 && value.charAt(10) == 'T') {
            try {
                return OffsetDateTime.parse(value).toEpochSecond();
            } catch (DateTimeParseException e) {
                // A time without offset is not valid FHIR; fall back to the day.
            }
        }
        return epochDay * 86_400L;
    }
}
