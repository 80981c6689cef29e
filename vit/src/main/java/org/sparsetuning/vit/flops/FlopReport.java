package org.sparsetuning.vit.flops;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.tensor.flops.FlopKind;

/**
 * The cost of one model, as the Sparse-Tuning code reports it (SPEC A.9): flops of a single-image forward
 * pass by fvcore's conventions, and parameter counts.
 *
 * @param flops fvcore's total: multiply-adds of matrix products plus layer-norm flops
 * @param byKind every kind the counter saw, including kinds fvcore leaves out (their flops are not in
 *     {@code flops})
 * @param byRegion fvcore flops per part of the model ({@code patch_embed}, {@code blocks.0} …,
 *     {@code norm}, {@code head}; "" for anything outside those), in execution order
 * @param parameters every parameter element
 * @param trainableParameters elements of the parameters that require a gradient
 * @param headParameters elements of the classifier head (weight and bias)
 */
public record FlopReport(long flops, Map<FlopKind, Long> byKind, Map<String, Long> byRegion, long parameters,
        long trainableParameters, long headParameters) {

    public FlopReport {
        byKind = Collections.unmodifiableMap(new EnumMap<>(byKind));
        byRegion = Collections.unmodifiableMap(new LinkedHashMap<>(byRegion));
    }

    /** fvcore's number as the paper prints it: flops / 10⁹. */
    public double gflops() {
        return flops / 1e9;
    }

    /** Trainable parameters without the head: what SPEC B.1 lists per method (adapters only). */
    public long trainableExcludingHead() {
        return trainableParameters - headParameters;
    }
}
