package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.ml.HostileInput;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.MlTestSupport.Keys;
import org.glovebox.ml.TrainingParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The training-set (GBTS) and model (GBLM) files and the model CSV: round trips and hostile input. */
class LogisticFormatsTest {
    static Keys keys;
    static Parameters params;
    static EncryptedTrainingSet set;
    static byte[] setBytes;
    static byte[] modelBytes;

    @BeforeAll
    static void make() throws IOException {
        params = TrainingParameters.insecureForTesting(10, 2);
        keys = MlTestSupport.keys(params, TrainingParameters.rotationSteps(params), false);
        double[][] x = MlTestSupport.syntheticRows(70, 3, 9);
        int[] y = MlTestSupport.syntheticLabels(x, new double[] {-3, 1, 0, 0}, 9);
        set = new TrainingSetEncryptor(params, keys.encryptor()).encrypt(List.of("a", "b", "c"), "y", x, y);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        set.write(bos);
        setBytes = bos.toByteArray();
        EncryptedLogisticModel model = new EncryptedLogisticRegression(keys.cloud()).train(set, 2,
                TrainingListener.NONE);
        bos = new ByteArrayOutputStream();
        model.write(bos);
        modelBytes = bos.toByteArray();
    }

    @Test
    void trainingSetRoundTripsAndRefusesHostileInput() throws IOException {
        EncryptedTrainingSet back = EncryptedTrainingSet.read(new ByteArrayInputStream(setBytes), params);
        assertThat(back.rows()).isEqualTo(70);
        assertThat(back.names()).containsExactly("a", "b", "c");
        assertThat(back.labelName()).isEqualTo("y");
        assertThat(back.learningRate()).isEqualTo(set.learningRate());
        assertThat(back.data()).hasSize(set.data().size());
        HostileInput.check(setBytes, in -> EncryptedTrainingSet.read(in, params));
        // rows (offset 6), features (10), block width (14), slots (18)
        assertThatThrownBy(() -> read(HostileInput.withInt(setBytes, 6, Integer.MAX_VALUE)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("row count");
        assertThatThrownBy(() -> read(HostileInput.withInt(setBytes, 6, 700))).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> read(HostileInput.withInt(setBytes, 10, 5))).hasMessageContaining("packing");
        assertThatThrownBy(() -> read(HostileInput.withInt(setBytes, 14, 8))).hasMessageContaining("packing");
        assertThatThrownBy(() -> read(HostileInput.withInt(setBytes, 18, 1 << 20))).hasMessageContaining("slot");
        // Another parameter set is refused by the ciphertext fingerprints.
        Parameters other = TrainingParameters.insecureForTesting(10, 1);
        assertThatThrownBy(() -> EncryptedTrainingSet.read(new ByteArrayInputStream(setBytes), other))
                .isInstanceOf(MalformedDataException.class);
    }

    private static EncryptedTrainingSet read(byte[] b) throws IOException {
        return EncryptedTrainingSet.read(new ByteArrayInputStream(b), params);
    }

    @Test
    void modelRoundTripsAndRefusesHostileInput() throws IOException {
        EncryptedLogisticModel back = EncryptedLogisticModel.read(new ByteArrayInputStream(modelBytes), params);
        assertThat(back.iterations()).isEqualTo(2);
        assertThat(back.names()).containsExactly("a", "b", "c");
        assertThat(back.level()).isEqualTo(params.maxLevel() - 5);
        HostileInput.check(modelBytes, in -> EncryptedLogisticModel.read(in, params));
        assertThatThrownBy(() -> EncryptedLogisticModel.read(new ByteArrayInputStream(
                HostileInput.withInt(modelBytes, 18, 0)), params)).hasMessageContaining("row count");
        assertThatThrownBy(() -> EncryptedLogisticModel.read(new ByteArrayInputStream(
                HostileInput.withInt(modelBytes, 22, -1)), params)).hasMessageContaining("iteration count");
        // A training set is not a model.
        assertThatThrownBy(() -> EncryptedLogisticModel.read(new ByteArrayInputStream(setBytes), params))
                .hasMessageContaining("magic");
    }

    @Test
    void modelCsvRoundTripsAndRefusesMalformedText() throws IOException {
        LogisticModel m = LogisticModel.of(List.of("age", "bmi, kg/m2"), new double[] {-3.5, 0.03, 0.1});
        LogisticModel back = LogisticModel.readCsv(new StringReader(m.toCsv()));
        assertThat(back.names()).containsExactly("age", "bmi, kg/m2");
        assertThat(back.weights()).containsExactly(m.weights());
        for (String bad : new String[] {"", "x,y\n", "term,coefficient\n", "term,coefficient\nage,1\n",
            "term,coefficient\nintercept,NaN\n", "term,coefficient\nintercept,1\nage,abc\n",
            "term,coefficient\nintercept,1\nage,1\nage,2\n", "term,coefficient\nintercept,1\n\"age,1\n",
            "term,coefficient\nintercept,1,2\n", "term,coefficient\nintercept,1\nintercept,2\n",
            "term,coefficient\nintercept,1e999\n"}) {
            assertThatThrownBy(() -> LogisticModel.readCsv(new StringReader(bad))).as(bad)
                    .isInstanceOf(IOException.class);
        }
        String huge = "term,coefficient\nintercept," + "1".repeat(org.glovebox.ml.io.CsvLines.MAX_LINE + 10) + "\n";
        assertThatThrownBy(() -> LogisticModel.readCsv(new StringReader(huge))).hasMessageContaining("longer");
    }
}
