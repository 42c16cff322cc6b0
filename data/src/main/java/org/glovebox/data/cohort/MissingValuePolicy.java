package org.glovebox.data.cohort;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Locale;

/**
 * What to do with a patient whose feature value is missing. Written in cohort files as {@code drop}, {@code mean} or
 * {@code {constant: 5.4}}.
 *
 * <p>{@link ImputeMean} deliberately does not carry the mean: it is supplied when the feature matrix is built (see
 * {@link ImputationMeans}), either computed from this hospital's own patients or computed across hospitals by the
 * federated module, which sums values and counts under encryption.
 */
@JsonDeserialize(using = MissingValuePolicy.Deserializer.class)
public sealed interface MissingValuePolicy {

    /** Leave the patient out of the study; the report counts how many were dropped for each feature. */
    record Drop() implements MissingValuePolicy {
        @Override
        public String toString() {
            return "drop";
        }
    }

    /** Replace the missing value by a fixed number (e.g. 0 for "no count recorded", a reference value). */
    record ImputeConstant(double value) implements MissingValuePolicy {
        public ImputeConstant {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("constant for imputation must be a finite number");
            }
        }

        @Override
        public String toString() {
            return "constant " + value;
        }
    }

    /** Replace the missing value by the study-wide mean of the observed values, supplied at build time. */
    record ImputeMean() implements MissingValuePolicy {
        @Override
        public String toString() {
            return "mean";
        }
    }

    /** The policy that drops incomplete patients. */
    static MissingValuePolicy drop() {
        return new Drop();
    }

    /** The policy that imputes the study-wide mean. */
    static MissingValuePolicy mean() {
        return new ImputeMean();
    }

    /** The policy that imputes a constant. */
    static MissingValuePolicy constant(double value) {
        return new ImputeConstant(value);
    }

    /** Reads {@code drop}, {@code mean} or {@code {constant: number}}. */
    final class Deserializer extends StdDeserializer<MissingValuePolicy> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(MissingValuePolicy.class);
        }

        @Override
        public MissingValuePolicy deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (node.isTextual()) {
                return switch (node.asText().strip().toLowerCase(Locale.ROOT)) {
                    case "drop" -> drop();
                    case "mean" -> mean();
                    default -> throw JsonMappingException.from(p, "unknown missing-value policy '" + node.asText()
                            + "' (expected drop, mean or {constant: <number>})");
                };
            }
            if (node.isObject() && node.size() == 1 && node.has("constant") && node.get("constant").isNumber()) {
                return constant(node.get("constant").asDouble());
            }
            throw JsonMappingException.from(p, "missing-value policy must be drop, mean or {constant: <number>}");
        }
    }
}
