package org.sparsetuning.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

class ModuleTest {
    static final class Leaf extends Module {
        final Variable weight = parameter("weight", Tensor.zeros(3, 2));
        final Variable bias = parameter("bias", Tensor.zeros(3));
    }

    static final class Tree extends Module {
        final Variable token = parameter("cls_token", Tensor.zeros(1, 1, 2));
        final Leaf head = child("head", new Leaf());
        final ModuleList<Leaf> blocks = child("blocks", new ModuleList<>());

        Tree() {
            blocks.add(new Leaf());
            blocks.add(new Leaf());
        }
    }

    @Test
    void dottedNamesInRegistrationOrder() {
        assertEquals(List.of("cls_token", "head.weight", "head.bias", "blocks.0.weight", "blocks.0.bias",
                "blocks.1.weight", "blocks.1.bias"), List.copyOf(new Tree().namedParameters().keySet()));
    }

    @Test
    void freezingByPatternCountsAndMarksStorageConstant() {
        Tree t = new Tree();
        assertEquals(2 + 3 * 9, t.parameterCount());
        assertEquals(7, t.freeze(".*"));
        assertEquals(2, t.unfreeze("head\\..*"));
        assertEquals(9, t.trainableParameterCount());
        assertTrue(t.blocks.namedParameters().get("0.weight").data().storage().isFrozen());
        assertFalse(t.head.weight.data().storage().isFrozen());
        assertFalse(t.blocks.namedParameters().get("1.bias").requiresGrad());
    }

    @Test
    void loadStateDictChecksShapesAndNames() {
        Tree t = new Tree();
        t.freeze(".*");
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>(t.stateDict());
        sd.put("head.bias", Tensor.of(new float[] {1, 2, 3}, 3));
        t.loadStateDict(sd, true, "ok.safetensors");
        assertEquals(2.0, t.head.bias.data().get(1));
        assertTrue(t.head.bias.data().storage().isFrozen(), "loading keeps the frozen flag");

        sd.put("head.bias", Tensor.zeros(4));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(sd, true, "bad.safetensors"));
        assertTrue(shape.getMessage().contains("bad.safetensors") && shape.getMessage().contains("head.bias")
                && shape.getMessage().contains("[3]"), shape.getMessage());

        sd.put("head.bias", Tensor.zeros(3));
        sd.put("extra", Tensor.zeros(1));
        sd.remove("cls_token");
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(sd, true, "x.safetensors"));
        assertTrue(names.getMessage().contains("missing [cls_token]") && names.getMessage().contains("unexpected [extra]"), names.getMessage());
        Module.LoadReport r = t.loadStateDict(sd, false, "x.safetensors");
        assertEquals(List.of("cls_token"), r.missing());
        assertEquals(List.of("extra"), r.unexpected());
    }

    @Test
    void trainModePropagates() {
        Tree t = new Tree();
        t.eval();
        assertFalse(t.head.isTraining());
        t.train(true);
        assertTrue(t.blocks.namedChildren().get("1").isTraining());
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { parameter("a.b", Tensor.zeros(1)); }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { parameter("a", Tensor.zeros(1)); parameter("a", Tensor.zeros(1)); }
        });
    }
}
