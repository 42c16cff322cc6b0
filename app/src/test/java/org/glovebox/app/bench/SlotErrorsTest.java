package org.glovebox.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlotErrorsTest {

    @Test
    void meanAndWorstAreBitsOfTheComplexErrorPooledOverVectors() {
        SlotErrors e = new SlotErrors();
        // errors 2^-10 (real) and 2^-20 (imaginary) ...
        e.add(new double[][] {{0.5, 0.25}, {0, 0}}, new double[][] {{0.5 + 0x1p-10, 0.25}, {0, 0x1p-20}});
        // ... then a 3-4-5 complex error of 5 * 2^-13 and an exact slot.
        e.add(new double[][] {{0, 1}, {0, 0}}, new double[][] {{3 * 0x1p-13, 1}, {4 * 0x1p-13, 0}});

        assertThat(e.count()).isEqualTo(4);
        double mean = (0x1p-10 + 0x1p-20 + 5 * 0x1p-13 + 0) / 4;
        assertThat(e.bitsMean()).isCloseTo(-Math.log(mean) / Math.log(2), within(1e-9));
        assertThat(e.bitsWorst()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void noSlotsIsAnError() {
        assertThatThrownBy(() -> new SlotErrors().bitsMean()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThatThrownBy(() -> new SlotErrors().add(new double[][] {{1, 2}, {0, 0}}, new double[][] {{1}, {0}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
