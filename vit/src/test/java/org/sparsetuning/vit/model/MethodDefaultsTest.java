package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every method gets its own defaults, the same from a JSON config, a preset, or a config switched to it. */
class MethodDefaultsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> BASELINES = List.of("full", "linear-probe", "lora", "adaptformer", "kadaptation", "adapter",
            "vpt", "bitfit");

    static VitConfig parse(String json) throws Exception {
        return ConfigJson.parse(JSON.readTree(json));
    }

    @Test
    void aBaselineIsDenseUnlessItsConfigAsksForSparsification() throws Exception {
        for (String m : BASELINES) {
            VitConfig c = parse("{\"method\": \"" + m + "\"}");
            assertEquals(List.of(), c.tsLayers(), m);
            assertEquals(1.0, c.keepRate(), m);
            assertFalse(c.sparsifies(), m);
        }
        VitConfig rate = parse("{\"method\": \"lora\", \"keep_rate\": 0.6}");
        assertEquals(List.of(4, 7, 10), rate.tsLayers(), "a keep rate below 1 alone sparsifies at the default layers");
        assertEquals(0.6, rate.keepRate());
        VitConfig layers = parse("{\"method\": \"adaptformer\", \"ts_layers\": [3, 6]}");
        assertEquals(0.7, layers.keepRate(), "ts_layers alone sparsify at the default rate");
        assertEquals(List.of(3, 6), layers.tsLayers());
        assertTrue(parse("{\"method\": \"token-sparsification\"}").sparsifies());
        assertTrue(parse("{}").sparsifies());
    }

    @Test
    void eachMethodsAdapterDefaultsComeFromItsOwnPaperWhateverTheEntryPoint() throws Exception {
        for (String preset : Presets.NAMES) {
            VitConfig af = Presets.config(preset, VitConfig.ADAPTFORMER, 10);
            assertEquals(List.of(64, 0.1), List.of(af.adapterDim(), af.adapterScale()), preset + " adaptformer");
            assertEquals(64, Presets.config(preset, VitConfig.ADAPTER, 10).adapterDim(), preset + " adapter");
            VitConfig st = Presets.config(preset, VitConfig.SPARSE_TUNING, 10);
            assertEquals(List.of(32, 1.0), List.of(st.adapterDim(), st.adapterScale()), preset + " sparse-tuning");
            assertEquals(List.of(4, 7, 10), st.tsLayers());
        }
        VitConfig json = parse("{\"method\": \"adaptformer\", \"num_classes\": 10}");
        assertEquals(json, Presets.config("vit-b", VitConfig.ADAPTFORMER, 10), "a JSON config and the preset agree");
        assertEquals(VitConfig.base(10), parse("{\"num_classes\": 10}"), "vit-b is the JSON defaults' model");
    }

    @Test
    void vptBuildsFromEveryPreset() {
        // It once failed: the preset's Sparse-Tuning keep rate reached VPT, which refuses TS.
        for (String preset : Presets.NAMES) {
            VitConfig v = Presets.config(preset, VitConfig.VPT, 5);
            assertEquals(List.of(), v.tsLayers(), preset);
        }
    }

    @Test
    void switchingAConfigToAnotherMethodDropsTheFieldsChosenForTheOld() throws Exception {
        ObjectNode st = (ObjectNode) JSON.readTree("{\"method\": \"sparse-tuning\", \"keep_rate\": 0.5, \"ts_layers\": [4, 7, 10], "
                + "\"adapter_dim\": 8, \"adapter_scale\": 2.0, \"lora_rank\": 2, \"embed_dim\": 48, \"num_heads\": 4}");
        ObjectNode asLora = st.deepCopy();
        assertEquals(ConfigJson.METHOD_BOUND, ConfigJson.switchMethod(asLora, VitConfig.LORA));
        VitConfig lora = ConfigJson.parse(asLora);
        assertFalse(lora.sparsifies(), "the config's ts_layers were chosen for sparse-tuning");
        assertEquals(2, lora.options().loraRank(), "an option named after LoRA is LoRA's");
        assertEquals(48, lora.embedDim(), "the architecture stays");
        ObjectNode asAf = st.deepCopy();
        ConfigJson.switchMethod(asAf, VitConfig.ADAPTFORMER);
        assertEquals(List.of(64, 0.1), List.of(ConfigJson.parse(asAf).adapterDim(), ConfigJson.parse(asAf).adapterScale()));
        ObjectNode same = st.deepCopy();
        assertEquals(List.of(), ConfigJson.switchMethod(same, VitConfig.SPARSE_TUNING), "the same method keeps everything");
        assertEquals(0.5, ConfigJson.parse(same).keepRate());
    }

    @Test
    void writtenConfigsReadBackEqual() throws Exception {
        for (String m : BASELINES) {
            VitConfig c = Presets.config("fmnist", m, 5);
            assertEquals(c, ConfigJson.parse(ConfigJson.of(c)), m);
        }
        VitConfig sparseLora = parse("{\"method\": \"lora\", \"keep_rate\": 0.6}");
        assertEquals(sparseLora, ConfigJson.parse(ConfigJson.of(sparseLora)));
    }
}
