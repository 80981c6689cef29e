package org.sparsetuning.vit.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** Writes .npz archives as numpy does (.npy format 1.0 entries, deflated), so tests can make hostile variants. */
final class NpzTestWriter {
    private NpzTestWriter() {
    }

    static void write(Path file, Map<String, Tensor> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
        }
    }

    static byte[] npy(Tensor t) {
        boolean ints = t.dtype() == DType.I32;
        StringJoiner shape = new StringJoiner(", ", "(", t.dim() == 1 ? ",)" : ")");
        for (int s : t.shape()) {
            shape.add(Integer.toString(s));
        }
        String dict = "{'descr': '" + (ints ? "<i4" : "<f4") + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        if (ints) {
            for (int v : t.toIntArray()) {
                b.putInt(v);
            }
        } else {
            for (float v : t.toFloatArray()) {
                b.putFloat(v);
            }
        }
        return b.array();
    }
}
