package org.glovebox.data.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.glovebox.data.DataInputException;
import org.glovebox.data.IngestionStats;
import org.glovebox.data.SourceLocation;
import org.glovebox.data.cohort.ErrorAction;
import org.glovebox.data.io.BoundedLineReader;
import org.glovebox.data.io.InputFiles;
import org.glovebox.data.io.LineTooLongException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Streams FHIR R4 resources out of files, in constant memory: NDJSON bulk-export files ({@code *.ndjson},
 * {@code *.jsonl}) line by line, JSON files ({@code *.json}: a Bundle or a single resource) entry by entry, either of
 * them optionally gzip-compressed, and directories of such files (recursively, in path order). Bundles, also those on
 * an NDJSON line, are unpacked into their entries; bundle-internal ids ({@code fullUrl: urn:uuid:...}) become the
 * resources' ids so that references resolve.
 *
 * <p>Malformed input (invalid or truncated JSON, a resource HAPI FHIR rejects, a line longer than
 * {@link FhirReadLimits#maxResourceChars()}, nesting deeper than {@link FhirReadLimits#maxDepth()}) stops the read
 * with a {@link DataInputException} naming file, line and resource, or, with {@link ErrorAction#SKIP}, is counted in
 * the {@link IngestionStats.Recorder} and left out. Messages from the parser are passed on with quoted values removed.
 */
public final class FhirResourceReader {

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");

    private final ErrorAction onMalformed;
    private final FhirReadLimits limits;
    private final IngestionStats.Recorder stats;
    private final ObjectMapper json;

    public FhirResourceReader(ErrorAction onMalformed, FhirReadLimits limits, IngestionStats.Recorder stats) {
        this.onMalformed = onMalformed;
        this.limits = limits;
        this.stats = stats;
        // The bundle's own levels (Bundle, entry array, entry, resource) come on top of the resource's nesting.
        this.json = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth() + 4)
                        .maxStringLength(limits.maxResourceChars())
                        .build())
                .build());
    }

    /** Reads a file or, recursively, a directory, parsing every resource. */
    public void read(Path path, FhirResourceSink sink) {
        read(path, ResourceFilter.ALL, sink);
    }

    /** Reads a file or, recursively, a directory, parsing only the resources the filter lets through. */
    public void read(Path path, ResourceFilter filter, FhirResourceSink sink) {
        List<Path> files = inputFiles(path);
        try (ParsePipeline pipeline = new ParsePipeline(limits.parserThreads(), parsed -> deliver(parsed, sink))) {
            for (Path file : files) {
                readFile(file, filter, pipeline);
            }
            pipeline.flush();
        }
    }

    /** The FHIR files under a path, in a stable order; other files in a directory are counted as ignored. */
    private List<Path> inputFiles(Path path) {
        if (!Files.exists(path)) {
            throw new DataInputException(SourceLocation.of(path.toString()), "no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            if (format(path) == null) {
                throw new DataInputException(SourceLocation.of(path.toString()), "cannot tell the format: name FHIR"
                        + " files *.ndjson (one resource per line) or *.json (a Bundle or one resource), optionally .gz");
            }
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).sorted().filter(p -> {
                if (format(p) != null) {
                    return true;
                }
                stats.skipped("file ignored (not .json or .ndjson)", SourceLocation.of(p.toString()));
                return false;
            }).toList();
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(path.toString()), "cannot list: " + e.getMessage(), e);
        }
    }

    private enum Format { NDJSON, JSON }

    private static Format format(Path file) {
        String name = InputFiles.logicalName(file);
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return Format.NDJSON;
        }
        return name.endsWith(".json") ? Format.JSON : null;
    }

    private void readFile(Path file, ResourceFilter filter, ParsePipeline pipeline) {
        stats.file();
        if (format(file) == Format.NDJSON) {
            readNdjson(file, filter, pipeline);
        } else {
            readJson(file, filter, pipeline);
        }
    }

    private void readNdjson(Path file, ResourceFilter filter, ParsePipeline pipeline) {
        String name = file.toString();
        try (BoundedLineReader lines = new BoundedLineReader(InputFiles.openText(file), name,
                limits.maxResourceChars())) {
            while (true) {
                String line;
                try {
                    line = lines.readLine();
                } catch (LineTooLongException tooLong) {
                    malformed(tooLong.location(), "resource too large", tooLong.problem(), null);
                    lines.skipRestOfLine();
                    continue;
                }
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                SourceLocation where = SourceLocation.of(name, lines.lineNumber());
                JsonNesting.Shape shape = JsonNesting.scan(line, limits.maxDepth());
                if (shape == JsonNesting.Shape.TOO_DEEP) {
                    malformed(where, "nesting too deep", "JSON nests deeper than " + limits.maxDepth()
                            + " levels (corrupt or hostile input?)", null);
                    continue;
                }
                String type = filter == ResourceFilter.ALL ? null : JsonNesting.leadingResourceType(line);
                if (type != null && !filter.mayMatter(type, line)) {
                    if (shape == JsonNesting.Shape.UNBALANCED) {
                        malformed(where, "malformed resource", "truncated or invalid JSON", null);
                    } else {
                        stats.read(type);
                    }
                    continue;
                }
                pipeline.submit(new ParsePipeline.Raw(line, where, null));
            }
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(name), "cannot read: " + e.getMessage(), e);
        }
    }

    private void readJson(Path file, ResourceFilter filter, ParsePipeline pipeline) {
        String name = file.toString();
        try (Reader reader = InputFiles.openText(file); JsonParser p = json.createParser(reader)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                malformed(SourceLocation.of(name, 1), "not a FHIR JSON object", "expected a JSON object (a Bundle or"
                        + " a resource); NDJSON files must be named *.ndjson", null);
                return;
            }
            String resourceType = null;
            boolean sawEntries = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("resourceType") && value == JsonToken.VALUE_STRING) {
                    resourceType = p.getText();
                    if (!resourceType.equals("Bundle")) {
                        if (sawEntries) {
                            break;
                        }
                        readSingleResource(file, pipeline);
                        return;
                    }
                } else if (field.equals("entry") && value == JsonToken.START_ARRAY) {
                    sawEntries = true;
                    readEntries(p, name, filter, pipeline);
                } else {
                    p.skipChildren();
                }
            }
            if (resourceType == null || !resourceType.equals("Bundle")) {
                malformed(SourceLocation.of(name, 1), "not a FHIR JSON object", resourceType == null
                        ? "JSON object without resourceType" : "a resource with entries that is not a Bundle", null);
                return;
            }
            if (p.nextToken() != null) {
                malformed(SourceLocation.of(name, p.currentTokenLocation().getLineNr()), "invalid JSON",
                        "more than one JSON value in a .json file (NDJSON files must be named *.ndjson)", null);
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            malformed(SourceLocation.of(name, line), "invalid JSON", redact(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(name), "cannot read: " + e.getMessage(), e);
        }
    }

    private void readEntries(JsonParser p, String name, ResourceFilter filter, ParsePipeline pipeline)
            throws IOException {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            long line = p.currentTokenLocation().getLineNr();
            SourceLocation where = new SourceLocation(name, Math.max(0, line), "entry " + index++);
            JsonNode entry = json.readTree(p);
            JsonNode resource = entry.get("resource");
            if (resource == null || !resource.isObject()) {
                stats.skipped("bundle entry without resource", where);
                continue;
            }
            String text = json.writeValueAsString(resource);
            JsonNode type = resource.get("resourceType");
            if (type != null && type.isTextual() && !filter.mayMatter(type.asText(), text)) {
                stats.read(type.asText());
                continue;
            }
            if (text.length() > limits.maxResourceChars()) {
                malformed(where, "resource too large", "resource longer than " + limits.maxResourceChars()
                        + " characters", null);
                continue;
            }
            JsonNode fullUrl = entry.get("fullUrl");
            pipeline.submit(new ParsePipeline.Raw(text, where, fullUrl == null ? null : fullUrl.asText()));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new DataInputException(SourceLocation.of(name, p.currentTokenLocation().getLineNr()),
                    "Bundle.entry must be an array of objects");
        }
    }

    private void readSingleResource(Path file, ParsePipeline pipeline) throws IOException {
        String name = file.toString();
        StringBuilder text = new StringBuilder();
        char[] buf = new char[1 << 14];
        try (Reader in = InputFiles.openText(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (text.length() + n > limits.maxResourceChars()) {
                    malformed(SourceLocation.of(name), "resource too large", "a single resource longer than "
                            + limits.maxResourceChars() + " characters", null);
                    return;
                }
                text.append(buf, 0, n);
            }
        }
        SourceLocation where = SourceLocation.of(name, 1);
        if (JsonNesting.deeperThan(text, limits.maxDepth())) {
            malformed(where, "nesting too deep", "JSON nests deeper than " + limits.maxDepth() + " levels", null);
            return;
        }
        pipeline.submit(new ParsePipeline.Raw(text.toString(), where, null));
    }

    /** Runs on the caller's thread, in input order. */
    private void deliver(ParsePipeline.Parsed parsed, FhirResourceSink sink) {
        SourceLocation where = parsed.raw().where();
        if (parsed.error() != null) {
            malformed(where, "malformed resource", redact(parsed.error().getMessage()), parsed.error());
            return;
        }
        IBaseResource resource = parsed.resource();
        if (resource instanceof Bundle bundle) {
            int index = 0;
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                SourceLocation at = where.withResource("entry " + index++);
                if (entry.getResource() == null) {
                    stats.skipped("bundle entry without resource", at);
                    continue;
                }
                emit(entry.getResource(), entry.getFullUrl(), at, sink);
            }
            return;
        }
        emit(resource, parsed.raw().fullUrl(), where, sink);
    }

    private void emit(IBaseResource resource, String fullUrl, SourceLocation where, FhirResourceSink sink) {
        String type = resource.fhirType();
        if (resource instanceof Resource r && !r.hasIdElement() && fullUrl != null && fullUrl.startsWith("urn:uuid:")) {
            r.setId(fullUrl.substring("urn:uuid:".length()));
        }
        String id = resource.getIdElement().getIdPart();
        stats.read(type);
        sink.accept(resource, where.withResource(id == null ? type : type + "/" + id));
    }

    private void malformed(SourceLocation where, String reason, String detail, Throwable cause) {
        if (onMalformed == ErrorAction.FAIL) {
            throw new DataInputException(where, reason + ": " + detail + " (set errors.malformed: skip to skip"
                    + " malformed resources)", cause);
        }
        stats.skipped(reason, where);
    }

    /** Parser messages can quote the offending value, which may be patient data. */
    static String redact(String message) {
        if (message == null) {
            return "no detail";
        }
        String firstLine = message.lines().findFirst().orElse("");
        return QUOTED.matcher(firstLine).replaceAll("\"...\"");
    }
}
