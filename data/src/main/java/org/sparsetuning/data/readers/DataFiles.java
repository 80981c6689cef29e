package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.data.DataFileException;

/** Reading whole data files, with errors that name the file. */
final class DataFiles {
    private DataFiles() {
    }

    /**
     * The lines of a UTF-8 text file (split at {@code \n}, a trailing {@code \r} removed). Invalid UTF-8 is an
     * error naming the file and the line, rather than the decoder's bare "Input length = 1".
     * {@code what} says what the file is when it is missing ("list file").
     */
    static List<String> lines(Path file, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFileException(file + ": " + what + " not found", e);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> out = new ArrayList<>();
        int start = 0;
        // '\n' never occurs inside a UTF-8 multi-byte sequence, so lines can be cut before decoding.
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                out.add(utf8.decode(ByteBuffer.wrap(bytes, start, stop - start)).toString());
            } catch (CharacterCodingException e) {
                throw new DataFileException(file + ":" + (out.size() + 1) + ": not valid UTF-8 text (" + what
                        + " lines must be UTF-8)", e);
            }
            start = end + 1;
        }
        return out;
    }

    /** Non-blank lines, trimmed (class-name files). */
    static List<String> nonBlankLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines(file, "class-name file")) {
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
