package org.sparsetuning.vit.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Attention;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.QvDelta;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;
import org.sparsetuning.vit.sparsify.TokenTracker;

class BaselinePartsTest {
    static Tensor randn(long seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return Tensor.of(new Generator(seed).normal(n, 0, 1), shape);
    }

    @Test
    void kroneckerSumMatchesItsDefinition() {
        Tensor a = randn(1, 3, 2, 4);
        Tensor b = randn(2, 3, 5, 2);
        Tensor h = KroneckerSum.of(Variable.constant(a), Variable.constant(b)).data();
        assertArrayEquals(new int[] {10, 8}, h.shape());
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < 4; l++) {
                for (int j = 0; j < 5; j++) {
                    for (int u = 0; u < 2; u++) {
                        double want = 0;
                        for (int k = 0; k < 3; k++) {
                            want += a.get(k, i, l) * b.get(k, j, u);
                        }
                        assertEquals(want, h.get(i * 5 + j, l * 2 + u), 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void kroneckerSumGradients() {
        GradCheck.assertPasses(v -> KroneckerSum.of(v[0], v[1]), randn(3, 2, 3, 2).to(DType.F64), randn(4, 2, 2, 3).to(DType.F64));
    }

    /** SPEC C.2's order q/√d + Δq equals the reference's default order with the delta scaled by √d: (q + √d·Δq)/√d. */
    @Test
    void qDeltaAfterScaleEqualsDeltaTimesSqrtHeadDimBefore() {
        Attention attn = new Attention(12, 3, new Generator(5));
        Variable x = Variable.constant(randn(6, 2, 5, 12));
        Tensor dq = randn(7, 2, 5, 12);
        Tensor after = attn.forward(x, false, new QvDelta(Variable.constant(dq), null, true)).out().data();
        Tensor before = attn.forward(x, false, new QvDelta(Variable.constant(dq.mul(2.0)), null, false)).out().data();
        Tensor none = attn.forward(x, false).out().data();
        double[] p = after.toDoubleArray();
        double[] q = before.toDoubleArray();
        double moved = 0;
        for (int i = 0; i < p.length; i++) {
            assertEquals(q[i], p[i], 1e-5);
            moved = Math.max(moved, Math.abs(p[i] - none.toDoubleArray()[i]));
        }
        assertTrue(moved > 1e-3, "the delta changed nothing");
    }

    @Test
    void vptInsertsThenReplacesPrompts() {
        VisionTransformer m = BaselineFixtures.model(BaselineFixtures.tiny(VitConfig.VPT), 2);
        Vpt vpt = (Vpt) m.method;
        Variable x = Variable.constant(randn(8, 2, 17, 24));
        Variable first = vpt.beforeBlock(0, x);
        assertArrayEquals(new int[] {2, 20, 24}, first.shape());
        Variable second = vpt.beforeBlock(1, first);
        assertArrayEquals(new int[] {2, 20, 24}, second.shape());
        Tensor p1 = m.blocks.get(1).namedParameters().get("prompt").data();
        for (int t = 0; t < 3; t++) {
            for (int c = 0; c < 24; c++) {
                assertEquals(p1.get(t, c), second.data().get(1, 1 + t, c), 0.0, "prompt of block 1 in place of block 0's");
            }
        }
        // CLS and the patches pass through untouched.
        assertEquals(x.data().get(1, 0, 5), second.data().get(1, 0, 5), 0.0);
        assertEquals(x.data().get(1, 16, 7), second.data().get(1, 19, 7), 0.0);
    }

    @Test
    void configReadsTheMethodOptionsAndMethodDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper();
        VitConfig af = VitConfig.parse(json.readTree("{\"method\": \"adaptformer\", \"ts_layers\": []}"));
        assertEquals(64, af.adapterDim());
        assertEquals(0.1, af.adapterScale());
        VitConfig st = VitConfig.parse(json.readTree("{}"));
        assertEquals(32, st.adapterDim());
        assertEquals(1.0, st.adapterScale());
        VitConfig k = VitConfig.parse(json.readTree("{\"method\": \"kadaptation\", \"embed_dim\": 24, \"num_heads\": 3, "
                + "\"kadapt_n\": 4, \"kadapt_rank\": 2, \"kadapt_scale\": 3.5, \"kadapt_delta_after_scale\": true}"));
        assertEquals(MethodOptions.DEFAULTS.withKadapt(4, 2, 3.5, true), k.options());
        VitConfig code = VitConfig.parse(json.readTree("{\"dense_mode\": \"code\", \"head_mode\": \"bn-linear\", "
                + "\"code_adapter_dims\": [16, 8], \"lora_rank\": 2, \"vpt_tokens\": 5, \"adapter_placement\": \"houlsby\"}"));
        assertEquals(List.of(16, 8), code.options().codeAdapterDims());
        assertEquals(2, code.options().loraRank());
        assertEquals(5, code.options().vptTokens());
        assertEquals("houlsby", code.options().adapterPlacement());
    }

    @Test
    void configErrorsNameTheField() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // VPT is dense by default (a baseline); asking it to sparsify is the error.
        assertTrue(VitConfig.parse(json.readTree("{\"method\": \"vpt\"}")).tsLayers().isEmpty());
        String e1 = assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree(
                "{\"method\": \"vpt\", \"keep_rate\": 0.5}"))).getMessage();
        assertTrue(e1.contains("vpt") && e1.contains("ts_layers"), e1);
        String e2 = assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree(
                "{\"method\": \"kadaptation\", \"kadapt_n\": 5}"))).getMessage();
        assertTrue(e2.contains("kadapt_n 5") && e2.contains("768"), e2);
        String e3 = assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree(
                "{\"dense_mode\": \"code\", \"ts_layers\": [3, 6, 9]}"))).getMessage();
        assertTrue(e3.contains("dense_mode code") && e3.contains("[3, 6, 9]"), e3);
        String e4 = assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree(
                "{\"kadapt_delta_after_scale\": 1}"))).getMessage();
        assertTrue(e4.contains("kadapt_delta_after_scale"), e4);
        String e5 = assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree(
                "{\"adapter_placement\": \"parallel\"}"))).getMessage();
        assertTrue(e5.contains("adapter_placement"), e5);
    }

    /** SPEC A.4 / D.4: with its up-projections at zero the code variant is still not the backbone, by exactly x0 after block 2. */
    @Test
    void codeModeAtInitIsTheBackboneWithTheEmbeddingReAddedAfterBlock3() {
        VitConfig ts = new VitConfig(32, 8, 3, 24, 12, 3, 2.0, 5, 8, 1.0, 0.7, List.of(4, 7, 10),
                VitConfig.TOKEN_SPARSIFICATION, Fusion.SUM, "paper", List.of(1, 3), "linear");
        VisionTransformer plain = BaselineFixtures.model(ts, 4);
        VisionTransformer code = BaselineFixtures.model(ts.withMethod(VitConfig.SPARSE_TUNING).withDenseMode("code", "linear"), 4);
        Tensor img = BaselineFixtures.images(2);
        Variable x0 = F.concat(1, plain.clsToken.expand(2, 1, 24), plain.patchEmbed.forward(img)).add(plain.posEmbed);
        TokenTracker tokens = new TokenTracker(0.7, List.of(4, 7, 10), Fusion.SUM, 2, 16);
        Variable x = x0;
        for (Block blk : plain.blocks) {
            x = blk.forward(x, tokens);
            if (blk.index == 2) {
                x = x.add(x0);
            }
        }
        double[] want = plain.head.forward(plain.norm.forward(x.select(1, 0))).data().toDoubleArray();
        double[] got = code.forward(img).data().toDoubleArray();
        double[] backbone = plain.forward(img).data().toDoubleArray();
        double differs = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5, "logit " + i);
            differs = Math.max(differs, Math.abs(backbone[i] - got[i]));
        }
        assertTrue(differs > 1e-3, "re-adding x0 should change the function");
    }
}
