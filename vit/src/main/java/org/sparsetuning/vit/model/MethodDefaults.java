package org.sparsetuning.vit.model;

import java.util.List;

/**
 * The one table of per-method defaults: what a configuration gets for a field it does not set, whichever way it
 * is made (a JSON config, a preset with {@code --method}, {@code compare}, the main job). tools/torchref's
 * {@code config.py} has the same table, checked through {@code golden/torchref_defaults.json}.
 *
 * <table>
 *   <caption>Defaults by method</caption>
 *   <tr><th>method</th><th>adapter_dim</th><th>adapter_scale</th><th>Token Sparsification</th><th>source</th></tr>
 *   <tr><td>sparse-tuning</td><td>32</td><td>1</td><td>ρ 0.7 at [4, 7, 10]</td><td>Sparse-Tuning (SPEC A.7)</td></tr>
 *   <tr><td>token-sparsification</td><td>-</td><td>-</td><td>ρ 0.7 at [4, 7, 10]</td><td>SPEC A.2</td></tr>
 *   <tr><td>adaptformer</td><td>64</td><td>0.1</td><td>none</td><td>AdaptFormer's bottleneck and scale</td></tr>
 *   <tr><td>adapter</td><td>64</td><td>-</td><td>none</td><td>the Adapter-tuning count of SPEC C.4</td></tr>
 *   <tr><td>every other baseline</td><td>-</td><td>-</td><td>none</td><td></td></tr>
 * </table>
 *
 * <p>A baseline is dense unless its configuration asks for sparsification: {@code ts_layers} given (ρ 0.7 unless
 * {@code keep_rate} is given too), or a {@code keep_rate} below 1 given alone (then at layers 4, 7, 10). The
 * options that belong to one method (LoRA r 4 and α 8, KAdaptation n 32 / rank 1 / scale 160 with the q delta after
 * the scaling, VPT 10 prompts, adapter placement {@code mlp}) are {@link MethodOptions#DEFAULTS}.
 */
public final class MethodDefaults {
    private MethodDefaults() {
    }

    public static final List<Integer> TS_LAYERS = List.of(4, 7, 10);
    public static final double KEEP_RATE = 0.7;

    /** Whether the method sparsifies by definition (Sparse-Tuning, TS alone); every other method is a baseline. */
    public static boolean sparsifies(String method) {
        return method.equals(VitConfig.SPARSE_TUNING) || method.equals(VitConfig.TOKEN_SPARSIFICATION);
    }

    public static int adapterDim(String method) {
        return method.equals(VitConfig.ADAPTFORMER) || method.equals(VitConfig.ADAPTER) ? 64 : 32;
    }

    public static double adapterScale(String method) {
        return method.equals(VitConfig.ADAPTFORMER) ? 0.1 : 1.0;
    }

    /** Where and how hard a configuration sparsifies. */
    public record TokenSparsification(double keepRate, List<Integer> layers) {
    }

    /**
     * keep_rate and ts_layers for a method, from what was given (null: not given).
     */
    public static TokenSparsification tokenSparsification(String method, Double keepRate, List<Integer> layers) {
        if (sparsifies(method)) {
            return new TokenSparsification(keepRate != null ? keepRate : KEEP_RATE, layers != null ? layers : TS_LAYERS);
        }
        List<Integer> l = layers != null ? layers : keepRate != null && keepRate < 1 ? TS_LAYERS : List.of();
        return new TokenSparsification(keepRate != null ? keepRate : l.isEmpty() ? 1.0 : KEEP_RATE, l);
    }
}
