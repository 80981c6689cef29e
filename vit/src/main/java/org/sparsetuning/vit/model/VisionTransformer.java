package org.sparsetuning.vit.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import java.util.regex.Pattern;
import org.sparsetuning.nn.BatchNorm1d;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.nn.ModuleList;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * ViT with timm parameter names (SPEC E.2), Token Sparsification at the configured layers (SPEC A.2), and one
 * fine-tuning method attached through {@link MethodHooks}: Sparse-Tuning's Dense Adapters as much as any baseline.
 * The method comes from a {@link MethodProvider} (by default the class path's {@link MethodRegistry}), adds its
 * tensors to the tree and declares what trains. {@link #freezeBackbone()} then freezes everything else: trainable
 * are exactly the head, the method's own tensors and the backbone tensors the method trains.
 */
public final class VisionTransformer extends Module {
    public final VitConfig cfg;
    public final Variable clsToken;
    public final Variable posEmbed;
    public final PatchEmbed patchEmbed;
    public final ModuleList<Block> blocks;
    public final LayerNorm norm;
    /** BatchNorm1d(affine=False, eps 1e-6) before the head with {@code head_mode: bn-linear}, else null. */
    public final BatchNorm1d headNorm;
    public final Linear head;
    public final MethodHooks method;
    private final Set<String> trainableNames;
    private TokenTracker lastTokens;

    /** The backbone's own tensors (timm names); everything else belongs to the method or is the head. */
    private static final Pattern BACKBONE_NAME = Pattern.compile("cls_token|pos_embed|patch_embed\\.proj\\.(weight|bias)"
            + "|norm\\.(weight|bias)|blocks\\.\\d+\\.(norm1|norm2|attn\\.qkv|attn\\.proj|mlp\\.fc1|mlp\\.fc2)\\.(weight|bias)");

    /** The model with the method {@code cfg.method()} names, from the class path's providers. */
    public VisionTransformer(VitConfig cfg, Generator g) {
        this(cfg, g, MethodRegistry.INSTANCE);
    }

    /** The model with its method attached by {@code methods} (a test may pass its own). */
    public VisionTransformer(VitConfig cfg, Generator g, MethodProvider methods) {
        requireMemory(cfg);
        this.cfg = cfg;
        int dim = cfg.embedDim();
        this.clsToken = parameter("cls_token", Tensor.of(g.truncatedNormal(dim, 0, 1e-6, -2, 2), 1, 1, dim));
        this.posEmbed = parameter("pos_embed", Tensor.of(g.truncatedNormal((cfg.numPatches() + 1) * dim, 0, 0.02, -2, 2),
                1, cfg.numPatches() + 1, dim));
        this.patchEmbed = child("patch_embed", new PatchEmbed(cfg.patchSize(), cfg.isClip() ? cfg.tubeletSize() : 0,
                cfg.inChans(), dim, g));
        this.blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < cfg.depth(); i++) {
            blocks.add(new Block(i, cfg, g));
        }
        this.norm = child("norm", new LayerNorm(dim, Block.LN_EPS));
        this.headNorm = cfg.headMode().equals("bn-linear") ? child("head_norm", new BatchNorm1d(dim, Block.LN_EPS)) : null;
        this.head = child("head", new Linear(dim, cfg.numClasses(), g));
        if (headNorm != null) {
            // The official code's MAE-style head: trunc_normal(std 0.01) weight, zero bias.
            head.weight.data().copyFrom(Init.truncNormal(g, 0.01, cfg.numClasses(), dim));
            head.bias.data().fill(0);
        }
        this.method = methods.attach(this, g);
        for (Block blk : blocks) {
            blk.setHooks(method);
        }
        this.trainableNames = trainableNames(method);
    }

    /**
     * Refuses, before allocating, a configuration whose backbone alone (F32) is larger than this JVM's heap may
     * grow: one line naming the sizes, rather than an OutOfMemoryError part-way through the initialisation.
     */
    private static void requireMemory(VitConfig cfg) {
        long params = cfg.backboneParameters();
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && params > max / Float.BYTES) {
            throw new ModelTooLargeException(String.format(Locale.ROOT,
                    "the model (embed_dim %d, depth %d, mlp_ratio %s, %d tokens) has %,d backbone parameters, %.1f GiB "
                            + "as F32, more than the %.1f GiB this JVM may use (raise -Xmx, e.g. SPARSETUNE_JAVA_OPTS=-Xmx64g)",
                    cfg.embedDim(), cfg.depth(), cfg.mlpRatio(), cfg.numPatches() + 1, params,
                    params * (double) Float.BYTES / (1L << 30), max / (double) (1L << 30)));
        }
    }

    /**
     * The head, the method's own tensors and the backbone tensors it trains. Any other tensor outside the backbone
     * is an error: a method that registers a tensor must say that it trains it.
     */
    private Set<String> trainableNames(MethodHooks m) {
        Set<Variable> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(m.ownTensors());
        Set<String> out = new LinkedHashSet<>();
        namedParameters().forEach((k, v) -> {
            boolean isHead = v == this.head.weight || v == this.head.bias;
            if (isHead || own.remove(v) || (isBackboneName(k) && m.trainsBackbone(k))) {
                out.add(k);
            } else if (!isBackboneName(k)) {
                throw new IllegalStateException("method " + cfg.method() + " registered tensor '" + k
                        + "' but does not list it among the tensors it trains");
            }
        });
        if (!own.isEmpty()) {
            throw new IllegalStateException("method " + cfg.method() + " lists " + own.size()
                    + " trainable tensor(s) that are not part of the model tree");
        }
        return Collections.unmodifiableSet(out);
    }

    /** Registers a method's module at the top of the tree (e.g. KAdaptation's shared {@code kadaptation}). */
    public <M extends Module> M extend(String name, M module) {
        return child(name, module);
    }

    /** Whether a tensor name is one of the backbone's own (timm) tensors, which the backbone file carries. */
    public static boolean isBackboneName(String name) {
        return BACKBONE_NAME.matcher(name).matches();
    }

    /** Whether this model trains the tensor of that name: the head, the method's tensors, and what the method unfreezes. */
    public boolean isTrainableName(String name) {
        return trainableNames.contains(name);
    }

    /**
     * Freezes everything the method does not train (and marks those storages constant); the method's tensors,
     * the head and the backbone tensors the method trains (BitFit's biases, full fine-tuning) require gradients.
     */
    public VisionTransformer freezeBackbone() {
        namedParameters().forEach((k, v) -> {
            boolean train = isTrainableName(k);
            v.requiresGrad(train);
            v.data().storage().setFrozen(!train);
        });
        return this;
    }

    /** The backbone's own tensors (what a backbone file holds), whether or not the method trains them. */
    public Map<String, Variable> backboneParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (isBackboneName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The method's own tensors and the head: what a weights file must hold. */
    public Map<String, Variable> addedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (!isBackboneName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Trainable tensors by name, in model order (the trace's {@code grad.*}). */
    public Map<String, Variable> trainableNamed() {
        Map<String, Variable> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (isTrainableName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * images [B, C, H, W] (normalised) → logits [B, classes]; for a clip model (num_frames > 0) clips
     * [B, C, T, H, W], whose tokens are in (time, row, column) order (SPEC H).
     */
    public Variable forward(Tensor images) {
        int[] s = images.shape();
        int[] want = cfg.inputShape(s.length == 0 ? 1 : s[0]);
        if (!Arrays.equals(s, want)) {
            String expected = cfg.isClip()
                    ? "clips [B, " + cfg.inChans() + ", " + cfg.numFrames() + ", " + cfg.imgSize() + ", " + cfg.imgSize()
                            + "] (num_frames " + cfg.numFrames() + ")"
                    : "images [B, " + cfg.inChans() + ", " + cfg.imgSize() + ", " + cfg.imgSize() + "]";
            String hint = cfg.isClip() && s.length == 4 ? "; this is a video model, an image batch needs num_frames 0"
                    : !cfg.isClip() && s.length == 5 ? "; this is an image model, a clip batch needs num_frames > 0" : "";
            throw new IllegalArgumentException("model input: expected " + expected + ", got " + Arrays.toString(s) + hint);
        }
        // A batch is brought to the model's device (after Module.to): the one transfer a step needs.
        org.sparsetuning.tensor.device.Device device = clsToken.data().device();
        if (!images.device().equals(device)) {
            images = images.to(device);
        }
        int b = s[0];
        // The residual stream is held by a reference of this loop's own and dropped as soon as the next layer
        // has run, as reference counting would: inference then keeps one layer's activations at a time, and
        // training exactly what the autograd nodes saved.
        Variable x;
        try (TensorScope scope = TensorScope.open()) {
            Variable patches;
            try (FlopCounter.Scope r = FlopCounter.region("patch_embed")) {
                patches = patchEmbed.forward(images);
            }
            x = F.concat(1, clsToken.expand(b, 1, cfg.embedDim()), patches).add(posEmbed);
            scope.take(x.data().storage());
        }
        TokenTracker tokens = new TokenTracker(cfg.keepRate(), cfg.tsLayers(), cfg.fusion(), b, cfg.numPatches());
        try (tokens) {
            method.begin(x, tokens);
            try {
                for (Block blk : blocks) {
                    Variable next;
                    try (FlopCounter.Scope r = FlopCounter.region("blocks." + blk.index); TensorScope scope = TensorScope.open()) {
                        next = blk.forward(x, tokens);
                        scope.take(next.data().storage());
                    }
                    x.data().storage().release();
                    x = next;
                }
            } finally {
                method.end();
            }
        }
        TensorScope.adopt(x.data().storage());
        lastTokens = tokens;
        // The final LN runs on all tokens, as in the reference (SPEC A.1), although only the CLS row reaches
        // the head: the shapes executed are then the reference's, so counted flops match fvcore's (SPEC A.9).
        // The CLS row is copied out so that the head, which keeps its input for backward, does not pin the
        // whole normalised sequence.
        Variable cls;
        Variable last = x;
        try (FlopCounter.Scope r = FlopCounter.region("norm")) {
            cls = scoped(() -> norm.forward(last).select(1, 0).contiguous());
        }
        try (FlopCounter.Scope r = FlopCounter.region("head")) {
            if (headNorm != null) {
                cls = headNorm.forward(cls);
            }
            return head.forward(cls);
        }
    }

    /** The token state of the last forward pass: kept tokens per sparsifying layer, the selections. */
    public TokenTracker lastTokens() {
        return lastTokens;
    }
}
