package org.sparsetuning.nn.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
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
    /** Deflate's best case: a 258-byte match in as little as two bits gives about 1032 bytes per byte. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Headers and block framing of a tiny deflate stream. */
    private static final long DEFLATE_SLACK = 64;

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
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": file not found");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (IOException e) {
            // ZipException for a bad directory, EOFException for a cut-off one: both mean the file is not a whole zip.
            throw new CheckpointFormatException(file + ": not a readable zip archive (" + describe(e) + ")", e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
        long size = checkedSize(file, what, entry);
        CRC32 crc = new CRC32();
        try (CheckedInputStream checked = new CheckedInputStream(zip.getInputStream(entry), crc);
             InputStream in = new BufferedInputStream(checked, (int) Math.min(1 << 16, Math.max(size, 1)))) {
            Tensor t = NpyReader.read(in, what, size);
            NpyReader.checkEnd(in, what);
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new CheckpointFormatException(what + ": CRC mismatch, the archive is corrupt (expected "
                        + Long.toHexString(entry.getCrc()) + ", data gives " + Long.toHexString(crc.getValue()) + ")");
            }
            return t;
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            // ZipException for bad deflate data, EOFException when the compressed bytes end early.
            throw new CheckpointFormatException(what + ": corrupt or truncated compressed data (" + describe(e) + ")", e);
        }
    }

    /**
     * The entry's uncompressed size as the zip directory states it, checked against what its compressed bytes
     * could hold, so that the array's declared shape can be checked against it before anything is allocated.
     */
    private static long checkedSize(Path file, String what, ZipEntry entry) throws IOException {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size < 0 || compressed < 0) {
            throw new CheckpointFormatException(what + ": the zip directory does not state the entry's sizes");
        }
        long fileSize = Files.size(file);
        if (compressed > fileSize) {
            throw new CheckpointFormatException(what + ": the entry claims " + compressed + " compressed bytes, more than the "
                    + fileSize + "-byte file");
        }
        if (entry.getMethod() == ZipEntry.STORED && size != compressed) {
            throw new CheckpointFormatException(what + ": a stored (uncompressed) entry of " + compressed + " bytes claims "
                    + size + " bytes of content");
        }
        if (size > compressed * MAX_DEFLATE_RATIO + DEFLATE_SLACK) {
            throw new CheckpointFormatException(what + ": the entry claims " + size + " bytes from " + compressed
                    + " compressed bytes, more than deflate can produce (at most " + MAX_DEFLATE_RATIO + " to 1)");
        }
        return size;
    }
}
