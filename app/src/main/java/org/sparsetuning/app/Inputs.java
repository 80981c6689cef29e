package org.sparsetuning.app;

import java.io.IOException;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.transforms.Interpolation;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.data.transforms.Pipelines;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.vit.model.VitConfig;

/**
 * How images become model inputs: resized (bicubic) to the model's size, grey images repeated to three channels
 * for an RGB model, normalised. Training may add timm's random resized crop and flip ({@code --augment crop-flip}).
 */
public final class Inputs {
    private Inputs() {
    }

    public static TransformPipeline evaluation(VitConfig cfg, int dataChannels, Normalize norm) {
        return Pipelines.evaluation(cfg.imgSize(), 1.0, toRgb(cfg, dataChannels), Interpolation.BICUBIC, norm);
    }

    static TransformPipeline training(VitConfig cfg, int dataChannels, Normalize norm, String augment) {
        return switch (augment) {
            case "none" -> evaluation(cfg, dataChannels, norm);
            case "crop-flip" -> Pipelines.training(cfg.imgSize(), toRgb(cfg, dataChannels), true, Interpolation.BICUBIC, norm);
            default -> throw new IllegalArgumentException("--augment must be none or crop-flip, got '" + augment + "'");
        };
    }

    /** Channels of the data, from its first example. */
    public static int channels(Dataset ds) throws IOException {
        if (ds.size() == 0) {
            throw new IllegalArgumentException(ds.source() + ": no examples");
        }
        return ds.get(0).channels();
    }

    static boolean toRgb(VitConfig cfg, int dataChannels) {
        if (dataChannels == cfg.inChans()) {
            return false;
        }
        if (dataChannels == 1 && cfg.inChans() == 3) {
            return true;
        }
        throw new IllegalArgumentException("the model takes " + cfg.inChans() + "-channel images but the data has "
                + dataChannels + " channels");
    }
}
