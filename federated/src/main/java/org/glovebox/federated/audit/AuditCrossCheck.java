package org.glovebox.federated.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a hospital's audit log against the coordinator's: every upload the hospital logged (kind, round, attempt,
 * chunks, bytes, SHA-256 of the chunks) must appear, word for word, as an upload the coordinator logged from that
 * hospital. Both chains must verify first. An unmatched entry means the coordinator's log lacks something the
 * hospital sent and the coordinator acknowledged: an edited log, or a coordinator that is not the one the hospital
 * talked to.
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
     * @param unmatched the hospital's upload entries the coordinator's log lacks
     * @param message a one-line summary
     */
    public record Result(boolean ok, String hospital, int matched, List<String> unmatched, String message) {
        public Result {
            unmatched = List.copyOf(unmatched);
        }
    }

    /** Compares; throws if either log fails verification or the hospital log has no node-started entry. */
    public static Result compare(Path hospitalLog, Path coordinatorLog) throws IOException {
        List<AuditLog.Entry> mine = AuditLog.readVerified(hospitalLog);
        List<AuditLog.Entry> theirs = AuditLog.readVerified(coordinatorLog);
        String hospital = mine.stream().filter(e -> e.event().equals("node-started")).map(AuditLog.Entry::actor)
                .findFirst().orElseThrow(() -> new IOException(hospitalLog + " is not a hospital's audit log (no"
                        + " node-started entry)"));
        Set<String> received = new HashSet<>();
        for (AuditLog.Entry e : theirs) {
            if (e.event().equals("upload") && e.actor().equals(hospital)) {
                received.add(e.details());
            }
        }
        int matched = 0;
        List<String> unmatched = new ArrayList<>();
        for (AuditLog.Entry e : mine) {
            if (e.event().equals("upload")) {
                if (received.contains(e.details())) {
                    matched++;
                } else {
                    unmatched.add("entry " + e.seq() + ": " + e.details());
                }
            }
        }
        boolean ok = unmatched.isEmpty();
        String message = ok ? "OK: all " + matched + " uploads of " + hospital + " are in the coordinator's log"
                : unmatched.size() + " of " + (matched + unmatched.size()) + " uploads of " + hospital
                        + " are missing from the coordinator's log";
        return new Result(ok, hospital, matched, unmatched, message);
    }
}
