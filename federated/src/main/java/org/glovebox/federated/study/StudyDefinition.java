package org.glovebox.federated.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.CohortDefinitions;

/**
 * One federated study, read from a single YAML or JSON file that the coordinator and every hospital hold (it is
 * distributed out of band, e.g. signed by the consortium). Its SHA-256 is the study id: every message names it, so a
 * party holding a different definition (other model, rounds, privacy or encryption settings) is refused.
 *
 * <pre>
 * name: edin-mi
 * cohort: edin                 # an example name of the data module, or a path to a cohort YAML
 * hospitals: [hospital-1, hospital-2, hospital-3]   # enrolled, in party order (certificate common names)
 * model: {type: logistic, hidden: 0}               # or {type: mlp, hidden: 16}, or {type: statistics}
 * rounds: 10
 * localEpochs: 2
 * learningRate: 0.5
 * batchSize: 32
 * minHospitals: 2
 * threshold: 2                 # t of t-out-of-N decryption
 * validationFraction: 0.25
 * clipNorm: 10                 # L2 bound of every update (also the fixed-point range)
 * privacy: {enabled: true, noiseMultiplier: 1.0, delta: 1e-5, epsilonBudget: 10}
 * aggregation: ENCRYPTED       # or INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS
 * encryption: {logN: 12}       # N = 2^12 (default; 12..16), one 60-bit prime: 128-bit secure
 * timeouts: {roundSeconds: 60, decryptionSeconds: 30}
 * seed: 1
 * </pre>
 *
 * <p>A statistics study ({@code model: {type: statistics}}) trains nothing: it releases the study-wide cohort
 * statistics once (patients, positive outcomes, per-feature mean and variance, and the histograms it names, overall
 * and among positive outcomes), exact integers summed under encryption and opened by t hospitals:
 *
 * <pre>
 * model: {type: statistics}
 * statistics:
 *   histograms: {age: [40, 50, 60, 70], bmi: [18.5, 25, 30]}   # inner bin edges per feature
 *   covariance: true                                           # optional: the covariance matrix
 *   crossTables: [[age, bmi]]                                  # optional: joint counts of two histograms
 *   bounds: {age: [0, 110], bmi: [10, 70]}                     # clipping ranges, with privacy only
 * privacy: {enabled: true, epsilon: 1, delta: 1e-6}            # optional: patient-level differential privacy
 * </pre>
 */
public final class StudyDefinition {
    /** Aggregation modes; the plaintext one is named so that nobody picks it by mistake. */
    public enum Aggregation { ENCRYPTED, INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS }

    /** Model families. */
    public enum ModelType { LOGISTIC, MLP, STATISTICS }

    /** Differential-privacy settings (hospital-level Gaussian mechanism on the aggregate). */
    public record Privacy(boolean enabled, double noiseMultiplier, double delta, double epsilonBudget) {
        public static final Privacy OFF = new Privacy(false, 0, 1e-5, Double.POSITIVE_INFINITY);
    }

    private final String name;
    private final String cohort;
    private final List<String> hospitals;
    private final ModelType modelType;
    private final int hidden;
    private final int rounds;
    private final int localEpochs;
    private final double learningRate;
    private final int batchSize;
    private final int minHospitals;
    private final int threshold;
    private final double validationFraction;
    private final double clipNorm;
    private final Privacy privacy;
    private final Aggregation aggregation;
    private final int logN;
    private final boolean insecureRing;
    private final double roundTimeoutSeconds;
    private final double decryptionTimeoutSeconds;
    private final long seed;
    private final byte[] id;
    private final String text;
    private final StatisticsSpec statistics;

