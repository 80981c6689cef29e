package org.sparsetuning.nn.io;

import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the tensors in the header's order, the free-form {@code __metadata__}
 * strings, and where the data section starts in the file.
 */
public record SafetensorsHeader(List<SafetensorsEntry> entries, Map<String, String> metadata, long dataStart) {
    public SafetensorsHeader {
        entries = List.copyOf(entries);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
