package org.sparsetuning.vit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.sparsetuning.tensor.random.Generator;

/** The method providers on the class path ({@code META-INF/services/org.sparsetuning.vit.model.MethodProvider}), by method name. */
public final class MethodRegistry implements MethodProvider {
    /** The registry as the class path assembles it. */
    public static final MethodRegistry INSTANCE = new MethodRegistry();

    private final Map<String, MethodProvider> byName = new LinkedHashMap<>();

    private MethodRegistry() {
        for (MethodProvider p : ServiceLoader.load(MethodProvider.class, MethodRegistry.class.getClassLoader())) {
            for (String m : p.methods()) {
                MethodProvider before = byName.putIfAbsent(m, p);
                if (before != null) {
                    throw new IllegalStateException("method '" + m + "' is provided twice: by " + before.getClass().getName()
                            + " and by " + p.getClass().getName());
                }
            }
        }
    }

    @Override
    public java.util.Set<String> methods() {
        return byName.keySet();
    }

    @Override
    public MethodHooks attach(VisionTransformer model, Generator g) {
        MethodProvider p = byName.get(model.cfg.method());
        if (p == null) {
            throw new IllegalArgumentException("method '" + model.cfg.method() + "' has no implementation on the class path "
                    + "(providers found for " + byName.keySet() + ")");
        }
        return p.attach(model, g);
    }
}
