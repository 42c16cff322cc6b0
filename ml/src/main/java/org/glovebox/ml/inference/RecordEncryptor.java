package org.glovebox.ml.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.ml.lr.RowPacking;

/** The data owner's side of scoring: encrypts patient records (original units, no missing values). */
public final class RecordEncryptor {
    private final Parameters params;
    private final Encoder encoder;
    private final Encryptor encryptor;

    public RecordEncryptor(Parameters params, Encryptor encryptor) {
        this.params = params;
        this.encoder = new Encoder(params);
        this.encryptor = encryptor;
    }

    /** @param x one row per patient, every value finite */
    public EncryptedRecords encrypt(List<String> names, double[][] x, RecordLayout layout) {
        int n = x.length;
        int d = names.size();
        if (n == 0) {
            throw new IllegalArgumentException("no records");
        }
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, expected " + d);
            }
            for (double v : x[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("row " + i + " has a missing or non-finite value; impute first");
                }
            }
        }
        int slots = params.maxSlots();
        double[] buf = new double[slots];
        List<Ciphertext> cts = new ArrayList<>();
        if (layout == RecordLayout.COLUMNS) {
            int batches = EncryptedRecords.batches(params, n);
            for (int j = 0; j < d; j++) {
                for (int b = 0; b < batches; b++) {
                    Arrays.fill(buf, 0);
                    for (int r = b * slots; r < Math.min(n, (b + 1) * slots); r++) {
                        buf[r - b * slots] = x[r][j];
                    }
                    cts.add(encrypt(buf));
                }
            }
        } else {
            RowPacking p = RowPacking.of(d, slots);
            if (2 * p.blockWidth() > slots) {
                throw new IllegalArgumentException("too many features for the row layout of this parameter set");
            }
            int per = EncryptedRecords.perCiphertext(p);
            int w = p.blockWidth();
            for (int start = 0; start < n; start += per) {
                Arrays.fill(buf, 0);
                for (int i = start; i < Math.min(n, start + per); i++) {
                    for (int copy = 0; copy < 2; copy++) {
                        int base = (2 * (i - start) + copy) * w;
                        buf[base] = 1;
                        System.arraycopy(x[i], 0, buf, base + 1, d);
                    }
                }
                cts.add(encrypt(buf));
            }
        }
        Arrays.fill(buf, 0);
        return new EncryptedRecords(params, layout, n, names, cts);
    }

    private Ciphertext encrypt(double[] slots) {
        return encryptor.encrypt(encoder.encode(slots, null, params.maxSlots(), params.maxLevel(),
                params.defaultScale()));
    }
}
