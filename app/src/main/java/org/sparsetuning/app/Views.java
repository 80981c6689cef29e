package org.sparsetuning.app;

/**
 * A {@code --views CLIPSxCROPS} value: multi-view testing of clips with {@code clips} temporal views times
 * {@code crops} spatial crops (e.g. {@code 2x3}), softmax averaged over all of them.
 */
public record Views(int clips, int crops) {
    public Views {
        if (clips < 1 || crops < 1) {
            throw new IllegalArgumentException("--views needs at least one clip and one crop, got " + clips + "x" + crops);
        }
    }

    public static Views parse(String value) {
        String[] parts = value.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                return new Views(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--views must be CLIPSxCROPS, e.g. 2x3 (temporal clips x spatial crops), got '"
                + value + "'");
    }

    public int count() {
        return clips * crops;
    }

    @Override
    public String toString() {
        return clips + "x" + crops;
    }
}
