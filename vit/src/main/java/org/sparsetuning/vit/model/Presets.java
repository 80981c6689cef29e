package org.sparsetuning.vit.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one table of model presets: architectures only (no method, no head size), as the config fields they fix.
 * A preset plus a method's defaults ({@link MethodDefaults}) is a configuration; see {@link ConfigJson}.
 */
public final class Presets {
    private Presets() {
    }

    private record Architecture(int imgSize, int patchSize, int inChans, int embedDim, int depth, int numHeads,
            double mlpRatio) {
    }

    public static final List<String> NAMES = List.of("vit-ti", "vit-s", "vit-b", "vit-l", "fmnist");

    private static Architecture architecture(String name) {
        return switch (name) {
            case "vit-ti" -> new Architecture(224, 16, 3, 192, 12, 3, 4.0);
            case "vit-s" -> new Architecture(224, 16, 3, 384, 12, 6, 4.0);
            case "vit-b" -> new Architecture(224, 16, 3, 768, 12, 12, 4.0);
            case "vit-l" -> new Architecture(224, 16, 3, 1024, 24, 16, 4.0);
            // The main job's ViT: ViT-B's depth (so TS can run at layers 4, 7, 10) at width 64, 4 heads; patch 7 on
            // 28×28 grey images gives 16 tokens plus CLS.
            case "fmnist" -> new Architecture(28, 7, 1, 64, 12, 4, 4.0);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** The preset's architecture as config fields ({@code img_size} … {@code mlp_ratio}), to be completed by a method. */
    public static ObjectNode json(String name) {
        Architecture a = architecture(name);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("img_size", a.imgSize());
        o.put("patch_size", a.patchSize());
        o.put("in_chans", a.inChans());
        o.put("embed_dim", a.embedDim());
        o.put("depth", a.depth());
        o.put("num_heads", a.numHeads());
        o.put("mlp_ratio", a.mlpRatio());
        return o;
    }

    /** The preset with {@code method} and that method's defaults, for {@code classes} classes. */
    public static VitConfig config(String name, String method, int classes) {
        ObjectNode o = json(name);
        o.put("num_classes", classes);
        o.put("method", method);
        return ConfigJson.parse(o);
    }
}
