package org.sparsetuning.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VitConfig;

/**
 * A model configuration as SPEC G's JSON, every field written out (the method options too), so that
 * {@link VitConfig#parse} reads back exactly the same configuration whatever its defaults become.
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    public static ObjectNode of(VitConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("img_size", c.imgSize());
        o.put("patch_size", c.patchSize());
        o.put("in_chans", c.inChans());
        o.put("embed_dim", c.embedDim());
        o.put("depth", c.depth());
        o.put("num_heads", c.numHeads());
        o.put("mlp_ratio", c.mlpRatio());
        o.put("num_classes", c.numClasses());
        o.put("adapter_dim", c.adapterDim());
        o.put("adapter_scale", c.adapterScale());
        o.put("keep_rate", c.keepRate());
        ints(o.putArray("ts_layers"), c.tsLayers());
        o.put("method", c.method());
        o.put("fusion", c.fusion().configName);
        o.put("dense_mode", c.denseMode());
        ints(o.putArray("dense_inputs"), c.denseInputs());
        o.put("head_mode", c.headMode());
        MethodOptions m = c.options();
        ints(o.putArray("code_adapter_dims"), m.codeAdapterDims());
        o.put("lora_rank", m.loraRank());
        o.put("lora_alpha", m.loraAlpha());
        o.put("adaptformer_input", m.adaptformerInput());
        o.put("kadapt_n", m.kadaptN());
        o.put("kadapt_rank", m.kadaptRank());
        o.put("kadapt_scale", m.kadaptScale());
        o.put("kadapt_delta_after_scale", m.kadaptDeltaAfterScale());
        o.put("vpt_tokens", m.vptTokens());
        o.put("adapter_placement", m.adapterPlacement());
        o.put("num_frames", c.numFrames());
        o.put("tubelet_size", c.tubeletSize());
        return o;
    }

    private static void ints(ArrayNode a, List<Integer> values) {
        values.forEach(a::add);
    }
}
