package org.glovebox.data.cohort;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glovebox.data.DataInputException;
import org.glovebox.data.SourceLocation;

/**
 * Loads {@link CohortDefinition}s from YAML or JSON files, and the example definitions that ship with Glovebox. Every
 * problem (syntax, unknown key, invalid code, inconsistent settings) becomes a {@link DataInputException} naming the
 * file, the line and the key path, e.g. {@code diabetes.yaml:14 (features[2].loinc): ...}.
 */
public final class CohortDefinitions {

    /** Cohort files are a few kilobytes; anything much larger is not a cohort file. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** The example definitions shipped in {@code org/glovebox/data/examples/}, by name. */
    public static final List<String> EXAMPLES = List.of("edin", "lbw", "pima", "wdbc", "cleveland",
            "synthetic-diabetes-fhir", "synthetic-diabetes-csv", "synthea-hypertension");

    private static final String EXAMPLE_FOLDER = "/org/glovebox/data/examples/";

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .streamReadConstraints(constraints()).build()));
    private static final ObjectMapper JSON = configure(JsonMapper.builder(
            new com.fasterxml.jackson.core.JsonFactoryBuilder().streamReadConstraints(constraints()).build()));

    private CohortDefinitions() {
    }

    /** Reads a cohort file; {@code .json} files are read as JSON, anything else as YAML. */
    public static CohortDefinition load(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new DataInputException(SourceLocation.of(file.toString()),
                        "larger than " + MAX_FILE_BYTES + " bytes: not a cohort definition");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataInputException(SourceLocation.of(file.toString()), "cohort file not found", e);
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(file.toString()), "cannot read: " + e.getMessage(), e);
        }
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString(), json);
    }

    /** Parses YAML (or JSON, which YAML includes) text; {@code sourceName} appears in error messages. */
    public static CohortDefinition parse(String text, String sourceName) {
        return parse(text, sourceName, false);
    }

    /** Loads one of the {@link #EXAMPLES} shipped on the class path. */
    public static CohortDefinition example(String name) {
        return parse(exampleText(name), "example " + name + ".yaml", false);
    }

    /** The YAML text of one of the {@link #EXAMPLES}. */
    public static String exampleText(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example cohort named '" + name + "'; examples: " + EXAMPLES);
        }
        try (InputStream in = CohortDefinitions.class.getResourceAsStream(EXAMPLE_FOLDER + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("example " + name + ".yaml is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read example " + name, e);
        }
    }

    /**
     * Resolves a cohort argument as users type it: {@code example:NAME} for a shipped example, otherwise a file path.
     */
    public static CohortDefinition resolve(String argument) {
        if (argument.startsWith("example:")) {
            return example(argument.substring("example:".length()));
        }
        return load(Path.of(argument));
    }

    private static CohortDefinition parse(String text, String sourceName, boolean json) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new DataInputException(SourceLocation.of(sourceName), "too large to be a cohort definition");
        }
        try {
            CohortDefinition definition = (json ? JSON : YAML).readValue(text, CohortDefinition.class);
            if (definition == null) {
                throw new DataInputException(SourceLocation.of(sourceName), "empty cohort definition");
            }
            return definition;
        } catch (JsonProcessingException e) {
            throw located(sourceName, e);
        }
    }

    private static DataInputException located(String sourceName, JsonProcessingException e) {
        long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
        String path = e instanceof JsonMappingException m ? path(m) : null;
        String problem;
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            problem = e.getCause().getMessage();
        } else {
            problem = e.getOriginalMessage();
        }
        return new DataInputException(new SourceLocation(sourceName, line, path == null || path.isEmpty() ? null : path),
                problem, e);
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(64 * 1024).build();
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> M configure(
            B builder) {
        return builder.addModule(new JavaTimeModule())
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }
}
