package org.sparsetuning.vit.trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * One forward and backward pass in training mode (dropout off) as the SPEC G trace: logits, loss, kept
 * tokens per sparsifying layer, and the gradient of every trainable tensor.
 */
public final class Trace {
    private Trace() {
    }

    public static Map<String, Tensor> run(VisionTransformer model, Tensor images, Tensor labels) {
        checkInput(images, labels, model.cfg);
        model.train(true);
        Map<String, Variable> params = model.trainableNamed();
        params.values().forEach(Variable::zeroGrad);
        Variable logits = model.forward(images.to(DType.F32));
        Variable loss = F.crossEntropy(logits, labels);
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("logits", logits.data().to(DType.F32));
        out.put("loss", loss.data().to(DType.F32).reshape(1));
        model.lastTokens().keptByLayer().forEach((layer, rows) -> out.put("kept." + layer, ints(rows)));
        loss.backward();
        params.forEach((name, p) -> {
            Tensor g = p.grad() == null ? Tensor.zeros(p.data().shape()) : p.grad();
            out.put("grad." + name, g.to(DType.F32));
        });
        return out;
    }

    /**
     * SPEC G's input: images F32 [B, C, H, W], or [B, C, T, H, W] for a clip model (SPEC H; F64 is accepted,
     * computed in F32), and integer labels [B] (I64 in the file), each in [0, num_classes). The sizes are checked
     * against the configuration.
     */
    public static void checkInput(Tensor images, Tensor labels, VitConfig cfg) {
        int classes = cfg.numClasses();
        if (images.dtype() != DType.F32 && images.dtype() != DType.F64) {
            throw new IllegalArgumentException("input images: expected floating-point values, got " + images.dtype());
        }
        int[] want = cfg.inputShape(images.dim() == 0 ? 1 : images.size(0));
        if (!Arrays.equals(images.shape(), want)) {
            String layout = cfg.isClip() ? "[B, C, T, H, W] = [B, " + cfg.inChans() + ", " + cfg.numFrames() + ", "
                    + cfg.imgSize() + ", " + cfg.imgSize() + "] (num_frames " + cfg.numFrames() + ")"
                    : "[B, C, H, W] = [B, " + cfg.inChans() + ", " + cfg.imgSize() + ", " + cfg.imgSize() + "]";
            throw new IllegalArgumentException("input images: expected " + layout + ", got "
                    + Arrays.toString(images.shape()));
        }
        int b = images.size(0);
        if (labels.dtype() != DType.I32) {
            throw new IllegalArgumentException("input labels: expected integer class indices (I64), got " + labels.dtype());
        }
        if (labels.dim() != 1 || labels.size(0) != b) {
            throw new IllegalArgumentException("input labels: expected [" + b + "], got " + Arrays.toString(labels.shape()));
        }
        int[] y = labels.toIntArray();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("input labels: label " + y[i] + " of sample " + i + " is outside [0, "
                        + classes + ") (num_classes " + classes + ")");
            }
        }
    }

    private static Tensor ints(int[][] rows) {
        int k = rows[0].length;
        int[] flat = new int[rows.length * k];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * k, k);
        }
        return Tensor.ofInts(flat, rows.length, k);
    }
}
