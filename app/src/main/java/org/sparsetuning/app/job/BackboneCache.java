package org.sparsetuning.app.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where pre-trained backbones are kept between runs: {@code $XDG_CACHE_HOME/sparse-tune} (or
 * {@code ~/.cache/sparse-tune}), one folder per recipe, named by a hash of everything that decides the weights
 * (model configuration, training options, seed, data), so a changed recipe never reuses a stale backbone.
 */
public final class BackboneCache {
    private BackboneCache() {
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
