package org.sparsetuning.nn.io;

import java.util.Map;
import org.sparsetuning.tensor.Tensor;

/** What a safetensors file holds: tensors in the header's order, and the {@code __metadata__} strings. */
public record SafetensorsContent(Map<String, Tensor> tensors, Map<String, String> metadata) {
}
