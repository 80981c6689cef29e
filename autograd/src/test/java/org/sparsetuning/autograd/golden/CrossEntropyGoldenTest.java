package org.sparsetuning.autograd.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** Cross-entropy with label smoothing against PyTorch's F.cross_entropy(label_smoothing=...). */
class CrossEntropyGoldenTest {

    @Test
    void lossAndGradientMatchPyTorch() throws IOException {
        Fixture golden = Fixture.load("/golden/cross_entropy.json");
        JsonNode labelsJson = golden.root().get("labels");
        int[] labels = new int[labelsJson.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelsJson.get(i).asInt();
        }
        Variable logits = Variable.parameter(golden.tensor("logits", DType.F64));
        Variable loss = F.crossEntropy(logits, Tensor.ofInts(labels, labels.length), golden.root().get("smoothing").asDouble());
        loss.backward();
        double lossErr = Fixture.relativeError(loss.data(), golden.tensor("loss", DType.F64));
        double gradErr = Fixture.relativeError(logits.grad(), golden.tensor("grad.logits", DType.F64));
        assertTrue(lossErr < 1e-12 && gradErr < 1e-12, "loss error " + lossErr + ", gradient error " + gradErr);
    }
}
