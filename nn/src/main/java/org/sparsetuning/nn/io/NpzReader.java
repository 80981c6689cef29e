package org.sparsetuning.nn.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.sparsetuning.tensor.Tensor;

/**
 * Reads NumPy .npz archives (what {@code np.savez} and {@code np.savez_compressed} write): a zip whose
 * entries are .npy arrays, stored or deflated. Keys are the entry names without {@code .npy}, in the
 * archive's order, as {@code np.load} presents them. Every entry's CRC is checked, since the zip layer
 * itself does not check it when reading by entry.
 */
public final class NpzReader {
    private static final String SUFFIX = ".npy";

    private NpzReader() {
    }

    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(file, key -> true);
    }

    /** Only the arrays whose keys {@code wanted} accepts; the others are not decompressed. */
    public static Map<String, Tensor> read(Path file, Predicate<String> wanted) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            Map<String, ZipEntry> entries = entries(file, zip);
            for (Map.Entry<String, ZipEntry> e : entries.entrySet()) {
                if (wanted.test(e.getKey())) {
                    out.put(e.getKey(), readEntry(file, zip, e.getKey(), e.getValue()));
                }
            }
        }
        return out;
    }

    /** The keys in archive order, without reading any array. */
    public static List<String> keys(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            return List.copyOf(entries(file, zip).keySet());
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(file + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, ZipEntry> entries(Path file, ZipFile zip) throws CheckpointFormatException {
        Map<String, ZipEntry> out = new LinkedHashMap<>();
        for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
            ZipEntry e = it.nextElement();
            if (e.isDirectory()) {
                continue;
            }
            String name = e.getName();
            if (!name.endsWith(SUFFIX)) {
                throw new CheckpointFormatException(file + ": entry '" + name + "' is not a .npy array");
            }
            String key = name.substring(0, name.length() - SUFFIX.length());
            if (out.put(key, e) != null) {
                throw new CheckpointFormatException(file + ": key '" + key + "' appears twice");
            }
        }
        return out;
    }

    private static Tensor readEntry(Path file, ZipFile zip, String key, ZipEntry entry) throws IOException {
        String what = file + ": key '" + key + "'";
        CRC32 crc = new CRC32();
        try (CheckedInputStream checked = new CheckedInputStream(zip.getInputStream(entry), crc);
             InputStream in = new BufferedInputStream(checked, 1 << 16)) {
            Tensor t = NpyReader.read(in, what);
            NpyReader.checkEnd(in, what);
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new CheckpointFormatException(what + ": CRC mismatch, the archive is corrupt (expected "
                        + Long.toHexString(entry.getCrc()) + ", data gives " + Long.toHexString(crc.getValue()) + ")");
            }
            return t;
        } catch (ZipException e) {
            throw new CheckpointFormatException(what + ": corrupt compressed data (" + e.getMessage() + ")", e);
        }
    }
}
