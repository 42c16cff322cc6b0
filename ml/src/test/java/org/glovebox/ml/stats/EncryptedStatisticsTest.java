package org.glovebox.ml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.io.MalformedDataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EncryptedStatisticsTest {
    static Parameters params;
    static SecretKey sk;
    static Evaluator cloud;
    static Encryptor encryptor;

    @BeforeAll
    static void keys() {
        params = ParameterSets.statistics();
        KeyGenerator kg = new KeyGenerator(params);
        sk = kg.generateSecretKey();
        encryptor = Encryptor.withPublicKey(kg.generatePublicKey(sk));
        cloud = new Evaluator(params, kg.generateRelinearizationKey(sk),
                kg.generateGaloisKeys(sk, EncryptedStatistics.requiredRotationSteps(params), false));
    }

    private static List<double[]> clinicalColumns(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] age = new double[rows];
        double[] glucose = new double[rows];
        double[] pedigree = new double[rows];
        for (int i = 0; i < rows; i++) {
            age[i] = Math.round(r.nextDouble(20, 90));
            glucose[i] = r.nextDouble() < 0.05 ? Double.NaN : r.nextDouble(60, 250);
            pedigree[i] = r.nextDouble() < 0.1 ? Double.NaN : r.nextDouble(0.08, 2.4);
        }
        return List.of(age, glucose, pedigree);
    }

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertThat(Math.abs(actual - expected)).isLessThanOrEqualTo(tolerance * Math.abs(expected));
    }

    @Test
    void hundredThousandRowsMatchPlaintextWithinOnePartPerMillion() throws IOException {
        List<String> names = List.of("age", "glucose", "pedigree");
        List<double[]> cols = clinicalColumns(100_000, 1);
        EncryptedTable table = new TableEncryptor(params, encryptor).encrypt(names, cols);
        // Through the file format, as in the CLI.
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        table.write(bos);
        table = EncryptedTable.read(new ByteArrayInputStream(bos.toByteArray()), params);
        EncryptedStatisticsResult result = new EncryptedStatistics(cloud).compute(table, Statistic.VARIANCE);
        bos = new ByteArrayOutputStream();
        result.write(bos);
        result = EncryptedStatisticsResult.read(new ByteArrayInputStream(bos.toByteArray()), params);
        List<ColumnStatistics> got = new StatisticsDecryptor(sk).decrypt(result);
        List<ColumnStatistics> want = PlainStatistics.compute(names, cols);
        for (int c = 0; c < names.size(); c++) {
            ColumnStatistics g = got.get(c);
            ColumnStatistics w = want.get(c);
            assertThat(g.name()).isEqualTo(w.name());
            assertThat(g.count()).isEqualTo(w.count());
            assertRelative(w.sum(), g.sum(), 1e-6);
            assertRelative(w.mean(), g.mean(), 1e-6);
            assertRelative(w.variance(), g.variance(), 1e-6);
        }
    }

    @Test
    void sumAndCountWithoutSquares() {
        List<String> names = List.of("x");
        double[] x = {1.5, Double.NaN, -2.25, 4, 0};
        EncryptedTable table = new TableEncryptor(params, encryptor).encrypt(names, List.of(x));
        List<ColumnStatistics> got = new StatisticsDecryptor(sk)
                .decrypt(new EncryptedStatistics(cloud).compute(table, Statistic.MEAN));
        assertThat(got.get(0).count()).isEqualTo(4);
        assertThat(got.get(0).sum()).isCloseTo(3.25, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(got.get(0).mean()).isCloseTo(3.25 / 4, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(got.get(0).variance()).isNaN();
    }

    @Test
    void malformedTablesAreRefused() throws IOException {
        EncryptedTable table = new TableEncryptor(params, encryptor).encrypt(List.of("a"), List.of(new double[] {1}));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        table.write(bos);
        byte[] bytes = bos.toByteArray();
        for (int len : new int[] {0, 3, 6, 10, 14, 20, 100, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> EncryptedTable.read(new ByteArrayInputStream(cut), params))
                    .isInstanceOf(MalformedDataException.class);
        }
        byte[] rows = bytes.clone();
        java.nio.ByteBuffer.wrap(rows).putInt(6, 50_000);
        assertThatThrownBy(() -> EncryptedTable.read(new ByteArrayInputStream(rows), params))
                .hasMessageContaining("ciphertexts");
        byte[] cols = bytes.clone();
        java.nio.ByteBuffer.wrap(cols).putInt(10, Integer.MAX_VALUE);
        assertThatThrownBy(() -> EncryptedTable.read(new ByteArrayInputStream(cols), params))
                .hasMessageContaining("column count");
        byte[] magic = bytes.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> EncryptedTable.read(new ByteArrayInputStream(magic), params))
                .hasMessageContaining("magic");
    }
}
