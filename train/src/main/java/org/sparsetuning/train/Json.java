package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.sparsetuning.nn.io.AtomicFile;

/** Reading and writing the small JSON files of a run (state, config), with errors that name the file and field. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** The file's JSON object; anything else (an empty file, an array, a number) fails naming the file. */
    static JsonNode read(Path file, String what) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": " + what + " not found");
        } catch (IOException e) {
            throw new IOException(file + ": " + what + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            String got = root == null || root.isMissingNode() ? "an empty file" : root.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new IOException(file + ": " + what + " must be a JSON object, got " + got);
        }
        return root;
    }

    /** Written through a temporary file and a rename, so a reader never sees half a file. */
    static void write(Path file, JsonNode node) throws IOException {
        byte[] bytes = (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    static JsonNode field(JsonNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return n;
    }

    static int intField(JsonNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + name + "' must be an integer, got " + n);
        }
        return n.intValue();
    }

    static long longField(JsonNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + name + "' must be an integer, got " + n);
        }
        return n.longValue();
    }

    static double doubleField(JsonNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isNumber()) {
            throw new IllegalArgumentException("field '" + name + "' must be a number, got " + n);
        }
        return n.doubleValue();
    }

    static String textField(JsonNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string, got " + n);
        }
        return n.textValue();
    }
}
