package org.sparsetuning.app.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.Presets;
import org.sparsetuning.vit.model.VitConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The main job's methods are their defaults on the fmnist preset, except the departures it lists. */
class MainJobPlanTest {
    @Test
    void everyDepartureFromAMethodsDefaultsIsListedWithItsReason() {
        Map<String, VitConfig> methods = MainJobPlan.standard().methods();
        for (Map.Entry<String, VitConfig> e : methods.entrySet()) {
            ObjectNode want = ConfigJson.of(Presets.config("fmnist", e.getKey(), 5));
            for (MainJobPlan.Departure d : MainJobPlan.OVERRIDES) {
                if (d.method().equals(e.getKey())) {
                    assertEquals(d.defaultValue(), want.get(d.field()).asDouble(), d.field() + " default of " + d.method());
                    assertTrue(!d.why().isBlank());
                    d.applyTo(want);
                }
            }
            assertEquals(ConfigJson.parse(want), e.getValue(), e.getKey() + " differs from its defaults beyond the listed departures");
        }
        assertTrue(methods.get(VitConfig.KADAPTATION).options().kadaptDeltaAfterScale(), "KAdaptation's default delta order");
        assertTrue(methods.get(VitConfig.SPARSE_TUNING).sparsifies());
        methods.forEach((k, v) -> assertEquals(k.equals(VitConfig.SPARSE_TUNING), v.sparsifies(), k));
    }
}
