package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;

/**
 * The data owner's side: encrypts named numeric columns (NaN = missing) into an {@link EncryptedTable}.
 * Values are encrypted as they are (no rescaling), so results come back in the original units.
 */
public final class TableEncryptor {
    private final Parameters params;
    private final Encoder encoder;
    private final Encryptor encryptor;

    public TableEncryptor(Parameters params, Encryptor encryptor) {
        this.params = params;
        this.encoder = new Encoder(params);
        this.encryptor = encryptor;
    }

    public EncryptedTable encrypt(List<String> names, List<double[]> columns) {
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException("one name per column");
        }
        int rows = columns.isEmpty() ? 0 : columns.get(0).length;
        int slots = params.maxSlots();
        int count = ColumnPacking.ciphertexts(rows, slots);
        List<Ciphertext[]> out = new ArrayList<>();
        double[] re = new double[slots];
        double[] im = new double[slots];
        for (double[] column : columns) {
            if (column.length != rows) {
                throw new IllegalArgumentException("columns differ in length");
            }
            Ciphertext[] cts = new Ciphertext[count];
            for (int k = 0; k < count; k++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                for (int j = 0; j < slots && k * slots + j < rows; j++) {
                    double v = column[k * slots + j];
                    if (!Double.isNaN(v)) {
                        if (Double.isInfinite(v)) {
                            throw new IllegalArgumentException("infinite value in row " + (k * slots + j));
                        }
                        re[j] = v;
                        im[j] = 1;
                    }
                }
                cts[k] = encryptor.encrypt(encoder.encode(re, im, slots, params.maxLevel(), params.defaultScale()));
            }
            java.util.Arrays.fill(re, 0);
            out.add(cts);
        }
        return new EncryptedTable(params, names, rows, out);
    }
}
