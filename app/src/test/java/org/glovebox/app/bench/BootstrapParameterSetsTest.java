package org.glovebox.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.junit.jupiter.api.Test;

class BootstrapParameterSetsTest {

    @Test
    void n16IsTheSecureFullPackingSet() {
        BootstrappingParameters bp = BootstrapParameterSets.byName("N16");
        assertThat(bp.parameters().isInsecure()).isFalse();
        assertThat(bp.slots()).isEqualTo(1 << 15);
        assertThat(bp.parameters().sameAs(BootstrappingParameters.n16().parameters())).isTrue();
    }

    @Test
    void sparseSetsTakeTheSlotExponent() {
        BootstrappingParameters bp = BootstrapParameterSets.byName("n16-sparse12");
        assertThat(bp.slots()).isEqualTo(1 << 12);
        assertThat(bp.parameters().isInsecure()).isFalse();
    }

    @Test
    void testRingIsMarkedInsecure() {
        BootstrappingParameters bp = BootstrapParameterSets.byName(BootstrapParameterSets.TEST_INSECURE);
        assertThat(bp.parameters().isInsecure()).isTrue();
        assertThat(bp.parameters().logN()).isEqualTo(10);
        assertThat(bp.isSparse()).isFalse();
        assertThat(bp.ephemeralSecretWeight()).isPositive();
    }

    @Test
    void outOfRangeOrMalformedNamesAreRefused() {
        for (String bad : new String[] {"n16-sparse15", "n16-sparse2", "n16-sparse", "n16-sparsex", "n15", ""}) {
            assertThatThrownBy(() -> BootstrapParameterSets.byName(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown bootstrapping parameter set");
        }
    }
}
