package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.internal.model.ClassModel;
import com.aparapi.internal.model.Entrypoint;
import com.aparapi.internal.writer.KernelWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translates a kernel's bytecode to OpenCL C before it ever runs, the same way Aparapi does on its first
 * execution (Aparapi 3.0.2's {@code ClassModel} and {@code KernelWriter}, pure Java, no device involved).
 * A kernel that cannot be translated (a lambda, {@code new}, a call into another class inside run()) is
 * thus refused with Aparapi's reason up front, instead of being discovered after Aparapi has already run it
 * on its Java thread pool. Results are kept per class, as Aparapi itself keeps them: a class that failed
 * once stays failed for the life of the JVM.
 */
final class KernelTranslation {
    private static final Map<Class<?>, String> SOURCES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, String> FAILURES = new ConcurrentHashMap<>();

    private KernelTranslation() {
    }

    /** The OpenCL C source Aparapi generates for this kernel's run(); throws if it cannot generate one. */
    static String openCL(Kernel kernel) {
        Class<? extends Kernel> type = kernel.getClass();
        String failure = FAILURES.get(type);
        if (failure != null) {
            throw new AparapiFallbackException(type, failure);
        }
        String source = SOURCES.get(type);
        if (source != null) {
            return source;
        }
        try {
            Entrypoint entry = ClassModel.createClassModel(type).getEntrypoint("run", kernel);
            source = KernelWriter.writeToString(entry);
        } catch (Exception | LinkageError e) {
            String why = "Aparapi cannot translate its bytecode to OpenCL (" + e + "); it would run the kernel"
                    + " on the Java thread pool instead. Kernels may only use primitive fields, 1-D primitive"
                    + " arrays, Kernel's math methods and private methods of their own class: no lambdas,"
                    + " no new, no calls into other classes.";
            FAILURES.putIfAbsent(type, why);
            throw new AparapiFallbackException(type, why);
        }
        SOURCES.putIfAbsent(type, source);
        return source;
    }

    /** Remembers why a class left the device at run time, for later instances that Aparapi fails silently. */
    static void recordFailure(Class<?> type, String why) {
        FAILURES.putIfAbsent(type, why);
    }

    /** Why this class already failed in this JVM, or null. */
    static String knownFailure(Class<?> type) {
        return FAILURES.get(type);
    }
}
