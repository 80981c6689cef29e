package org.sparsetuning.app.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Where pre-trained backbones are kept between runs: {@code $XDG_CACHE_HOME/sparse-tune} (or
 * {@code ~/.cache/sparse-tune}), one folder per recipe, named by a hash of everything that decides the weights
 * (model configuration, training options, seed, data), so a changed recipe never reuses a stale backbone. A folder
 * holds {@code backbone.safetensors} (the backbone's weights, the recipe in its metadata) and {@code upstream.json}
 * (the configuration, the pre-training options and how the backbone scored).
 */
public final class BackboneCache {
    static final String WEIGHTS = "backbone.safetensors";
    static final String INFO = "upstream.json";

    private BackboneCache() {
    }

    /** The backbone stored in a recipe's folder, or null when there is none (or its store never completed). */
    public static Path find(Path folder) {
        Path file = folder.resolve(WEIGHTS);
        return Files.isRegularFile(file) && Files.isRegularFile(folder.resolve(INFO)) ? file : null;
    }

    /**
     * Stores a pre-trained backbone in its recipe's folder and returns the weights' file. Both files are written
     * under temporary names and moved into place, the weights first: a store cut short leaves nothing that
     * {@link #find} accepts, and never a truncated file under the final name.
     */
    public static Path store(Path folder, VisionTransformer model, String recipe, VitConfig config, ObjectNode pretrain,
                             double upstreamTop1, double seconds) throws IOException {
        Files.createDirectories(folder);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.backboneParameters().forEach((k, v) -> tensors.put(k, v.data()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sparse-tune backbone");
        meta.put("recipe", recipe);
        Path weights = folder.resolve(WEIGHTS);
        Path weightsPart = folder.resolve(WEIGHTS + ".part");
        new SafetensorsWriter().metadata(meta).write(weightsPart, tensors);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("config", ConfigJson.of(config));
        o.set("pretrain", pretrain);
        o.put("upstream_test_top1", upstreamTop1);
        o.put("seconds", seconds);
        Path infoPart = folder.resolve(INFO + ".part");
        Files.writeString(infoPart, o.toPrettyString());
        Files.move(weightsPart, weights, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(infoPart, folder.resolve(INFO), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return weights;
    }

    public static Path root(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("sparse-tune");
    }

    /** The folder of one recipe: {@code NAME-HASH}, the hash over the recipe's description. */
    public static Path folder(Path root, String name, String recipe) {
        return root.resolve(name + "-" + sha256(recipe).substring(0, 16));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
