package org.sparsetuning.app.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Runs a model on images and draws, for each, which tokens every sparsifying layer kept ({@link TokenPicture}),
 * with the prediction as caption.
 */
public final class Visualizer {
    private Visualizer() {
    }

    /** What was drawn for one image. */
    public record Drawn(Path file, int predicted, double probability, Map<Integer, int[]> kept) {
    }

    /**
     * @param images model inputs [B, C, H, W] ([B, C, T, H, W] for a clip model: each clip is drawn as a strip of
     *     frames, {@link TubeletPicture}), normalised as {@code mean}/{@code std} say (one value per channel)
     * @param names one name per image, for the file ({@code NAME.png}) and caption
     * @param classNames the head's classes (may be shorter than the head: then classes are shown by number)
     */
    @SuppressWarnings("try")
    public static List<Drawn> draw(VisionTransformer model, Tensor images, double[] mean, double[] std, List<String> names,
            List<String> classNames, Path outDir) throws IOException {
        VitConfig cfg = model.cfg;
        int b = images.size(0);
        if (names.size() != b) {
            throw new IllegalArgumentException(b + " images but " + names.size() + " names");
        }
        if (mean.length != cfg.inChans() || std.length != cfg.inChans()) {
            throw new IllegalArgumentException("need one mean and one std per input channel (" + cfg.inChans() + "), got "
                    + mean.length + " and " + std.length);
        }
        if (cfg.tsLayers().isEmpty() || cfg.keepRate() >= 1) {
            throw new IllegalArgumentException("the model sparsifies no tokens (method " + cfg.method() + ", keep_rate "
                    + cfg.keepRate() + ", ts_layers " + cfg.tsLayers() + "): there is nothing to visualise");
        }
        List<Drawn> out = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (TensorScope scope = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
            Variable logits = model.forward(images);
            float[] probs = logits.data().softmax().contiguous().toFloatArray();
            Map<Integer, int[][]> kept = model.lastTokens().keptByLayer();
            int classes = cfg.numClasses();
            int c = cfg.inChans();
            int s = cfg.imgSize();
            int frames = Math.max(1, cfg.numFrames());
            int per = c * frames * s * s;
            float[] all = images.contiguous().toFloatArray();
            for (int i = 0; i < b; i++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    best = probs[i * classes + k] > probs[i * classes + best] ? k : best;
                }
                float[] view = new float[per];
                int chPlane = frames * s * s;
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < chPlane; p++) {
                        view[ch * chPlane + p] = (float) (all[i * per + ch * chPlane + p] * std[ch] + mean[ch]);
                    }
                }
                Map<Integer, int[]> mine = new LinkedHashMap<>();
                for (Map.Entry<Integer, int[][]> e : kept.entrySet()) {
                    mine.put(e.getKey(), e.getValue()[i].clone());
                }
                String label = best < classNames.size() ? classNames.get(best) : "class " + best;
                String caption = String.format(Locale.ROOT, "%s: predicted %s (p = %.2f)", names.get(i), label,
                        probs[i * classes + best]);
                BufferedImage picture = cfg.isClip()
                        ? TubeletPicture.draw(view, c, cfg.numFrames(), cfg.tubeletSize(), s, cfg.gridSize(), mine, caption)
                        : TokenPicture.draw(view, c, s, cfg.gridSize(), mine, caption);
                Path file = outDir.resolve(safeName(names.get(i)) + ".png");
                Png.write(picture, file);
                out.add(new Drawn(file, best, probs[i * classes + best], mine));
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** A file name from an image name: path separators and odd characters become '_'. */
    static String safeName(String name) {
        String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() ? "image" : base;
    }
}
