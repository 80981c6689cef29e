package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field a trace config omits means the same here as in tools/torchref (whose defaults make_goldens.py writes to
 * golden/torchref_defaults.json), and SPEC G's fields default to ViT-B/16 with the paper's Sparse-Tuning settings.
 */
class ConfigDefaultsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The configuration's fields under their JSON names, as the reader would take them. */
    static Map<String, Object> fields(VitConfig c) {
        MethodOptions o = c.options();
        return Map.ofEntries(Map.entry("img_size", c.imgSize()), Map.entry("patch_size", c.patchSize()),
                Map.entry("in_chans", c.inChans()), Map.entry("embed_dim", c.embedDim()), Map.entry("depth", c.depth()),
                Map.entry("num_heads", c.numHeads()), Map.entry("mlp_ratio", c.mlpRatio()),
                Map.entry("num_classes", c.numClasses()), Map.entry("adapter_dim", c.adapterDim()),
                Map.entry("adapter_scale", c.adapterScale()), Map.entry("keep_rate", c.keepRate()),
                Map.entry("ts_layers", c.tsLayers()), Map.entry("method", c.method()),
                Map.entry("fusion", c.fusion().configName), Map.entry("dense_mode", c.denseMode()),
                Map.entry("dense_inputs", c.denseInputs()), Map.entry("code_adapter_dims", o.codeAdapterDims()),
                Map.entry("head_mode", c.headMode()), Map.entry("lora_rank", o.loraRank()),
                Map.entry("lora_alpha", o.loraAlpha()), Map.entry("adaptformer_input", o.adaptformerInput()),
                Map.entry("kadapt_n", o.kadaptN()), Map.entry("kadapt_rank", o.kadaptRank()),
                Map.entry("kadapt_scale", o.kadaptScale()), Map.entry("kadapt_delta_after_scale", o.kadaptDeltaAfterScale()),
                Map.entry("num_frames", c.numFrames()), Map.entry("tubelet_size", c.tubeletSize()));
    }

    static Object value(JsonNode n) {
        if (n.isArray()) {
            List<Integer> out = new ArrayList<>();
            n.forEach(e -> out.add(e.intValue()));
            return out;
        }
        if (n.isIntegralNumber()) {
            return n.intValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.isBoolean() ? (Object) n.booleanValue() : n.textValue();
    }

    static void assertSameDefaults(JsonNode want, VitConfig got, String what) {
        Map<String, Object> mine = fields(got);
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTrue(mine.containsKey(e.getKey()), what + ": torchref field '" + e.getKey() + "' unknown here");
            assertEquals(value(e.getValue()), mine.get(e.getKey()), what + ": default of '" + e.getKey() + "'");
        }
    }

    @Test
    void omittedFieldsMeanWhatTheyMeanInTheReference() throws Exception {
        JsonNode ref = JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/golden/torchref_defaults.json")));
        JsonNode defaults = ref.get("defaults");
        assertEquals(fields(VitConfig.parse(JSON.createObjectNode())).keySet().size(), defaults.size(),
                "both sides know the same fields");
        assertSameDefaults(defaults, VitConfig.parse(JSON.createObjectNode()), "empty config");
        for (String method : new String[] {"lora", "kadaptation", "token-sparsification", "linear-probe", "adaptformer"}) {
            ObjectNode cfg = JSON.createObjectNode().put("method", method);
            ObjectNode want = defaults.deepCopy();
            want.put("method", method);
            JsonNode special = ref.get("method_defaults").get(method);
            if (special != null) {
                want.setAll((ObjectNode) special);
            }
            assertSameDefaults(want, VitConfig.parse(cfg), method);
        }
    }

    @Test
    void specGDefaultsAreViTB16WithThePaperSettings() {
        VitConfig c = VitConfig.parse(JSON.createObjectNode());
        assertEquals(List.of(224, 16, 3, 768, 12, 12), List.of(c.imgSize(), c.patchSize(), c.inChans(), c.embedDim(),
                c.depth(), c.numHeads()));
        assertEquals(4.0, c.mlpRatio());
        assertEquals(List.of(32, 4, 7, 10), List.of(c.adapterDim(), c.tsLayers().get(0), c.tsLayers().get(1), c.tsLayers().get(2)));
        assertEquals(1.0, c.adapterScale());
        assertEquals(0.7, c.keepRate());
        assertEquals(VitConfig.SPARSE_TUNING, c.method());
        assertTrue(VitConfig.parse(JSON.createObjectNode().put("method", "kadaptation")).options().kadaptDeltaAfterScale(),
                "KAdaptation adds the q delta after the scaling unless told otherwise (SPEC C.2)");
    }
}
