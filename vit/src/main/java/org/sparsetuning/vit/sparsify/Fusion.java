package org.sparsetuning.vit.sparsify;

import java.util.Locale;

/** What happens to the tokens Token Sparsification does not keep (SPEC A.6). */
public enum Fusion {
    /** One fused token Σ a_j·y_j with the unnormalised CLS weights (official code and EViT; the default). */
    SUM("sum"),
    /** One fused token Σ a_j·y_j / Σ a_j. */
    WEIGHTED_AVERAGE("weighted-average"),
    /** No fused token: the inattentive tokens are discarded. */
    DROP("drop");

    public final String configName;

    Fusion(String configName) {
        this.configName = configName;
    }

    public static Fusion parse(String s) {
        for (Fusion f : values()) {
            if (f.configName.equals(s.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("fusion must be sum | weighted-average | drop, got '" + s + "'");
    }
}
