package org.sparsetuning.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.sparsetuning.app.LoadedModel;
import org.sparsetuning.train.Checkpoint;

/**
 * What executors need to rebuild a fine-tuned model: the checkpoint's small files (its trainable tensors, config
 * and state, not the AdamW moments), broadcast from the driver, and the path of the backbone it names, which every
 * executor reads itself. Each JVM builds the model once ({@link #model()}) and shares it between its tasks.
 */
final class CheckpointBundle implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> FILES = List.of(Checkpoint.STATE, Checkpoint.CONFIG, Checkpoint.WEIGHTS);
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final String checkpoint;
    private final Map<String, byte[]> files;
    private final String backbone;

    private CheckpointBundle(String checkpoint, Map<String, byte[]> files, String backbone) {
        this.checkpoint = checkpoint;
        this.files = files;
        this.backbone = backbone;
    }

    /**
     * Reads checkpoint folder {@code dir} through Hadoop and checks it on the driver (config, state, class names).
     *
     * @param backboneOverride the backbone to use instead of the one the run recorded, or null
     */
    static CheckpointBundle read(String dir, String backboneOverride, Configuration conf) throws IOException {
        if (!HadoopFiles.isDirectory(dir, conf)) {
            throw new java.nio.file.NoSuchFileException(dir + ": checkpoint folder not found (--checkpoint)");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : FILES) {
            files.put(f, HadoopFiles.read(dir + "/" + f, conf));
        }
        CheckpointBundle b = new CheckpointBundle(dir, files, "");
        Path local = b.unpack();
        String recorded;
        try {
            if (Checkpoint.config(local).isClip()) {
                // Executors read images through binaryFiles; clips are folders of frames, which that cannot read.
                throw new IllegalArgumentException(dir + ": a clip model (num_frames " + Checkpoint.config(local).numFrames()
                        + "); spark-predict classifies images only: use ./sparse-tune eval or predict for clips");
            }
            Checkpoint.classNames(local);
            recorded = Checkpoint.state(local).path("run").path("backbone").asText("");
        } catch (IOException | RuntimeException e) {
            // The checks name the local copy; the user knows the checkpoint by the path they gave.
            String msg = String.valueOf(e.getMessage()).replace(local.toString(), dir);
            if (e instanceof IOException) {
                throw new IOException(msg, e);
            }
            throw new IllegalArgumentException(msg, e);
        }
        return new CheckpointBundle(dir, files, backboneOverride != null ? backboneOverride : recorded);
    }

    List<String> classNames() throws IOException {
        return Checkpoint.classNames(unpack());
    }

    String backbone() {
        return backbone;
    }

    String checkpoint() {
        return checkpoint;
    }

    /** The model, built on first use in this JVM from the broadcast files and the backbone (copied here if remote). */
    LoadedModel model(Configuration conf) throws IOException {
        try {
            return MODELS.computeIfAbsent(id, k -> {
                try {
                    Path bb = backbone.isEmpty() ? null : HadoopFiles.local(backbone, conf);
                    return LoadedModel.open(unpack(), bb);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The files in a fresh local folder, which is what {@link Checkpoint} reads. */
    private Path unpack() throws IOException {
        Path dir = Files.createTempDirectory("sparse-tune-checkpoint");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            dir.resolve(e.getKey()).toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        return dir;
    }
}
