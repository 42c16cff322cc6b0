package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scaling's mantissa-and-exponent layout survives flooding noise at any magnitude (wdbc spans 10^-3 … 10^3). */
class SpreadLayoutTest {
    @Test
    void halfRangesAndCentersOfEveryMagnitudeSurviveReleaseNoise() {
        double[] half = {0.0141, 700.5, 1, 3.2e-6, 2.5e5, 0.5};
        double[] center = {0.0628, -654.9, 0, -1e-4, 1.0e6, 0};
        FeatureScaling scaling = FeatureScaling.of(center, half);
        RowPacking packing = RowPacking.of(half.length, 4096);
        double[] slots = SpreadLayout.encode(packing, scaling);
        for (double v : slots) {
            assertThat(Math.abs(v)).isLessThan(1024);
        }
        // Flooded release at scale 2^40 and N = 2^16: about 0.2 per slot; here up to 0.3, uniform, in every slot (128 copies of each value).
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < slots.length; i++) {
            slots[i] += r.nextDouble(-0.3, 0.3);
        }
        double[][] hc = SpreadLayout.decode(slots, packing);
        for (int j = 0; j < half.length; j++) {
            assertThat(hc[0][j + 1]).as("half-range %d", j).isCloseTo(half[j],
                    org.assertj.core.data.Offset.offset(1e-4 * Math.abs(half[j])));
            assertThat(hc[1][j + 1]).as("center %d", j).isCloseTo(center[j],
                    org.assertj.core.data.Offset.offset(1e-4 * Math.abs(center[j]) + 1e-300));
        }
    }

    @Test
    void refusesTooFewBlocksAndAbsurdExponents() {
        FeatureScaling scaling = FeatureScaling.of(new double[] {0}, new double[] {1});
        assertThatThrownBy(() -> SpreadLayout.encode(RowPacking.of(1, 4), scaling))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4");
        RowPacking packing = RowPacking.of(1, 64);
        double[] slots = SpreadLayout.encode(packing, scaling);
        for (int i = 2 * packing.blockWidth() + 1; i < slots.length; i += 4 * packing.blockWidth()) {
            slots[i] = 5000;
        }
        assertThatThrownBy(() -> SpreadLayout.decode(slots, packing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exponent");
    }
}
