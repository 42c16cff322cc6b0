package org.glovebox.ml.stats;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.SecretKey;

/**
 * The data owner's side of the result: decrypts an {@link EncryptedStatisticsResult} with noise flooding (the
 * numbers are meant to be shared) and finishes mean and variance in the clear.
 */
public final class StatisticsDecryptor {
    private final Decryptor decryptor;
    private final Encoder encoder;

    public StatisticsDecryptor(SecretKey sk) {
        this.decryptor = new Decryptor(sk);
        this.encoder = new Encoder(sk.parameters());
    }

    public List<ColumnStatistics> decrypt(EncryptedStatisticsResult result) {
        List<ColumnStatistics> out = new ArrayList<>();
        for (int c = 0; c < result.names().size(); c++) {
            double[][] total = encoder.decodeComplex(
                    decryptor.decryptForRelease(result.total(c), Decryptor.DEFAULT_RELEASE_FLOOD_BITS));
            double sum = total[0][0];
            long count = Math.round(total[1][0]);
            double sumOfSquares = Double.NaN;
            if (result.statistic().needsSquares()) {
                double[][] sq = encoder.decodeComplex(
                        decryptor.decryptForRelease(result.squares(c), Decryptor.DEFAULT_RELEASE_FLOOD_BITS));
                sumOfSquares = sq[0][0] + count;
            }
            out.add(ColumnStatistics.of(result.names().get(c), count, sum, sumOfSquares));
        }
        return out;
    }
}
