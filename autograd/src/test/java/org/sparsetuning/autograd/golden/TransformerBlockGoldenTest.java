package org.sparsetuning.autograd.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * One pre-norm transformer block built from the autograd operations, forward and backward, against PyTorch
 * (fixture from tools/golden/transformer_block.py, float64). Run in F64 (reference kernels) and in F32 (the
 * CPU backend in use).
 */
class TransformerBlockGoldenTest {
    private static final String[] PARAMS = {"norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias",
        "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias",
        "mlp.fc2.weight", "mlp.fc2.bias"};
    private static Fixture golden;

    @BeforeAll
    static void load() throws IOException {
        golden = Fixture.load("/golden/transformer_block.json");
    }

    /** x + attn(norm1(x)), then + mlp(norm2(·)), with the fixture's head count and eps. */
    static Variable block(Variable x, Map<String, Variable> p, int heads, double eps) {
        int b = x.size(0);
        int n = x.size(1);
        int d = x.size(2);
        int hd = d / heads;
        Variable h = F.layerNorm(x, p.get("norm1.weight"), p.get("norm1.bias"), eps);
        Variable qkv = F.linear(h, p.get("attn.qkv.weight"), p.get("attn.qkv.bias"))
                .reshape(b, n, 3, heads, hd).permute(2, 0, 3, 1, 4);
        Variable q = qkv.select(0, 0);
        Variable k = qkv.select(0, 1);
        Variable v = qkv.select(0, 2);
        Variable attn = q.matmul(k.mT()).mul(1.0 / Math.sqrt(hd)).softmax();
        Variable o = attn.matmul(v).transpose(1, 2).reshape(b, n, d);
        Variable y = x.add(F.linear(o, p.get("attn.proj.weight"), p.get("attn.proj.bias")));
        Variable m = F.linear(F.layerNorm(y, p.get("norm2.weight"), p.get("norm2.bias"), eps),
                p.get("mlp.fc1.weight"), p.get("mlp.fc1.bias")).gelu();
        return y.add(F.linear(m, p.get("mlp.fc2.weight"), p.get("mlp.fc2.bias")));
    }

    private static void run(DType dtype, double tolerance) {
        int heads = golden.root().path("config").path("heads").asInt();
        double eps = golden.root().path("config").path("eps").asDouble();
        Variable x = Variable.parameter(golden.tensor("x", dtype));
        Map<String, Variable> p = new LinkedHashMap<>();
        for (String name : PARAMS) {
            p.put(name, Variable.parameter(golden.tensor(name, dtype)).name(name));
        }
        Variable out = block(x, p, heads, eps);
        out.mul(Variable.constant(golden.tensor("loss_weights", dtype))).sum().backward();

        StringBuilder report = new StringBuilder();
        boolean ok = check("output", out.data(), golden.tensor("output", DType.F64), tolerance, report);
        ok &= check("grad.x", x.grad(), golden.tensor("grad.x", DType.F64), tolerance, report);
        for (String name : PARAMS) {
            ok &= check("grad." + name, p.get(name).grad(), golden.tensor("grad." + name, DType.F64), tolerance, report);
        }
        assertTrue(ok, dtype + " block differs from PyTorch:\n" + report);
    }

    private static boolean check(String name, Tensor actual, Tensor expected, double tolerance, StringBuilder report) {
        if (actual == null) {
            report.append(name).append(": no gradient\n");
            return false;
        }
        assertArrayEquals(expected.shape(), actual.shape(), name);
        double err = Fixture.relativeError(actual, expected);
        report.append(String.format("%-24s relative error %.3e%n", name, err));
        return err <= tolerance;
    }

    @Test
    void doublePrecisionMatchesPyTorch() {
        run(DType.F64, 1e-10);
    }

    @Test
    void singlePrecisionMatchesPyTorchWithin1e4() {
        run(DType.F32, 1e-4);
    }
}
