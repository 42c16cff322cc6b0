package org.glovebox.data.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.data.DataInputException;
import org.glovebox.data.IngestionStats;
import org.glovebox.data.SourceLocation;
import org.glovebox.data.cohort.ErrorAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile input fails clearly (file, line, resource) or is skipped and counted; never hangs or OOMs. */
class FhirResourceReaderTest {

    private static final Duration QUICKLY = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final IngestionStats.Recorder stats = new IngestionStats.Recorder();
    private final List<String> received = new ArrayList<>();

    private void read(Path input, ErrorAction onMalformed) {
        read(input, onMalformed, FhirReadLimits.DEFAULT);
    }

    private void read(Path input, ErrorAction onMalformed, FhirReadLimits limits) {
        new FhirResourceReader(onMalformed, limits, stats).read(input,
                (resource, where) -> received.add(where.resource() + " @" + where.line()));
    }

    @Test
    void truncatedNdjsonLineNamesFileAndLineOrIsSkipped() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("Patient.ndjson"),
                Fhir.patient("a", "1970-01-01", "male"),
                "{\"resourceType\":\"Patient\",\"id\":\"b\",\"birthDa",
                Fhir.patient("c", "1970-01-01", "male"));

        assertThatThrownBy(() -> read(in, ErrorAction.FAIL))
                .isInstanceOf(DataInputException.class)
                .hasMessageStartingWith(in + ":2: malformed resource")
                .hasMessageContaining("errors.malformed: skip");

        received.clear();
        read(in, ErrorAction.SKIP);
        assertThat(received).containsExactly("Patient/a @1", "Patient/c @3");
        assertThat(stats.finish().skipped()).containsEntry("malformed resource", 1L);
        assertThat(stats.finish().examples()).singleElement().asString().startsWith(in + ":2");
    }

    @Test
    void invalidJsonInABundleNamesTheLine() throws IOException {
        String bundle = Fhir.transactionBundle(List.of("a", "b"), List.of(
                "{\"resourceType\": \"Patient\", \"gender\": \"male\"}",
                "{\"resourceType\": \"Patient\" \"gender\": \"female\"}"));
        Path in = Fhir.write(dir.resolve("bundle.json"), bundle);
        long brokenLine = bundle.lines().takeWhile(l -> !l.contains("\"female\"")).count() + 1;

        assertThatThrownBy(() -> read(in, ErrorAction.FAIL))
                .isInstanceOf(DataInputException.class)
                .satisfies(e -> assertThat(((DataInputException) e).location().line()).isEqualTo(brokenLine))
                .hasMessageContaining("invalid JSON");

        received.clear();
        read(in, ErrorAction.SKIP);
        assertThat(received).containsExactly("Patient/a @5");
        assertThat(stats.finish().skipped()).containsEntry("invalid JSON", 1L);
    }

    @Test
    void unknownResourceTypeAndInvalidValuesAreMalformedWithoutQuotingValues() throws IOException {
        Path in = Fhir.ndjson(dir.resolve("odd.ndjson"),
                "{\"resourceType\":\"Foo\",\"id\":\"x\"}",
                "{\"resourceType\":\"Patient\",\"id\":\"y\",\"birthDate\":\"Zebedee Smith\"}",
                "[1,2,3]",
                "{\"id\":\"no-type\"}");

        read(in, ErrorAction.SKIP);
        IngestionStats s = stats.finish();
        assertThat(s.skipped()).containsEntry("malformed resource", 4L);
        assertThat(String.join("\n", s.examples())).doesNotContain("Zebedee");

        assertThatThrownBy(() -> new FhirResourceReader(ErrorAction.FAIL, FhirReadLimits.DEFAULT,
                new IngestionStats.Recorder()).read(Fhir.ndjson(dir.resolve("name.ndjson"),
                        "{\"resourceType\":\"Patient\",\"id\":\"y\",\"birthDate\":\"Zebedee Smith\"}"), (r, w) -> { }))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("name.ndjson:1")
                .hasMessageNotContaining("Zebedee");
    }

    @Test
    void hugeLineFailsFastWithoutReadingItIntoMemory() throws IOException {
        Path in = dir.resolve("huge.ndjson");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            w.write(Fhir.patient("a", "1970-01-01", "male") + "\n");
            w.write("{\"resourceType\":\"Patient\",\"id\":\"b\",\"name\":[{\"text\":\"");
            char[] block = new char[1 << 16];
            java.util.Arrays.fill(block, 'x');
            for (int i = 0; i < 300; i++) {      // ~20 M characters on one line, over the 16 Mi default limit
                w.write(block);
            }
            w.write("\"}]}\n");
            w.write(Fhir.patient("c", "1970-01-01", "male") + "\n");
        }

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> read(in, ErrorAction.FAIL))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("huge.ndjson:2")
                .hasMessageContaining("longer than the limit"));

        received.clear();
        assertTimeoutPreemptively(QUICKLY, () -> read(in, ErrorAction.SKIP));
        assertThat(received).containsExactly("Patient/a @1", "Patient/c @3");
        assertThat(stats.finish().skipped()).containsEntry("resource too large", 1L);
    }

    @Test
    void deeplyNestedJsonFailsFastInEveryFileKind() throws IOException {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        String hostile = "{\"resourceType\":\"Patient\",\"id\":\"d\",\"extension\":" + deep + "}";
        Path ndjson = Fhir.ndjson(dir.resolve("deep.ndjson"), hostile);
        Path single = Fhir.write(dir.resolve("deep.json"), hostile);
        Path bundle = Fhir.write(dir.resolve("deep-bundle.json"), "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":"
                + hostile + "}]}");

        for (Path in : List.of(ndjson, single, bundle)) {
            assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> read(in, ErrorAction.FAIL))
                    .isInstanceOf(DataInputException.class)
                    .hasMessageContaining(in.getFileName().toString())
                    .hasMessageMatching("(?s).*(nesting too deep|nesting depth).*"));
        }
    }

    @Test
    void singleResourceJsonFileAndNonObjectJson() throws IOException {
        Path one = Fhir.write(dir.resolve("one.json"), Fhir.patient("solo", "1970-01-01", "female"));
        read(one, ErrorAction.FAIL);
        assertThat(received).containsExactly("Patient/solo @1");

        Path ndjsonNamedJson = Fhir.ndjson(dir.resolve("two.json"), Fhir.patient("a", null, null),
                Fhir.patient("b", null, null));
        assertThatThrownBy(() -> read(ndjsonNamedJson, ErrorAction.FAIL)).isInstanceOf(DataInputException.class)
                .hasMessageContaining("two.json");

        Path array = Fhir.write(dir.resolve("array.json"), "[]");
        assertThatThrownBy(() -> read(array, ErrorAction.FAIL)).hasMessageContaining("expected a JSON object");
    }

    @Test
    void invalidUtf8AndUnknownFilesAreClearErrors() throws IOException {
        Path binary = dir.resolve("binary.ndjson");
        Files.write(binary, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
        assertThatThrownBy(() -> read(binary, ErrorAction.SKIP)).isInstanceOf(DataInputException.class)
                .hasMessageContaining("not valid UTF-8");

        Path csv = Fhir.write(dir.resolve("data.csv"), "a,b\n");
        assertThatThrownBy(() -> read(csv, ErrorAction.FAIL)).hasMessageContaining("cannot tell the format");

        assertThatThrownBy(() -> read(dir.resolve("absent"), ErrorAction.FAIL))
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void parallelParsingKeepsInputOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(Fhir.patient("p" + i, "1970-01-01", "male"));
        }
        Path in = Fhir.ndjson(dir.resolve("many.ndjson"), lines.toArray(String[]::new));

        read(in, ErrorAction.FAIL, FhirReadLimits.DEFAULT.withParserThreads(3));

        assertThat(received).hasSize(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(received.get(i)).isEqualTo("Patient/p" + i + " @" + (i + 1));
        }
    }

    @Test
    void locationsRenderAsFileLineResource() {
        assertThat(new SourceLocation("a.ndjson", 7, "Observation/x")).hasToString("a.ndjson:7 (Observation/x)");
        assertThat(SourceLocation.of("a.csv")).hasToString("a.csv");
    }
}
