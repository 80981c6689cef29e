package org.sparsetuning.autograd.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** A golden JSON file written by tools/golden/transformer_block.py: named tensors as {shape, data}. */
final class Fixture {
    private final JsonNode root;

    private Fixture(JsonNode root) {
        this.root = root;
    }

    static Fixture load(String resource) throws IOException {
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("golden fixture " + resource + " is not on the test class path; regenerate it with tools/golden/transformer_block.py");
            }
            return new Fixture(new ObjectMapper().readTree(in));
        }
    }

    JsonNode root() {
        return root;
    }

    /** The named tensor in the given floating type. */
    Tensor tensor(String name, DType dtype) {
        JsonNode t = root.path("tensors").get(name);
        if (t == null) {
            throw new IllegalArgumentException("golden fixture has no tensor '" + name + "'");
        }
        int[] shape = new int[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asInt();
        }
        JsonNode data = t.get("data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).asDouble();
        }
        return Tensor.of(values, shape).to(dtype);
    }

    /** ‖a − b‖ / ‖b‖ over all elements, in double. */
    static double relativeError(Tensor actual, Tensor expected) {
        double[] a = actual.toDoubleArray();
        double[] b = expected.toDoubleArray();
        if (a.length != b.length) {
            throw new AssertionError(a.length + " values where the fixture has " + b.length);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
