package org.sparsetuning.nn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and checks the JSON header of a safetensors file against the size of its data section. Every
 * check a truncated or hostile file could fail is made here, before any tensor is allocated.
 */
final class SafetensorsHeaderParser {
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafetensorsHeaderParser() {
    }

    /** {@code file} is only for messages; {@code dataLength} is the number of bytes after the header. */
    static SafetensorsHeader parse(String file, byte[] headerBytes, long dataStart, long dataLength) throws CheckpointFormatException {
        JsonNode root = parseJson(file, headerBytes);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(readEntry(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        checkNoOverlap(file, entries);
        return new SafetensorsHeader(entries, metadata, dataStart);
    }

    private static JsonNode parseJson(String file, byte[] bytes) throws CheckpointFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file + ": header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file + ": header must be a JSON object, found "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        return root;
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> out) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(file + ": " + METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new CheckpointFormatException(file + ": " + METADATA_KEY + " value for '" + e.getKey()
                        + "' must be a string, found " + e.getValue().getNodeType().toString().toLowerCase());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static SafetensorsEntry readEntry(String file, String name, JsonNode node, long dataLength) throws CheckpointFormatException {
        String what = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointFormatException(what + ": header entry must be an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointFormatException(what + ": " + (dtypeNode == null ? "missing dtype" : "dtype must be a string"));
        }
        StoredType type = storedType(what, dtypeNode.textValue());
        int[] shape = readShape(what, node.get("shape"));
        long[] offsets = readOffsets(what, node.get("data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new CheckpointFormatException(what + ": data_offsets begin " + begin + " is after end " + end);
        }
        if (end > dataLength) {
            throw new CheckpointFormatException(what + ": data_offsets [" + begin + ", " + end
                    + "] run past the data section of " + dataLength + " bytes (file truncated?)");
        }
        long numel = 1;
        for (int d : shape) {
            numel *= d; // each d < 2^31 and the running product was checked below 2^31: no overflow
            if (numel > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(what + ": shape " + java.util.Arrays.toString(shape)
                        + " has more than 2^31-1 elements");
            }
        }
        long expected = numel * type.size();
        if (end - begin != expected) {
            throw new CheckpointFormatException(what + ": data_offsets span " + (end - begin) + " bytes but "
                    + numel + " elements of " + type + " need " + expected);
        }
        return new SafetensorsEntry(name, type.name(), shape, begin, end);
    }

    static StoredType storedType(String what, String dtype) throws CheckpointFormatException {
        try {
            return StoredType.valueOf(dtype);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(what + ": unsupported dtype '" + dtype + "' (supported: "
                    + java.util.Arrays.toString(StoredType.values()) + ")");
        }
    }

    private static int[] readShape(String what, JsonNode node) throws CheckpointFormatException {
        if (node == null || !node.isArray()) {
            throw new CheckpointFormatException(what + ": " + (node == null ? "missing shape" : "shape must be an array of integers"));
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber()) {
                throw new CheckpointFormatException(what + ": shape " + node + " must hold integers");
            }
            if (d.bigIntegerValue().signum() < 0) {
                throw new CheckpointFormatException(what + ": shape " + node + " has a negative dimension");
            }
            if (!d.canConvertToInt()) {
                throw new CheckpointFormatException(what + ": shape " + node + " has a dimension of 2^31 or more");
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    private static long[] readOffsets(String what, JsonNode node) throws CheckpointFormatException {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new CheckpointFormatException(what + ": " + (node == null ? "missing data_offsets"
                    : "data_offsets must be an array of two integers [begin, end]"));
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = node.get(i);
            if (!o.isIntegralNumber()) {
                throw new CheckpointFormatException(what + ": data_offsets " + node + " must hold integers");
            }
            if (o.bigIntegerValue().signum() < 0) {
                throw new CheckpointFormatException(what + ": data_offsets " + node + " are negative");
            }
            if (!o.canConvertToLong()) {
                throw new CheckpointFormatException(what + ": data_offsets " + node + " run past any file");
            }
            out[i] = o.longValue();
        }
        return out;
    }

    /** Two tensors sharing bytes would alias each other's storage in other readers; refuse the file. */
    private static void checkNoOverlap(String file, List<SafetensorsEntry> entries) throws CheckpointFormatException {
        List<SafetensorsEntry> sorted = new ArrayList<>();
        for (SafetensorsEntry e : entries) {
            if (e.end() > e.begin()) {
                sorted.add(e);
            }
        }
        sorted.sort(Comparator.comparingLong(SafetensorsEntry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            SafetensorsEntry prev = sorted.get(i - 1);
            SafetensorsEntry cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new CheckpointFormatException(file + ": tensors '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + ") and '" + cur.name() + "' [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
    }
}
