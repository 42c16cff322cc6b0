package org.glovebox.federated.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Append-only, hash-chained audit log (one JSON object per line). Entry i holds its sequence number, time, event,
 * actor, details, the hash of entry i−1 and its own hash h_i = SHA-256(h_{i−1} | seq | time | event | actor | details).
 * {@link #verify} recomputes the chain: an edited entry breaks its own hash, a removed or reordered entry breaks the
 * sequence and the link to its predecessor. Truncation of the tail is detected against an anchored head (the
 * coordinator keeps the count and head hash in its database and prints them; hospitals may record them).
 */
public final class AuditLog implements AutoCloseable {
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Entries {@link #recent} can return: the newest, kept in memory as they are written. */
    public static final int RECENT = 1000;

    private final Path file;
    private BufferedWriter out;
    private long seq;
    private String head;
    private final java.util.ArrayDeque<Entry> recent = new java.util.ArrayDeque<>(RECENT);

    private AuditLog(Path file, long seq, String head) throws IOException {
        this.file = file;
        this.seq = seq;
        this.head = head;
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (seq > 0) {
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                for (String l : (Iterable<String>) lines::iterator) {
                    remember(parse(l));
                }
            }
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Entry parse(String line) throws IOException {
        JsonNode e = JSON.readTree(line);
        return new Entry(e.path("seq").asLong(), e.path("time").asText(), e.path("event").asText(),
                e.path("actor").asText(), e.path("details").asText());
    }

    private void remember(Entry e) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(e);
    }

    /** Opens (and verifies) an existing log, or creates it. */
    public static AuditLog open(Path file) throws IOException {
        if (Files.exists(file)) {
            Result r = verify(file);
            if (!r.ok()) {
                throw new IOException("audit log " + file + " fails verification: " + r.message()
                        + " (keep it as evidence and start a new one)");
            }
            return new AuditLog(file, r.entries(), r.head());
        }
        return new AuditLog(file, 0, GENESIS);
    }

    /** Appends one entry and flushes it to the file; returns its hash. */
    public synchronized String append(String event, String actor, String details) {
        try {
            String time = Instant.now().toString();
            long s = seq + 1;
            String h = hash(head, s, time, event, actor, details);
            ObjectNode n = JSON.createObjectNode();
            n.put("seq", s).put("time", time).put("event", event).put("actor", actor).put("details", details)
                    .put("prev", head).put("hash", h);
            out.write(JSON.writeValueAsString(n));
            out.write('\n');
            out.flush();
            seq = s;
            head = h;
            remember(new Entry(s, time, event, actor, details));
            return h;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to the audit log " + file, e);
        }
    }

    public synchronized long entries() {
        return seq;
    }

    public synchronized String head() {
        return head;
    }

    public Path file() {
        return file;
    }

    /**
     * Verifies the file against what this log had written when called (its entry count and head): detects edits,
     * removals and truncation made behind its back. Only that snapshot is taken under the log's lock; the file is
     * read without it, so appends (the coordinator's work) never wait for a verification.
     */
    public Result verifyWritten() throws IOException {
        long n;
        String h;
        synchronized (this) {
            out.flush();
            n = seq;
            h = head;
        }
        Result r = verifyFirst(file, n);
        if (r.ok() && !r.head().equals(h)) {
            return new Result(false, r.entries(), r.head(), "entry " + n + " of the file ends the chain at " + r.head()
                    + " but this log wrote " + h);
        }
        return r;
    }

    /** One entry as written. */
    public record Entry(long seq, String time, String event, String actor, String details) { }

    /** The last {@code n} entries written (1 … {@value #RECENT}), newest last, from memory. */
    public synchronized List<Entry> recent(int n) {
        if (n < 1 || n > RECENT) {
            throw new IllegalArgumentException("n must be in [1, " + RECENT + "], got " + n);
        }
        List<Entry> all = new java.util.ArrayList<>(recent);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** Every entry of a log that {@link #verify verifies}; fails with the verification's message otherwise. */
    public static List<Entry> readVerified(Path file) throws IOException {
        Result r = verify(file);
        if (!r.ok()) {
            throw new IOException("audit log " + file + " fails verification: " + r.message());
        }
        List<Entry> out = new java.util.ArrayList<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String l : (Iterable<String>) lines::iterator) {
                out.add(parse(l));
            }
        }
        return out;
    }

    /** SHA-256 of some bytes in hex: the digest that audit entries quote. */
    public static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(String prev, long seq, String time, String event, String actor, String details) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : List.of(prev, Long.toString(seq), time, event, actor, details)) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                md.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Outcome of a verification. */
    public record Result(boolean ok, long entries, String head, String message) { }

    /** Verifies the whole chain. */
    public static Result verify(Path file) throws IOException {
        return verifyFirst(file, Long.MAX_VALUE);
    }

    /**
     * Verifies the chain of the first {@code limit} entries (entries after them are not read); fails if the file has
     * fewer.
     */
    static Result verifyFirst(Path file, long limit) throws IOException {
        String prev = GENESIS;
        long expected = 1;
        long line = 0;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (expected > limit) {
                    break;
                }
                line++;
                if (l.isBlank()) {
                    return new Result(false, expected - 1, prev, "line " + line + " is empty");
                }
                JsonNode n;
                try {
                    n = JSON.readTree(l);
                } catch (IOException e) {
                    return new Result(false, expected - 1, prev, "line " + line + " is not valid JSON");
                }
                long s = n.path("seq").asLong(-1);
                if (s != expected) {
                    return new Result(false, expected - 1, prev, "line " + line + " has sequence number " + s
                            + ", expected " + expected + " (an entry was removed, inserted or reordered)");
                }
                if (!prev.equals(n.path("prev").asText())) {
                    return new Result(false, expected - 1, prev, "entry " + s + " does not link to entry " + (s - 1)
                            + " (removed or reordered entries)");
                }
                String h = hash(prev, s, n.path("time").asText(), n.path("event").asText(), n.path("actor").asText(),
                        n.path("details").asText());
                if (!h.equals(n.path("hash").asText())) {
                    return new Result(false, expected - 1, prev, "entry " + s + " was edited (its hash does not match"
                            + " its contents)");
                }
                prev = h;
                expected++;
            }
        }
        if (limit != Long.MAX_VALUE && expected - 1 < limit) {
            return new Result(false, expected - 1, prev, "the log has " + (expected - 1) + " entries but " + limit
                    + " were written: entries were removed from its end");
        }
        return new Result(true, expected - 1, prev, "OK: " + (expected - 1) + " entries, head " + prev);
    }

    /** Verifies the chain and that it ends at an anchored (count, head) — detects truncation of the tail. */
    public static Result verify(Path file, long anchoredEntries, String anchoredHead) throws IOException {
        Result r = verify(file);
        if (!r.ok()) {
            return r;
        }
        if (r.entries() < anchoredEntries) {
            return new Result(false, r.entries(), r.head(), "the log has " + r.entries() + " entries but "
                    + anchoredEntries + " were anchored: entries were removed from its end");
        }
        return r;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
