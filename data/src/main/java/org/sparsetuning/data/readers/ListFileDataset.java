package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;

/**
 * Images named in a list file, one {@code relative/path label} per line (the VTAB-1k files
 * {@code train800.txt}, {@code val200.txt}, {@code train800val200.txt}, {@code test.txt}): the label is the
 * last whitespace-separated token, so paths may contain spaces; paths are relative to a root folder; blank
 * lines are skipped. Any other malformed line fails the whole file with {@code file:line}. Images are
 * decoded on each {@link #get}; a missing or corrupt one is reported with its list line.
 */
public final class ListFileDataset implements Dataset {
    /**
     * The largest label accepted (ImageNet-21k, the largest common label set, has 21 841 classes). Without given
     * class names the labels imply "0"…"max", so a corrupt label must not be able to ask for billions of names.
     */
    public static final int MAX_LABEL = 99_999;

    private final Path root;
    private final Path listFile;
    private final List<Path> files;
    private final int[] lines;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param classNames names by label, or null for "0"…"K−1" with K = largest label + 1 (pass the
     *                   training list's names to a test list that may lack the last classes)
     */
    public ListFileDataset(Path root, Path listFile, List<String> classNames) throws IOException {
        List<String> text = DataFiles.lines(listFile, "list file");
        this.root = root;
        this.listFile = listFile;
        List<Path> paths = new ArrayList<>();
        List<Integer> lineNos = new ArrayList<>();
        List<Integer> labs = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int badCount = 0;
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int cut = lastWhitespace(line);
            Integer label = cut < 0 ? null : parseLabel(line.substring(cut + 1));
            if (label == null) {
                if (badCount++ < 3) {
                    bad.add(listFile + ":" + (i + 1) + ": expected 'relative/path label' (label an integer from 0 to " + MAX_LABEL + "), got '" + line + "'");
                }
                continue;
            }
            try {
                paths.add(root.resolve(line.substring(0, cut).strip()));
            } catch (InvalidPathException e) {
                throw new DataFileException(listFile + ":" + (i + 1) + ": '" + line.substring(0, cut).strip()
                        + "' is not a valid path (" + e.getReason() + ")", e);
            }
            lineNos.add(i + 1);
            labs.add(label);
        }
        if (badCount > 0) {
            throw new DataFileException(String.join("; ", bad) + (badCount > bad.size() ? " (and " + (badCount - bad.size())
                    + " more bad lines)" : ""));
        }
        if (paths.isEmpty()) {
            throw new DataFileException(listFile + ": no entries (expected lines 'relative/path label')");
        }
        this.files = List.copyOf(paths);
        this.lines = lineNos.stream().mapToInt(Integer::intValue).toArray();
        this.labels = labs.stream().mapToInt(Integer::intValue).toArray();
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        if (classNames != null && max >= classNames.size()) {
            int at = 0;
            while (labels[at] < classNames.size()) {
                at++;
            }
            throw new DataFileException(listFile + ":" + lines[at] + ": label " + labels[at] + ", but there are only "
                    + classNames.size() + " classes");
        }
        this.classNames = classNames != null ? List.copyOf(classNames) : DataFiles.numberedClasses(max + 1);
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Integer parseLabel(String token) {
        try {
            int v = Integer.parseInt(token);
            return v >= 0 && v <= MAX_LABEL ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The image file of example {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    /** Where example {@code index} is listed, as {@code listFile:line}. */
    public String where(int index) {
        return listFile + ":" + lines[index];
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public Sample get(int index) throws IOException {
        return ImageDecoder.decode(files.get(index), label(index), files.get(index) + " (listed at " + where(index) + ")");
    }

    @Override
    public String source() {
        return listFile + " (images under " + root + ")";
    }
}