    private StudyDefinition(JsonNode n, String text) {
        this.text = text;
        Set<String> known = new HashSet<>(Arrays.asList("name", "cohort", "hospitals", "model", "rounds",
                "localEpochs", "learningRate", "batchSize", "minHospitals", "threshold", "validationFraction",
                "clipNorm", "privacy", "aggregation", "encryption", "timeouts", "seed", "description", "statistics"));
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown study field '" + f + "' (known: " + known + ")");
            }
        }
        this.name = requireText(n, "name");
        this.cohort = requireText(n, "cohort");
        JsonNode hs = n.get("hospitals");
        if (hs == null || !hs.isArray() || hs.isEmpty()) {
            throw new IllegalArgumentException("study needs a non-empty list 'hospitals'");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode h : hs) {
            String s = h.asText();
            if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("hospital name '" + s + "' must be 1-64 letters, digits, . _ -");
            }
            if (list.contains(s)) {
                throw new IllegalArgumentException("hospital '" + s + "' is listed twice");
            }
            list.add(s);
        }
        if (list.size() > 64) {
            throw new IllegalArgumentException("at most 64 hospitals per study");
        }
        this.hospitals = List.copyOf(list);
        JsonNode model = n.path("model");
        String type = model.path("type").asText("logistic").toUpperCase(Locale.ROOT);
        this.modelType = switch (type) {
            case "LOGISTIC", "LOGISTIC_REGRESSION", "LR" -> ModelType.LOGISTIC;
            case "MLP" -> ModelType.MLP;
            case "STATISTICS" -> ModelType.STATISTICS;
            default -> throw new IllegalArgumentException("model.type must be logistic, mlp or statistics, got "
                    + type);
        };
        this.hidden = modelType == ModelType.MLP ? range(model, "hidden", 8, 1, 10_000_000) : 0;
        if (modelType == ModelType.STATISTICS) {
            for (String f : List.of("rounds", "localEpochs", "learningRate", "batchSize", "clipNorm",
                    "validationFraction")) {
                if (n.has(f)) {
                    throw new IllegalArgumentException("a statistics study trains nothing: remove '" + f + "'");
                }
            }
            this.statistics = StatisticsSpec.parse(n.path("statistics"));
        } else {
            if (n.has("statistics")) {
                throw new IllegalArgumentException("'statistics' belongs to studies with model type statistics");
            }
            this.statistics = StatisticsSpec.NONE;
        }
        this.rounds = modelType == ModelType.STATISTICS ? 0 : range(n, "rounds", 10, 1, 100_000);
        this.localEpochs = range(n, "localEpochs", 1, 1, 1000);
        this.learningRate = positive(n, "learningRate", 0.1);
        this.batchSize = range(n, "batchSize", 32, 1, 1 << 20);
        this.threshold = range(n, "threshold", hospitals.size(), 1, hospitals.size());
        this.minHospitals = range(n, "minHospitals", threshold, 1, hospitals.size());
        double vf = n.path("validationFraction").asDouble(0.25);
        if (!(vf >= 0 && vf < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + vf);
        }
        this.validationFraction = vf;
        this.clipNorm = positive(n, "clipNorm", 10);
        JsonNode p = n.path("privacy");
        if (modelType == ModelType.STATISTICS) {
            this.privacy = statisticsPrivacy(p, statistics);
        } else if (p.path("enabled").asBoolean(false)) {
            double z = positive(p, "noiseMultiplier", 1.0);
            double delta = p.path("delta").asDouble(1e-5);
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("privacy.delta must be in (0, 1), got " + delta);
            }
            double budget = p.has("epsilonBudget") ? positive(p, "epsilonBudget", 1) : Double.POSITIVE_INFINITY;
            this.privacy = new Privacy(true, z, delta, budget);
        } else {
            this.privacy = Privacy.OFF;
        }
        String agg = n.path("aggregation").asText("ENCRYPTED").toUpperCase(Locale.ROOT);
        try {
            this.aggregation = Aggregation.valueOf(agg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aggregation must be ENCRYPTED or"
                    + " INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS, got " + agg);
        }
        JsonNode enc = n.path("encryption");
        this.insecureRing = enc.path("insecureTestRing").asBoolean(false);
        // 2^12 is the smallest ring with a 128-bit secure modulus that holds the aggregation prime (one 60-bit
        // prime and a 49-bit special prime, log QP = 109) and packs 4096 numbers per ciphertext; larger rings only
        // round small models up to more slots (AggregationScheme)
        this.logN = range(enc, "logN", 12, insecureRing ? 4 : 12, 16);
        JsonNode t = n.path("timeouts");
        this.roundTimeoutSeconds = positive(t, "roundSeconds", 120);
        this.decryptionTimeoutSeconds = positive(t, "decryptionSeconds", 60);
        this.seed = n.path("seed").asLong(1);
        this.id = Arrays.copyOf(sha256(text.getBytes(StandardCharsets.UTF_8)), 16);
    }

    /**
     * The privacy of a statistics study: {@code privacy: {enabled: true, epsilon: 1, delta: 1e-6}}, patient-level
     * (ε, δ) for its one release (carried as {@link Privacy#epsilonBudget}); it needs clipping bounds for every
     * feature ({@code statistics.bounds}), checked against the cohort when the study is set up.
     */
    private static Privacy statisticsPrivacy(JsonNode p, StatisticsSpec spec) {
        if (!p.path("enabled").asBoolean(false)) {
            if (!spec.bounds().isEmpty()) {
                throw new IllegalArgumentException("statistics.bounds clip values for differential privacy; enable"
                        + " privacy or remove them");
            }
            return Privacy.OFF;
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("enabled", "epsilon", "delta").contains(f)) {
                throw new IllegalArgumentException("unknown privacy field '" + f + "' for a statistics study"
                        + " (known: [enabled, epsilon, delta])");
            }
        }
        if (!p.has("epsilon")) {
            throw new IllegalArgumentException("a private statistics study needs privacy.epsilon (e.g. 1)");
        }
        double epsilon = p.path("epsilon").asDouble(Double.NaN);
        if (!(epsilon >= 0.01 && epsilon <= 100)) {
            throw new IllegalArgumentException("privacy.epsilon must be in [0.01, 100], got " + p.path("epsilon"));
        }
        double delta = p.path("delta").asDouble(1e-6);
        if (!(delta > 0 && delta < 1e-2)) {
            throw new IllegalArgumentException("privacy.delta must be in (0, 0.01), got " + delta);
        }
        if (spec.bounds().isEmpty()) {
            throw new IllegalArgumentException("a private statistics study needs statistics.bounds: a [low, high]"
                    + " clipping range for every feature");
        }
        return new Privacy(true, 0, delta, epsilon);
    }

    /** Parses a definition (YAML or JSON) and validates every field. */
    public static StudyDefinition parse(String text) {
        try {
            JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(text);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("a study definition is a YAML/JSON object");
            }
            return new StudyDefinition(n, text);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable study definition: " + e.getMessage(), e);
        }
    }

    public static StudyDefinition load(Path file) throws IOException {
        if (Files.size(file) > 1 << 20) {
            throw new IllegalArgumentException(file + " is larger than 1 MiB: not a study definition");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String requireText(JsonNode n, String f) {
        String v = n.path(f).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException("study field '" + f + "' is required");
        }
        return v;
    }

    private static int range(JsonNode n, String f, int def, int min, int max) {
        JsonNode v = n.get(f);
        if (v == null) {
            return def;
        }
        if (!v.canConvertToInt()) {
            throw new IllegalArgumentException("'" + f + "' must be an integer, got " + v);
        }
        int x = v.asInt();
        if (x < min || x > max) {
            throw new IllegalArgumentException("'" + f + "' must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    private static double positive(JsonNode n, String f, double def) {
        JsonNode v = n.get(f);
        if (v == null) {
            return def;
        }
        double x = v.asDouble(Double.NaN);
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("'" + f + "' must be a positive number, got " + v);
        }
        return x;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cohort definition (an example name of the data module or a file path). */
    public CohortDefinition cohortDefinition() {
        return CohortDefinitions.resolve(cohort);
    }

    public String name() {
        return name;
    }

    public String cohort() {
        return cohort;
    }

    /** Enrolled hospitals in party order (index i = party i). */
    public List<String> hospitals() {
        return hospitals;
    }

    public int partyIndex(String hospital) {
        return hospitals.indexOf(hospital);
    }

    public ModelType modelType() {
        return modelType;
    }

    public int hidden() {
        return hidden;
    }

    /** Training rounds (0 for a statistics study). */
    public int rounds() {
        return rounds;
    }

    /** Whether this study only releases cohort statistics (model type statistics) and trains nothing. */
    public boolean statisticsOnly() {
        return modelType == ModelType.STATISTICS;
    }

    /** What a statistics study releases beyond the basic figures ({@link StatisticsSpec#NONE} for training). */
    public StatisticsSpec statistics() {
        return statistics;
    }

    /** The histograms a statistics study releases, by feature name (empty for training studies). */
    public List<HistogramSpec> histograms() {
        return statistics.histograms();
    }

    /**
     * Whether round r (from 1) trains: r ≤ {@link #rounds} and, with differential privacy, ε after r trained rounds
     * within the budget. The first round that does not train evaluates the final model and ends the study. Coordinator
     * and hospitals decide alike from this definition.
     */
    public boolean trainsRound(int r) {
        return r >= 1 && r <= rounds && (!privacy.enabled() || org.glovebox.federated.learn.RdpAccountant.epsilon(
                privacy.noiseMultiplier(), r, privacy.delta()) <= privacy.epsilonBudget());
    }

    public int localEpochs() {
        return localEpochs;
    }

    public double learningRate() {
        return learningRate;
    }

    public int batchSize() {
        return batchSize;
    }

    public int minHospitals() {
        return minHospitals;
    }

    public int threshold() {
        return threshold;
    }

    /** Hospitals that must take part in a round: max(t, minHospitals). */
    public int requiredPerRound() {
        return Math.max(threshold, minHospitals);
    }

    public double validationFraction() {
        return validationFraction;
    }

    public double clipNorm() {
        return clipNorm;
    }

    public Privacy privacy() {
        return privacy;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    public boolean encrypted() {
        return aggregation == Aggregation.ENCRYPTED;
    }

    public int logN() {
        return logN;
    }

    public boolean insecureRing() {
        return insecureRing;
    }

    public double roundTimeoutSeconds() {
        return roundTimeoutSeconds;
    }

    public double decryptionTimeoutSeconds() {
        return decryptionTimeoutSeconds;
    }

    public long seed() {
        return seed;
    }

    /** 16-byte study id: SHA-256 of the definition text. */
    public byte[] id() {
        return id.clone();
    }

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return "Study[" + name + ", " + hospitals.size() + " hospitals, " + modelType + ", " + rounds + " rounds, t="
                + threshold + ", " + aggregation + "]";
    }
}
