package org.glovebox.data.fhir;

import ca.uhn.fhir.parser.IParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.glovebox.data.SourceLocation;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Parses JSON resources with HAPI FHIR, optionally on worker threads while the caller keeps reading, and hands the
 * results downstream in input order on the caller's thread. At most a few batches are in flight, so memory stays
 * bounded however large the input is.
 */
final class ParsePipeline implements AutoCloseable {

    /** One resource's JSON text and where it came from. */
    record Raw(String json, SourceLocation where, String fullUrl) {
    }

    /** The outcome of parsing one {@link Raw}: a resource or the parser's exception. */
    record Parsed(Raw raw, IBaseResource resource, RuntimeException error) {
    }

    private static final int BATCH_RESOURCES = 256;
    private static final long BATCH_CHARS = 1 << 20;

    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<List<Parsed>>> inFlight = new ArrayDeque<>();
    private final Consumer<Parsed> downstream;
    private final ThreadLocal<IParser> parsers = ThreadLocal.withInitial(FhirContexts::newJsonParser);
    private List<Raw> batch = new ArrayList<>();
    private long batchChars;

    ParsePipeline(int threads, Consumer<Parsed> downstream) {
        this.downstream = downstream;
        if (threads <= 1) {
            pool = null;
            maxInFlight = 0;
        } else {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "glovebox-fhir-parser-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            maxInFlight = 2 * threads;
        }
    }

    void submit(Raw raw) {
        if (pool == null) {
            downstream.accept(parse(raw));
            return;
        }
        batch.add(raw);
        batchChars += raw.json().length();
        if (batch.size() >= BATCH_RESOURCES || batchChars >= BATCH_CHARS) {
            dispatch();
        }
    }

    /** Delivers everything submitted so far. */
    void flush() {
        if (pool == null) {
            return;
        }
        if (!batch.isEmpty()) {
            dispatch();
        }
        while (!inFlight.isEmpty()) {
            deliverOldest();
        }
    }

    private void dispatch() {
        List<Raw> work = batch;
        batch = new ArrayList<>();
        batchChars = 0;
        inFlight.add(pool.submit(() -> {
            List<Parsed> out = new ArrayList<>(work.size());
            for (Raw r : work) {
                out.add(parse(r));
            }
            return out;
        }));
        while (inFlight.size() > maxInFlight) {
            deliverOldest();
        }
    }

    private void deliverOldest() {
        List<Parsed> results;
        try {
            results = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing FHIR resources", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("FHIR parser thread failed", e.getCause());
        }
        for (Parsed p : results) {
            downstream.accept(p);
        }
    }

    private Parsed parse(Raw raw) {
        try {
            return new Parsed(raw, parsers.get().parseResource(raw.json()), null);
        } catch (RuntimeException e) {
            // HAPI signals bad content with DataFormatException, but odd input can also surface as other runtime
            // exceptions from deep inside the parser; all of them mean "this resource is malformed".
            return new Parsed(raw, null, e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
