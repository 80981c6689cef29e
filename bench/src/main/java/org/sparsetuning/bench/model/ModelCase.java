package org.sparsetuning.bench.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.sparsetuning.bench.fair.PeerProcess;
import org.sparsetuning.vit.model.VitConfig;

/**
 * One whole-model measurement: a ViT preset with a method, inference or one training step, at a batch size.
 * The same description goes to the PyTorch peer ({@link #peerJson}), with the clip shape (frames, tubelet)
 * of the configuration it runs on.
 */
record ModelCase(String kind, String method, double keepRate, int adapterDim, int batch) {
    static final String INFERENCE = "inference";
    static final String TRAIN = "train";

    String id() {
        return String.format(Locale.ROOT, "%s-%s-r%.2f-d%d-b%d", kind, method, keepRate, adapterDim, batch);
    }

    String label() {
        String m = switch (method) {
            case "sparse-tuning" -> keepRate < 1 ? String.format(Locale.ROOT, "Sparse-Tuning ρ=%.1f d'=%d", keepRate, adapterDim)
                    : String.format(Locale.ROOT, "Dense Adapters ρ=1 d'=%d", adapterDim);
            case "adaptformer" -> "AdaptFormer";
            case "full" -> "full fine-tuning";
            default -> method + String.format(Locale.ROOT, " ρ=%.1f", keepRate);
        };
        return String.format(Locale.ROOT, "%-9s %-28s B=%d", kind, m, batch);
    }

    /**
     * Floating-point operations of one call, from the forward pass's fvcore count per image (which counts a
     * multiply-add as one): x2 for a multiply and an add, x batch, and for a training step the backward pass:
     * x2 with a frozen backbone (the input gradients cost about a forward pass; the small trainable modules'
     * weight gradients are not counted), x3 for full fine-tuning (input and weight gradients).
     */
    double gflopsPerCall(double fvcoreGflopsPerImage) {
        double passes = kind.equals(INFERENCE) ? 1 : method.equals(VitConfig.FULL) ? 3 : 2;
        return 2 * fvcoreGflopsPerImage * batch * passes;
    }

    ObjectNode peerJson(VitConfig cfg) {
        return PeerProcess.object().put("id", id()).put("kind", kind).put("method", method).put("keep_rate", keepRate)
                .put("adapter_dim", adapterDim).put("batch", batch).put("img_size", cfg.imgSize()).put("embed_dim", cfg.embedDim())
                .put("depth", cfg.depth()).put("num_heads", cfg.numHeads())
                // 0 frames: an image model; the peer builds a Conv3d tubelet embedding otherwise (SPEC H)
                .put("num_frames", cfg.numFrames()).put("tubelet_size", cfg.tubeletSize());
    }
}
