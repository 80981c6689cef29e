package org.sparsetuning.data.readers;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading whole data files, with errors that name the file. */
final class DataFiles {
    private DataFiles() {
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic number (whatever its name). */
    static byte[] readMaybeGzipped(Path file) throws IOException {
        byte[] raw = readAll(file);
        if (raw.length < 2 || (raw[0] & 0xFF) != 0x1F || (raw[1] & 0xFF) != 0x8B) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new IOException(file + ": the gzip stream ends early (truncated or partly downloaded file)", e);
        } catch (ZipException e) {
            throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    static byte[] readAll(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        } catch (OutOfMemoryError e) {
            throw new IOException(file + ": too large to read into memory (" + Files.size(file) + " bytes)", e);
        }
    }

    /** Non-blank lines, trimmed (class-name files). */
    static List<String> nonBlankLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** "0", "1", … "n−1": class names when the data carries none. */
    static List<String> numberedClasses(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }
}
