package org.sparsetuning.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sparsetuning.app.job.MainJobPlan;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine.Option;

/** Which model to build: a config file or a preset, the method and its main options, the backbone to load. */
public final class ModelOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Model configuration (SPEC G JSON); overrides --model.")
    Path config;

    @Option(names = "--model", defaultValue = "vit-b", paramLabel = "PRESET",
            description = "Preset: vit-ti, vit-s, vit-b, vit-l (224 px, patch 16, RGB) or fmnist (the main job's ViT: "
                    + "28 px grey, patch 7, width 64, depth 12). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--method", paramLabel = "M", description = "sparse-tuning (default), full, linear-probe, lora, "
            + "adaptformer, kadaptation, adapter, vpt, bitfit, token-sparsification. Methods other than Sparse-Tuning "
            + "run the dense ViT unless --keep-rate is given.")
    String method;

    @Option(names = "--keep-rate", paramLabel = "RHO", description = "Token keep rate rho at the sparsifying layers.")
    Double keepRate;

    @Option(names = "--ts-layers", split = ",", paramLabel = "N", description = "1-based layers that sparsify (default 4,7,10).")
    List<Integer> tsLayers;

    @Option(names = "--adapter-dim", paramLabel = "D", description = "Adapter bottleneck d' (Sparse-Tuning, AdaptFormer, adapter).")
    Integer adapterDim;

    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank (alpha stays 2 x rank).")
    Integer loraRank;

    @Option(names = "--kadapt-n", paramLabel = "N", description = "KAdaptation's number of Kronecker terms (divides the width).")
    Integer kadaptN;

    @Option(names = "--frames", paramLabel = "T", description = "A clip model over T input frames (frames:DIR data; "
            + "SPEC H); 0 for images. Default: the configuration's.")
    Integer numFrames;

    @Option(names = "--tubelet", paramLabel = "t",
            description = "Frames per tubelet token of a clip model (divides T; default 2).")
    Integer tubeletSize;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Pre-trained backbone: timm names (safetensors) or "
            + "Google's ViT npz. Without it the backbone is randomly initialised.")
    Path backbone;

    /** The configuration for {@code classes} classes, with every given override applied. */
    public VitConfig config(int classes) throws IOException {
        VitConfig c = config != null ? VitConfig.load(config) : preset(model, method == null ? VitConfig.SPARSE_TUNING : method);
        String m = method != null ? method : c.method();
        c = c.withMethod(m);
        boolean sparsifies = m.equals(VitConfig.SPARSE_TUNING) || m.equals(VitConfig.TOKEN_SPARSIFICATION);
        if (config == null && !sparsifies && keepRate == null) {
            c = c.withTsLayers(List.of());
        }
        if (keepRate != null) {
            c = c.withKeepRate(keepRate);
        }
        if (tsLayers != null) {
            c = c.withTsLayers(tsLayers);
        }
        if (adapterDim != null) {
            c = c.withAdapterDim(adapterDim);
        }
        MethodOptions o = c.options();
        if (loraRank != null) {
            o = o.withLora(loraRank, 2.0 * loraRank);
        }
        if (kadaptN != null) {
            o = o.withKadapt(kadaptN, o.kadaptRank(), o.kadaptScale(), o.kadaptDeltaAfterScale());
        }
        c = c.withOptions(o);
        if (numFrames != null || tubeletSize != null) {
            c = c.withClip(numFrames != null ? numFrames : c.numFrames(), tubeletSize != null ? tubeletSize : c.tubeletSize());
        }
        return withClasses(c, classes);
    }

    public Path backbone() {
        return backbone;
    }

    static VitConfig preset(String name, String method) {
        if (name.equals("fmnist")) {
            return MainJobPlan.standard().methods().getOrDefault(method,
                    MainJobPlan.standard().methods().get(VitConfig.SPARSE_TUNING).withMethod(method));
        }
        try {
            return VitConfig.preset(name, 1000);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model must be one of vit-ti, vit-s, vit-b, vit-l, fmnist; got '" + name + "'", e);
        }
    }

    static VitConfig withClasses(VitConfig c, int classes) {
        return new VitConfig(c.imgSize(), c.patchSize(), c.inChans(), c.embedDim(), c.depth(), c.numHeads(), c.mlpRatio(),
                classes, c.adapterDim(), c.adapterScale(), c.keepRate(), c.tsLayers(), c.method(), c.fusion(), c.denseMode(),
                c.denseInputs(), c.headMode(), c.options(), c.numFrames(), c.tubeletSize());
    }
}
