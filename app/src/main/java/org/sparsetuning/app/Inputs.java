package org.sparsetuning.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.transforms.GrayToRgb;
import org.sparsetuning.data.transforms.Interpolation;
import org.sparsetuning.data.transforms.ModelInput;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.data.transforms.Pipelines;
import org.sparsetuning.data.transforms.Resize;
import org.sparsetuning.data.transforms.SpatialCrop;
import org.sparsetuning.data.transforms.Transform;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.data.readers.ImageDecoder;
import org.sparsetuning.data.video.FrameFolderDataset;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VitConfig;

/**
 * How images become model inputs: resized (bicubic) to the model's size, grey images repeated to three channels
 * for an RGB model, normalised. Training may add timm's random resized crop and flip ({@code --augment crop-flip}).
 * For a clip model (num_frames T > 0) the same steps apply to every frame of a clip, whose T frames are one
 * random frame per segment in training and the segment centres in evaluation ({@link FrameSampling}).
 */
public final class Inputs {
    private Inputs() {
    }

    public static TransformPipeline evaluation(VitConfig cfg, int dataChannels, Normalize norm) {
        return Pipelines.evaluation(cfg.imgSize(), 1.0, toRgb(cfg, dataChannels), Interpolation.BICUBIC, norm)
                .withFrames(cfg.isClip() ? FrameSampling.centres(cfg.numFrames()) : null);
    }

    static TransformPipeline training(VitConfig cfg, int dataChannels, Normalize norm, String augment) {
        TransformPipeline p = switch (augment) {
            case "none" -> evaluation(cfg, dataChannels, norm);
            case "crop-flip" -> Pipelines.training(cfg.imgSize(), toRgb(cfg, dataChannels), true, Interpolation.BICUBIC, norm);
            default -> throw new IllegalArgumentException("--augment must be none or crop-flip, got '" + augment + "'");
        };
        return p.withFrames(cfg.isClip() ? FrameSampling.training(cfg.numFrames()) : null);
    }

    /**
     * The test views of multi-view testing, temporal clip by clip then spatial crop by crop: the shorter side
     * resized to the model's size and crop j of {@code views.crops()} along the longer side (one crop: the plain
     * evaluation resize), frames from temporal view k of {@code views.clips()}.
     */
    static List<TransformPipeline> views(VitConfig cfg, int dataChannels, Normalize norm, Views views) {
        if (!cfg.isClip()) {
            throw new IllegalArgumentException("--views " + views + ": multi-view testing is for clip models (num_frames > 0)");
        }
        List<TransformPipeline> out = new ArrayList<>();
        for (int k = 0; k < views.clips(); k++) {
            for (int j = 0; j < views.crops(); j++) {
                List<Transform> steps = new ArrayList<>();
                if (toRgb(cfg, dataChannels)) {
                    steps.add(new GrayToRgb());
                }
                if (views.crops() == 1) {
                    steps.add(Resize.to(cfg.imgSize(), cfg.imgSize(), Interpolation.BICUBIC));
                } else {
                    steps.add(Resize.shorterSide(cfg.imgSize(), Interpolation.BICUBIC));
                    steps.add(new SpatialCrop(cfg.imgSize(), j, views.crops()));
                }
                steps.add(norm);
                out.add(new TransformPipeline(steps).withFrames(FrameSampling.view(cfg.numFrames(), k, views.clips())));
            }
        }
        return out;
    }

    /** One example as the model takes it ([C, H, W] or [C, T, H, W] values), with the evaluation pipeline. */
    static ModelInput evaluationInput(VitConfig cfg, Sample s, Normalize norm) {
        return evaluation(cfg, s.channels(), norm).input(s, () -> new Generator(0));
    }

    /**
     * A file given on the command line, decoded for the model: an image file for an image model, a video folder
     * (numbered frames) for a clip model, whose evaluation frames are decoded.
     */
    static Sample fromPath(Path p, VitConfig cfg) throws IOException {
        if (Files.isDirectory(p)) {
            if (!cfg.isClip()) {
                throw new IllegalArgumentException(p + ": a folder, but the model takes images (give image files)");
            }
            return FrameFolderDataset.ofFolders(List.of(p)).get(0, FrameSampling.centres(cfg.numFrames()), null);
        }
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p + (cfg.isClip() ? ": video folder not found" : ": image file not found"));
        }
        if (cfg.isClip()) {
            throw new IllegalArgumentException(p + ": the model takes clips of " + cfg.numFrames() + " frames; give video "
                    + "folders (one folder of numbered frames per video), not image files");
        }
        return ImageDecoder.decode(p, 0);
    }

    /** Model inputs of one shape as a batch tensor [B, C, H, W] or [B, C, T, H, W]. */
    static Tensor batch(List<ModelInput> inputs, VitConfig cfg) {
        int per = inputs.get(0).pixels().length;
        float[] px = new float[inputs.size() * per];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i).pixels(), 0, px, i * per, per);
        }
        return Tensor.of(px, cfg.inputShape(inputs.size()));
    }

    /** Example {@code index} decoded for the model: a clip's evaluation frames for a clip model. */
    static Sample example(Dataset ds, int index, VitConfig cfg) throws IOException {
        return ds.get(index, cfg.isClip() ? FrameSampling.centres(cfg.numFrames()) : null, null);
    }

    /** Channels of the data, from its first example, which must be a clip for a clip model and an image otherwise. */
    public static int channels(Dataset ds, VitConfig cfg) throws IOException {
        if (ds.size() == 0) {
            throw new IllegalArgumentException(ds.source() + ": no examples");
        }
        Sample first = ds.get(0);
        if (first.isClip() && !cfg.isClip()) {
            throw new IllegalArgumentException(ds.source() + " holds videos but the model takes images: give a clip model "
                    + "(--frames T, or num_frames in --config)");
        }
        if (!first.isClip() && cfg.isClip()) {
            throw new IllegalArgumentException(ds.source() + " holds images but the model takes clips of " + cfg.numFrames()
                    + " frames: give video data (frames:DIR)");
        }
        return first.channels();
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
