package org.sparsetuning.bench.model;

import java.util.Locale;

/**
 * One whole-model measurement: ViT-B/16 (or a narrower preset) with a method, inference or one training step,
 * at a batch size. The id is shared with the PyTorch peer so the two rows meet in the report.
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
}
