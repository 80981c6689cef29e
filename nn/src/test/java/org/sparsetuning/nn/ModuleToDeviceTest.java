package org.sparsetuning.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.nn.optim.Optimizer;
import org.sparsetuning.nn.optim.Sgd;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;

/** Module.to on the test-only loopback device: what moves, what is kept, and that training gives the CPU's numbers. */
class ModuleToDeviceTest {

    /** Linear → LayerNorm → BatchNorm1d → Linear, with a frozen first layer. */
    static final class Net extends Module {
        final Linear a;
        final LayerNorm ln;
        final BatchNorm1d bn;
        final Linear b;

        Net(long seed) {
            Generator g = new Generator(seed);
            a = child("a", new Linear(5, 7, g));
            ln = child("ln", new LayerNorm(7, 1e-5));
            bn = child("bn", new BatchNorm1d(7, 1e-5));
            b = child("b", new Linear(7, 3, g));
        }

        Variable forward(Variable x) {
            return b.forward(bn.forward(ln.forward(a.forward(x)).gelu()));
        }
    }

    @Test
    void movesEveryParameterKeepingNamesFlagsAndValues() {
        Net net = new Net(3);
        net.freeze("a\\..*");
        Map<String, Variable> before = net.namedParameters();
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        before.forEach((k, v) -> values.put(k, v.data().toFloatArray()));
        Device dev = Devices.select("loopback:0");
        try (TensorScope scope = TensorScope.open()) {
            net.to(dev); // moved parameters must not belong to a scope open at the time
        }
        Map<String, Variable> after = net.namedParameters();
        assertEquals(before.keySet(), after.keySet());
        after.forEach((k, v) -> {
            assertSame(before.get(k), v, "the same Variable object, moved in place: " + k);
            assertEquals("loopback:0", v.data().storage().device(), k);
            assertArrayEquals(values.get(k), v.data().toFloatArray(), k);
            boolean frozen = k.startsWith("a.");
            assertEquals(!frozen, v.requiresGrad(), k);
            assertEquals(frozen, v.data().storage().isFrozen(), k);
        });
        assertEquals("loopback:0", net.bn.runningMean().storage().device());
        assertEquals("loopback:0", net.bn.runningVar().storage().device());
        net.to(Devices.cpu());
        after.forEach((k, v) -> assertTrue(v.data().isOnCpu(), k));
    }

    @Test
    void onlyLeavesMove() {
        Variable p = Variable.parameter(Tensor.ones(2));
        Variable y = p.mul(2.0);
        assertThrows(IllegalStateException.class, () -> y.moveTo(Devices.select("loopback:0")));
    }

    @Test
    void gradientsMoveWithTheirParameter() {
        Variable p = Variable.parameter(Tensor.of(new float[] {1, 2}, 2));
        p.mul(p).sum().backward();
        Tensor g = p.grad();
        p.moveTo(Devices.select("loopback:1"));
        assertEquals("loopback:1", p.grad().storage().device());
        assertNotSame(g, p.grad());
        assertArrayEquals(new float[] {2, 4}, p.grad().toFloatArray());
    }

    @Test
    void trainingStepsOnTheDeviceMatchTheCpu() {
        for (boolean adam : new boolean[] {true, false}) {
            Net cpu = new Net(11);
            Net dev = new Net(11);
            Device d = Devices.select("loopback:0");
            dev.to(d);
            Optimizer oc = adam ? new AdamW(cpu.trainableParameters(), 1e-2, 0.05) : new Sgd(cpu.trainableParameters(), 1e-2, 0.9, 0.01);
            Optimizer od = adam ? new AdamW(dev.trainableParameters(), 1e-2, 0.05) : new Sgd(dev.trainableParameters(), 1e-2, 0.9, 0.01);
            Generator g = new Generator(5);
            for (int step = 0; step < 3; step++) {
                Tensor x = Tensor.randn(g, 6, 5);
                Tensor labels = Tensor.ofInts(new int[] {0, 1, 2, 0, 1, 2}, 6);
                for (Object[] run : List.of(new Object[] {cpu, oc, x, labels}, new Object[] {dev, od, x.to(d), labels})) {
                    Net net = (Net) run[0];
                    Optimizer opt = (Optimizer) run[1];
                    try (TensorScope scope = TensorScope.open()) {
                        opt.zeroGrad();
                        // Labels stay on the host: the loss uploads them to the logits' device.
                        F.crossEntropy(net.forward(Variable.constant((Tensor) run[2])), (Tensor) run[3]).backward();
                        opt.step();
                    }
                }
            }
            Map<String, Variable> pc = cpu.namedParameters();
            dev.namedParameters().forEach((k, v) -> {
                assertEquals("loopback:0", v.data().storage().device(), k);
                float[] e = pc.get(k).data().toFloatArray();
                float[] a = v.data().toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-5, (adam ? "AdamW " : "SGD ") + k + "[" + i + "]");
                }
            });
            assertArrayEquals(cpu.bn.runningVar().toFloatArray(), dev.bn.runningVar().toFloatArray(), 1e-5f);
            assertFalse(cpu.trainableParameters().isEmpty());
        }
    }

    @Test
    void optimizerStateFollowsAParameterThatMoved() {
        Variable p = Variable.parameter(Tensor.of(new float[] {1, -1}, 2));
        AdamW opt = new AdamW(List.of(p), 0.1, 0.0);
        p.mul(p).sum().backward();
        opt.step();
        p.moveTo(Devices.select("loopback:0"));
        opt.zeroGrad();
        p.mul(p).sum().backward();
        opt.step();
        assertEquals("loopback:0", opt.state(0)[0].storage().device());
        assertEquals("loopback:0", p.data().storage().device());
    }
}
