package org.glovebox.federated.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a hospital's audit log against the coordinator's, both chains verified first:
 * <ul>
 *   <li>every upload the hospital logged (kind, round, attempt, chunks, bytes, SHA-256 of the chunks) must appear,
 *       word for word, as an upload the coordinator logged from that hospital;</li>
 *   <li>every release the hospital logged receiving (standardization, model, statistics) must carry a SHA-256 that
 *       the coordinator logged releasing.</li>
 * </ul>
 * A miss means the coordinator's log lacks something the hospital sent or received: an edited log, or a coordinator
 * that is not the one the hospital talked to. Uploads the coordinator logged from the hospital that the hospital has
 * no record of are listed too; they fail nothing, since a hospital that stopped between the coordinator's receipt
 * and its acknowledgement legitimately has none.
 */
public final class AuditCrossCheck {
    private AuditCrossCheck() {
    }

    /**
     * The outcome.
     *
     * @param ok whether every upload of the hospital is in the coordinator's log
     * @param hospital the hospital whose uploads were checked (the actor of its log's entries)
     * @param matched uploads found in the coordinator's log
     * @param unmatched the hospital's entries the coordinator's log lacks (uploads, received releases)
     * @param unacknowledged uploads the coordinator logged from the hospital that its own log does not have
     * @param message a one-line summary
     */
    public record Result(boolean ok, String hospital, int matched, List<String> unmatched,
            List<String> unacknowledged, String message) {
        public Result {
            unmatched = List.copyOf(unmatched);
            unacknowledged = List.copyOf(unacknowledged);
        }
    }

    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("sha256 ([0-9a-f]{64})");

    /** Compares; throws if either log fails verification or the hospital log has no node-started entry. */
    public static Result compare(Path hospitalLog, Path coordinatorLog) throws IOException {
        List<AuditLog.Entry> mine = AuditLog.readVerified(hospitalLog);
        List<AuditLog.Entry> theirs = AuditLog.readVerified(coordinatorLog);
        String hospital = mine.stream().filter(e -> e.event().equals("node-started")).map(AuditLog.Entry::actor)
                .findFirst().orElseThrow(() -> new IOException(hospitalLog + " is not a hospital's audit log (no"
                        + " node-started entry)"));
        Set<String> received = new HashSet<>();
        Set<String> released = new HashSet<>();
        for (AuditLog.Entry e : theirs) {
            if (e.event().equals("upload") && e.actor().equals(hospital)) {
                received.add(e.details());
            } else if (e.actor().equals("coordinator")
                    && (e.event().startsWith("release") || e.event().equals("model-release"))) {
                java.util.regex.Matcher m = SHA256.matcher(e.details());
                while (m.find()) {
                    released.add(m.group(1));
                }
            }
        }
        int matched = 0;
        List<String> unmatched = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (AuditLog.Entry e : mine) {
            boolean found;
            if (e.event().equals("upload")) {
                sent.add(e.details());
                found = received.contains(e.details());
            } else if (e.event().endsWith("-received")) {
                java.util.regex.Matcher m = SHA256.matcher(e.details());
                found = m.find() && released.contains(m.group(1));
            } else {
                continue;
            }
            if (found) {
                matched++;
            } else {
                unmatched.add("entry " + e.seq() + ": " + e.event() + " " + e.details());
            }
        }
        List<String> unacknowledged = new ArrayList<>();
        for (AuditLog.Entry e : theirs) {
            if (e.event().equals("upload") && e.actor().equals(hospital) && !sent.contains(e.details())) {
                unacknowledged.add("coordinator entry " + e.seq() + ": " + e.details());
            }
        }
        boolean ok = unmatched.isEmpty();
        String message = (ok ? "OK: all " + matched + " uploads and receipts of " + hospital
                + " are in the coordinator's log" : unmatched.size() + " of " + (matched + unmatched.size())
                + " uploads and receipts of " + hospital + " are missing from the coordinator's log")
                + (unacknowledged.isEmpty() ? "" : "; " + unacknowledged.size() + " uploads the coordinator logged"
                        + " from it are not in its own log");
        return new Result(ok, hospital, matched, unmatched, unacknowledged, message);
    }
}
