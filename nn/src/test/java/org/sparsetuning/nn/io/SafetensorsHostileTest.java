package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.nn.io.IoBytes.bytes;
import static org.sparsetuning.nn.io.IoBytes.concat;
import static org.sparsetuning.nn.io.IoBytes.f32;
import static org.sparsetuning.nn.io.IoBytes.i64;
import static org.sparsetuning.nn.io.IoBytes.le;
import static org.sparsetuning.nn.io.IoBytes.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One malformed file per validation rule. Each must be refused with a {@link CheckpointFormatException}
 * whose message names the file, the tensor where there is one, and the problem.
 */
class SafetensorsHostileTest {
    @TempDir
    Path dir;

    /** A well-formed entry for tensor "w": F32 of {@code shape} at {@code [b, e)}. */
    private static String w(String shape, long b, long e) {
        return "{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + b + "," + e + "]}}";
    }

    private static Arguments bad(String rule, byte[] content, String tensor, String problem) {
        return Arguments.of(rule, content, tensor, problem);
    }

    static Stream<Arguments> files() {
        byte[] eight = f32(1, 2);
        return Stream.of(
                bad("shorter than 8 bytes", bytes(1, 0, 0, 0, 0), null, "too short"),
                bad("empty file", new byte[0], null, "0 bytes"),
                bad("negative header length", le(8).putLong(-1L).array(), null, "negative"),
                bad("header length over 100 MB", concat(le(8).putLong(100_000_001L).array(), bytes('{', '}')), null, "exceeds the limit"),
                bad("header length past end of file", concat(le(8).putLong(50).array(), bytes('{', '}')), null, "past the end"),
                bad("header not UTF-8", safetensors(bytes('{', '"', 0xC3, 0x28, '"', ':', '1', '}'), new byte[0]), null, "UTF-8"),
                bad("header not JSON", safetensors("{\"w\": ", new byte[0]), null, "not valid JSON"),
                bad("header has trailing tokens", safetensors("{} {}", new byte[0]), null, "not valid JSON"),
                bad("header an array", safetensors("[1, 2]", new byte[0]), null, "must be a JSON object"),
                bad("header empty", safetensors("   ", new byte[0]), null, "must be a JSON object"),
                bad("duplicate tensor name", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight), null, "Duplicate"),
                bad("entry not an object", safetensors("{\"w\": [1]}", eight), "w", "must be an object"),
                bad("missing dtype", safetensors("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", eight), "w", "missing dtype"),
                bad("dtype not a string", safetensors("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", eight), "w", "dtype must be a string"),
                bad("unknown dtype", safetensors("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", eight), "w", "unsupported dtype 'F8_E4M3'"),
                bad("missing shape", safetensors("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", eight), "w", "missing shape"),
                bad("shape not an array", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", eight), "w", "shape must be an array"),
                bad("shape not integers", safetensors(w("[1.5]", 0, 8), eight), "w", "must hold integers"),
                bad("shape with a string", safetensors(w("[\"2\"]", 0, 8), eight), "w", "must hold integers"),
                bad("negative dimension", safetensors(w("[-2]", 0, 8), eight), "w", "negative dimension"),
                bad("dimension over int range", safetensors(w("[4294967296]", 0, 8), eight), "w", "2^31"),
                bad("too many elements", safetensors(w("[65536, 65536]", 0, 8), eight), "w", "more than 2^31-1 elements"),
                bad("missing data_offsets", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight), "w", "missing data_offsets"),
                bad("data_offsets of three", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", eight), "w", "two integers"),
                bad("data_offsets not integers", safetensors(w("[2]", 0, 8).replace("[0,8]", "[0,\"8\"]"), eight), "w", "must hold integers"),
                bad("negative offset", safetensors(w("[2]", -8, 0), eight), "w", "negative"),
                bad("offset beyond long", safetensors(w("[2]", 0, 8).replace("[0,8]", "[0,99999999999999999999]"), eight), "w", "run past"),
                bad("begin after end", safetensors(w("[0]", 8, 4), eight), "w", "is after end"),
                bad("offsets past the data section", safetensors(w("[4]", 0, 16), eight), "w", "past the data section"),
                bad("truncated data", concat(le(8).putLong(w("[2]", 0, 8).length()).array(), w("[2]", 0, 8).getBytes(), f32(1)), "w", "past the data section"),
                bad("span does not match shape", safetensors(w("[3]", 0, 8), concat(eight, eight)), "w", "need 12"),
                bad("overlapping tensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", concat(eight, eight)), "a", "overlap"),
                bad("metadata not an object", safetensors("{\"__metadata__\":[1]}", new byte[0]), null, "__metadata__ must be an object"),
                bad("metadata value not a string", safetensors("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), null, "'epoch' must be a string"),
                bad("I64 outside int range", safetensors("{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                        i64(1, 1L << 40)), "n", "element 1 is a value outside the int32 range"),
                bad("BOOL byte not 0 or 1", safetensors("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                        bytes(1, 7)), "m", "BOOL byte other than 0 or 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void isRefusedWithAClearMessage(String rule, byte[] content, String tensor, String problem) throws IOException {
        Path p = dir.resolve("hostile.safetensors");
        Files.write(p, content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.read(p), rule);
        String msg = e.getMessage();
        assertTrue(msg.contains(p.toString()), rule + ": message does not name the file: " + msg);
        if (tensor != null) {
            assertTrue(msg.contains("'" + tensor + "'"), rule + ": message does not name the tensor: " + msg);
        }
        assertTrue(msg.contains(problem), rule + ": message does not say '" + problem + "': " + msg);
    }
}
