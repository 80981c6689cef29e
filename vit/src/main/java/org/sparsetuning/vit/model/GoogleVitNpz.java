package org.sparsetuning.vit.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.nn.io.CheckpointFormatException;
import org.sparsetuning.nn.io.NpzReader;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/**
 * Google's original ViT checkpoint layout ({@code ViT-B_16.npz}, SPEC E.1) converted to timm names and layouts
 * (SPEC E.3), so it loads through the same path as a timm safetensors file. The Flax kernels are [in, out] (the
 * patch kernel [kh, kw, in_c, out_c], the attention kernels split per head); timm's weights are [out, in]:
 * <pre>
 *   patch_embed.proj.weight[o, c, y, x] = embedding/kernel[y, x, c, o]
 *   attn.qkv.weight  = rows of query/kernel.reshape(D, D)ᵀ, key/…ᵀ, value/…ᵀ   (column h·head_dim + d of the reshape)
 *   attn.qkv.bias    = query/bias, key/bias, value/bias, each flattened to h·head_dim + d
 *   attn.proj.weight[o, h·head_dim + d] = out/kernel[h, d, o]
 *   mlp.fc1 / fc2 .weight = Dense_0 / Dense_1 kernelᵀ;  norm1 / norm2 / norm = LayerNorm_0 / LayerNorm_2 / encoder_norm
 * </pre>
 * Every key the model needs must be present with the shape the configuration implies (the per-head shapes also
 * check num_heads, which a timm file cannot); the position embedding may have another grid (it is resized later).
 * The {@code opt/target/} prefix some releases carry is accepted. {@code head} and {@code pre_logits} are mapped
 * to timm's names too, which a backbone load then ignores. Any other key is an error.
 */
public final class GoogleVitNpz {
    private static final String PREFIX = "opt/target/";

    private GoogleVitNpz() {
    }

    /** Whether a backbone file is read as Google's npz rather than safetensors: by its extension. */
    public static boolean isNpz(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npz");
    }

    /** Reads the npz and returns its tensors under timm names. */
    public static Map<String, Tensor> read(Path file, VitConfig cfg) throws IOException {
        return toTimm(NpzReader.read(file), cfg, file.toString());
    }

    /** Converts npz arrays (keys as np.load gives them); {@code source} names the file in errors. */
    public static Map<String, Tensor> toTimm(Map<String, Tensor> npz, VitConfig cfg, String source)
            throws CheckpointFormatException {
        return new Conversion(npz, cfg, source).run();
    }

    /** One conversion: takes each expected key once, so whatever is left over is unexpected. */
    private static final class Conversion {
        private final Map<String, Tensor> left;
        private final VitConfig cfg;
        private final String source;
        private final String prefix;
        private final int dim;
        private final int heads;
        private final int headDim;
        private final Map<String, Tensor> out = new LinkedHashMap<>();

        Conversion(Map<String, Tensor> npz, VitConfig cfg, String source) {
            this.left = new LinkedHashMap<>(npz);
            this.cfg = cfg;
            this.source = source;
            this.prefix = npz.containsKey(PREFIX + "embedding/kernel") ? PREFIX : "";
            this.dim = cfg.embedDim();
            this.heads = cfg.numHeads();
            this.headDim = dim / heads;
        }

        Map<String, Tensor> run() throws CheckpointFormatException {
            int p = cfg.patchSize();
            out.put("patch_embed.proj.weight", take("embedding/kernel", p, p, cfg.inChans(), dim).permute(3, 2, 0, 1).contiguous());
            out.put("patch_embed.proj.bias", take("embedding/bias", dim));
            out.put("cls_token", take("cls", 1, 1, dim));
            out.put("pos_embed", takePosEmbed());
            out.put("norm.weight", take("Transformer/encoder_norm/scale", dim));
            out.put("norm.bias", take("Transformer/encoder_norm/bias", dim));
            for (int i = 0; i < cfg.depth(); i++) {
                block(i);
            }
            optionalHead("pre_logits", "pre_logits.fc");
            optionalHead("head", "head");
            if (!left.isEmpty()) {
                throw new CheckpointFormatException(source + ": keys " + left.keySet() + " are not part of Google's ViT "
                        + "layout for this model (SPEC E.1; depth " + cfg.depth() + ")");
            }
            return out;
        }

