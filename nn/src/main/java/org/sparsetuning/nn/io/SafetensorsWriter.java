package org.sparsetuning.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.DoubleStorage;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.IntStorage;

/**
 * Writes tensors as a safetensors file, atomically (see {@link AtomicFile}). F32 tensors are stored as F32,
 * F64 as F64, I32 as I32 or, with {@link #intsAsI64(boolean)}, as I64 (what PyTorch tools expect for labels
 * and indices). Tensors appear in the map's iteration order, contiguous and without gaps, so equal inputs give
 * byte-identical files; the header is padded with spaces to a multiple of 8 bytes so the data is aligned.
 * Views of any layout are accepted and written row-major.
 */
public final class SafetensorsWriter {
    private static final int CHUNK = 1 << 20;

    /** Called after each tensor's bytes are written; tests inject failures through it. */
    @FunctionalInterface
    interface WriteHook {
        void afterTensor(String name) throws IOException;
    }

    private boolean intsAsI64;
    private Map<String, String> metadata = Map.of();
    WriteHook hook = name -> { };

    /** Store I32 tensors as I64. */
    public SafetensorsWriter intsAsI64(boolean on) {
        this.intsAsI64 = on;
        return this;
    }

    /** Free-form strings stored as {@code __metadata__} (written first, in the map's order). */
    public SafetensorsWriter metadata(Map<String, String> meta) {
        Map<String, String> copy = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("metadata keys and values must not be null (" + k + " = " + v + ")");
            }
            copy.put(k, v);
        });
        this.metadata = copy;
        return this;
    }

    /** Writes with the default options: I32 as I32, no metadata. */
    public static void writeFile(Path target, Map<String, Tensor> tensors) throws IOException {
        new SafetensorsWriter().write(target, tensors);
    }

    public void write(Path target, Map<String, Tensor> tensors) throws IOException {
        byte[] header = header(tensors);
        AtomicFile.write(target, ch -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            drain(ch, buf);
            drain(ch, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                writeData(ch, buf, e.getValue());
                hook.afterTensor(e.getKey());
            }
        });
    }

    private String storedDtype(String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is null");
        }
        return switch (t.dtype()) {
            case F32 -> "F32";
            case F64 -> "F64";
            case I32 -> intsAsI64 ? "I64" : "I32";
        };
    }

    private int storedSize(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> 4;
            case F64 -> 8;
            case I32 -> intsAsI64 ? 8 : 4;
        };
    }

    private byte[] header(Map<String, Tensor> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsHeaderParser.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                if (name == null || name.equals(SafetensorsHeaderParser.METADATA_KEY)) {
                    throw new IllegalArgumentException("'" + name + "' cannot name a tensor in a safetensors file");
                }
                Tensor t = e.getValue();
                String dtype = storedDtype(name, t);
                long bytes = (long) t.numel() * storedSize(t);
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", dtype);
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        // Pad so the data section starts 8-byte aligned (8 length bytes + header), as other writers do.
        while (out.size() % 8 != 0) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    private void writeData(FileChannel ch, ByteBuffer buf, Tensor t) throws IOException {
        int n = t.numel();
        switch (t.dtype()) {
            case F32 -> {
                boolean direct = t.isContiguous() && t.storage() instanceof FloatStorage;
                float[] a = direct ? ((FloatStorage) t.storage()).array() : t.toFloatArray();
                int base = direct ? t.offset() : 0;
                for (int done = 0; done < n; ) {
                    int m = Math.min(n - done, CHUNK / 4);
                    buf.clear();
                    buf.asFloatBuffer().put(a, base + done, m);
                    buf.limit(m * 4);
                    drain(ch, buf);
                    done += m;
                }
            }
            case F64 -> {
                boolean direct = t.isContiguous() && t.storage() instanceof DoubleStorage;
                double[] a = direct ? ((DoubleStorage) t.storage()).array() : t.toDoubleArray();
                int base = direct ? t.offset() : 0;
                for (int done = 0; done < n; ) {
                    int m = Math.min(n - done, CHUNK / 8);
                    buf.clear();
                    buf.asDoubleBuffer().put(a, base + done, m);
                    buf.limit(m * 8);
                    drain(ch, buf);
                    done += m;
                }
            }
            case I32 -> {
                boolean direct = t.isContiguous() && t.storage() instanceof IntStorage;
                int[] a = direct ? ((IntStorage) t.storage()).array() : t.toIntArray();
                int base = direct ? t.offset() : 0;
                for (int done = 0; done < n; ) {
                    int m = Math.min(n - done, CHUNK / 8);
                    buf.clear();
                    if (intsAsI64) {
                        for (int i = 0; i < m; i++) {
                            buf.putLong(a[base + done + i]);
                        }
                        buf.flip();
                    } else {
                        buf.asIntBuffer().put(a, base + done, m);
                        buf.limit(m * 4);
                    }
                    drain(ch, buf);
                    done += m;
                }
            }
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
