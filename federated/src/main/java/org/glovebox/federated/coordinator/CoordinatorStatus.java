package org.glovebox.federated.coordinator;

import java.util.List;

/**
 * A snapshot of a study's progress as the coordinator sees it, for operators (the dashboard, logs). It carries only
 * what the coordinator may know and publish: names, phases, counts and times; never a ciphertext, a share, a model
 * value or anything derived from one hospital's data.
 *
 * @param study the study's name
 * @param studyId the study's id (hex of the definition's hash)
 * @param phase ENROLMENT, KEYGEN, SHAMIR, RELEASES or DONE
 * @param round the current release (0: the study-wide feature statistics; 1 … {@code rounds}: training; then the
 *              closing evaluation)
 * @param rounds the training rounds the study defines
 * @param step what the coordinator waits for now, in words (e.g. "updates under key shares")
 * @param attempt the collection or decryption attempt of the current release (0 first)
 * @param threshold t: decryption shares needed to open an aggregate
 * @param hospitals every enrolled hospital, in the study's order
 * @param roundMillis time since the current release opened (0 before the releases)
 * @param deadlineMillis time left until the current step's timeout (0 when none runs)
 * @param released round reports released so far (training rounds and the closing evaluation; the statistics of
 *                 release 0 have none)
 */
public record CoordinatorStatus(String study, String studyId, String phase, int round, int rounds, String step,
        int attempt, int threshold, List<Hospital> hospitals, long roundMillis, long deadlineMillis, int released) {

    /**
     * One enrolled hospital.
     *
     * @param name its certificate name
     * @param identified whether it has connected with its certificate at least once
     * @param lastSeenMillis time since its last request, or −1 if never seen by this coordinator process
     * @param submitted whether it has delivered what the current step waits for
     * @param decrypting whether it is one of the hospitals asked for decryption shares now
     */
    public record Hospital(String name, boolean identified, long lastSeenMillis, boolean submitted,
            boolean decrypting) {
    }

    public CoordinatorStatus {
        hospitals = List.copyOf(hospitals);
    }

    /** Whether the study has finished. */
    public boolean finished() {
        return "DONE".equals(phase);
    }
}