        private void block(int i) throws CheckpointFormatException {
            String b = "Transformer/encoderblock_" + i + "/";
            String t = "blocks." + i + ".";
            String mha = b + "MultiHeadDotProductAttention_1/";
            int hidden = cfg.mlpHidden();
            out.put(t + "norm1.weight", take(b + "LayerNorm_0/scale", dim));
            out.put(t + "norm1.bias", take(b + "LayerNorm_0/bias", dim));
            Tensor[] w = new Tensor[3];
            Tensor[] bias = new Tensor[3];
            String[] parts = {"query", "key", "value"};
            for (int k = 0; k < 3; k++) {
                w[k] = take(mha + parts[k] + "/kernel", dim, heads, headDim).reshape(dim, dim).mT();
                bias[k] = take(mha + parts[k] + "/bias", heads, headDim).reshape(dim);
            }
            out.put(t + "attn.qkv.weight", Ops.concat(w, 0));
            out.put(t + "attn.qkv.bias", Ops.concat(bias, 0));
            out.put(t + "attn.proj.weight", take(mha + "out/kernel", heads, headDim, dim).reshape(dim, dim).mT().contiguous());
            out.put(t + "attn.proj.bias", take(mha + "out/bias", dim));
            out.put(t + "norm2.weight", take(b + "LayerNorm_2/scale", dim));
            out.put(t + "norm2.bias", take(b + "LayerNorm_2/bias", dim));
            out.put(t + "mlp.fc1.weight", take(b + "MlpBlock_3/Dense_0/kernel", dim, hidden).mT().contiguous());
            out.put(t + "mlp.fc1.bias", take(b + "MlpBlock_3/Dense_0/bias", hidden));
            out.put(t + "mlp.fc2.weight", take(b + "MlpBlock_3/Dense_1/kernel", hidden, dim).mT().contiguous());
            out.put(t + "mlp.fc2.bias", take(b + "MlpBlock_3/Dense_1/bias", dim));
        }

        /** [1, T, D] with any T: a grid other than the model's is resampled by the loader. */
        private Tensor takePosEmbed() throws CheckpointFormatException {
            String key = "Transformer/posembed_input/pos_embedding";
            Tensor t = take(key);
            int[] s = t.shape();
            if (s.length != 3 || s[0] != 1 || s[2] != dim) {
                throw shapeError(key, s, "[1, tokens, " + dim + "]");
            }
            return t;
        }

        /** A dense layer the backbone does not use ([D_in, K] kernel, [K] bias), present in some releases. */
        private void optionalHead(String npzName, String timmName) throws CheckpointFormatException {
            String kernel = npzName + "/kernel";
            String biasKey = npzName + "/bias";
            if (!left.containsKey(prefix + kernel) && !left.containsKey(prefix + biasKey)) {
                return;
            }
            Tensor k = take(kernel);
            if (k.dim() != 2 || k.size(0) != dim) {
                throw shapeError(kernel, k.shape(), "[" + dim + ", classes]");
            }
            out.put(timmName + ".weight", k.mT().contiguous());
            out.put(timmName + ".bias", take(biasKey, k.size(1)));
        }

        private Tensor take(String key, int... shape) throws CheckpointFormatException {
            Tensor t = take(key);
            if (!Arrays.equals(t.shape(), shape)) {
                throw shapeError(key, t.shape(), Arrays.toString(shape));
            }
            return t;
        }

        private Tensor take(String key) throws CheckpointFormatException {
            Tensor t = left.remove(prefix + key);
            if (t == null) {
                throw new CheckpointFormatException(source + ": key '" + prefix + key + "' is missing (Google ViT npz layout, SPEC E.1)");
            }
            if (t.dtype() != DType.F32 && t.dtype() != DType.F64) {
                throw new CheckpointFormatException(source + ": key '" + prefix + key + "' holds " + t.dtype()
                        + " values, expected floating point");
            }
            return t;
        }

        private CheckpointFormatException shapeError(String key, int[] have, String want) {
            return new CheckpointFormatException(source + ": key '" + prefix + key + "' has shape " + Arrays.toString(have)
                    + " but the model (embed_dim " + dim + ", num_heads " + heads + ", mlp hidden " + cfg.mlpHidden()
                    + ", patch " + cfg.patchSize() + ", in_chans " + cfg.inChans() + ") expects " + want);
        }
    }
}
