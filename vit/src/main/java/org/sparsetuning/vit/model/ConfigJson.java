package org.sparsetuning.vit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * The one reader and writer of model configurations (SPEC G's JSON plus the options of tools/torchref, same names and
 * defaults). Omitted fields take the method's defaults ({@link MethodDefaults}); unknown fields are an error. Presets
 * and command-line flags are applied as JSON fields too, so every entry point gets the same defaults.
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    private static final Set<String> FIELDS = Set.of("img_size", "patch_size", "in_chans", "embed_dim", "depth",
            "num_heads", "mlp_ratio", "num_classes", "adapter_dim", "adapter_scale", "keep_rate", "ts_layers", "method",
            "fusion", "dense_mode", "dense_inputs", "head_mode", "code_adapter_dims", "lora_rank", "lora_alpha",
            "adaptformer_input", "kadapt_n", "kadapt_rank", "kadapt_scale", "kadapt_delta_after_scale", "vpt_tokens",
            "adapter_placement", "num_frames", "tubelet_size");

    /**
     * Fields whose value belongs to the config's own method: a config made for Sparse-Tuning does not sparsify, or
     * size the adapters of, another method it is switched to ({@link #switchMethod}). Options named after one method
     * ({@code lora_rank}, {@code kadapt_n}, ...) stay, since they can mean nothing else.
     */
    public static final List<String> METHOD_BOUND = List.of("adapter_dim", "adapter_scale", "keep_rate", "ts_layers");

    /** Reads a config file as a JSON object, errors naming the file. */
    public static ObjectNode readObject(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": config file not found");
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": config must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Reads and checks a config file; errors name the file and the field. */
    public static VitConfig load(Path file) throws IOException {
        ObjectNode root = readObject(file);
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The method a config names (Sparse-Tuning when it names none). */
    public static String method(JsonNode root) {
        return textField(root, "method", VitConfig.SPARSE_TUNING);
    }

    /**
     * Makes {@code draft} a config of {@code method}. If that is another method than the draft's, the draft's
     * {@link #METHOD_BOUND} fields are dropped (they were chosen for the old method) and return as the new method's
     * defaults; the returned list names what was dropped.
     */
    public static List<String> switchMethod(ObjectNode draft, String method) {
        List<String> dropped = new ArrayList<>();
        if (!method(draft).equals(method)) {
            for (String f : METHOD_BOUND) {
                if (draft.remove(f) != null) {
                    dropped.add(f);
                }
            }
        }
        draft.put("method", method);
        return dropped;
    }

    public static VitConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown config field '" + f + "'");
            }
        }
        String method = method(root);
        MethodDefaults.TokenSparsification ts = MethodDefaults.tokenSparsification(method,
                root.has("keep_rate") ? doubleField(root, "keep_rate", 0) : null,
                root.has("ts_layers") ? intList(root, "ts_layers", List.of()) : null);
        MethodOptions o = MethodOptions.DEFAULTS;
        return new VitConfig(
                intField(root, "img_size", 224), intField(root, "patch_size", 16), intField(root, "in_chans", 3),
                intField(root, "embed_dim", 768), intField(root, "depth", 12), intField(root, "num_heads", 12),
                doubleField(root, "mlp_ratio", 4.0), intField(root, "num_classes", 100),
                intField(root, "adapter_dim", MethodDefaults.adapterDim(method)),
                doubleField(root, "adapter_scale", MethodDefaults.adapterScale(method)),
                ts.keepRate(), ts.layers(), method, Fusion.parse(textField(root, "fusion", Fusion.SUM.configName)),
                textField(root, "dense_mode", "paper"), intList(root, "dense_inputs", List.of(1, 3)),
                textField(root, "head_mode", "linear"),
                new MethodOptions(intList(root, "code_adapter_dims", o.codeAdapterDims()),
                        intField(root, "lora_rank", o.loraRank()), doubleField(root, "lora_alpha", o.loraAlpha()),
                        textField(root, "adaptformer_input", o.adaptformerInput()),
                        intField(root, "kadapt_n", o.kadaptN()), intField(root, "kadapt_rank", o.kadaptRank()),
                        doubleField(root, "kadapt_scale", o.kadaptScale()),
                        boolField(root, "kadapt_delta_after_scale", o.kadaptDeltaAfterScale()),
                        intField(root, "vpt_tokens", o.vptTokens()),
                        textField(root, "adapter_placement", o.adapterPlacement())),
                intField(root, "num_frames", 0), intField(root, "tubelet_size", VitConfig.DEFAULT_TUBELET));
    }

    /**
     * A configuration with every field written out (the method options too), so that {@link #parse} reads back
     * exactly the same configuration whatever the defaults become.
     */
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

    private static int intField(JsonNode root, String name, int dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double doubleField(JsonNode root, String name, double dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static boolean boolField(JsonNode root, String name, boolean dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("'" + name + "' must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    private static String textField(JsonNode root, String name, String dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' must be a string, got " + n);
        }
        return n.textValue();
    }

    private static List<Integer> intList(JsonNode root, String name, List<Integer> dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("'" + name + "' must be a list of integers, got " + n);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isIntegralNumber()) {
                throw new IllegalArgumentException("'" + name + "' must be a list of integers, got " + n);
            }
            out.add(e.intValue());
        }
        return out;
    }
}
