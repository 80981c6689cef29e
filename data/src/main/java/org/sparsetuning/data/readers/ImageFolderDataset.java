package org.sparsetuning.data.readers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;

/**
 * One sub-folder per class, as torchvision's {@code ImageFolder}: classes are the sub-folder names sorted,
 * labelled 0…K−1 in that order; each class's images are found recursively (symbolic links followed),
 * folders in path order and files by name within a folder. Files are chosen by extension (case-insensitive):
 * {@code .jpg .jpeg .png .bmp .tif .tiff}; other files are ignored, with one warning per dataset that counts
 * them and names the first, except image formats torchvision
 * accepts but javax.imageio cannot read ({@code .webp .ppm .pgm}), which are an error rather than data
 * quietly left out. Hidden files and folders (name starting with a dot, e.g. macOS "._x.jpg" forks) are
 * ignored. Images are decoded by {@link ImageDecoder} on each {@link #get}.
 */
public final class ImageFolderDataset implements Dataset {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff");
    private static final Set<String> UNREADABLE = Set.of("webp", "ppm", "pgm");
    /** The image extensions, sorted, as error messages and the warning list them. */
    private static final String EXTENSION_LIST = String.join(", ", EXTENSIONS.stream().sorted().toList());
    private static final Logger LOG = Logger.getLogger(ImageFolderDataset.class.getName());

    private final Path root;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;

    /** Classes are the sub-folders of {@code root}. */
    public ImageFolderDataset(Path root) throws IOException {
        this(root, null);
    }

    /**
     * With a fixed class list (e.g. the training set's, for a validation folder): every sub-folder must be
     * one of the names; a class without a folder just has no examples.
     */
    public ImageFolderDataset(Path root, List<String> classNames) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataFileException(root + ": not a folder (an ImageFolder dataset is a folder with one sub-folder per class)");
        }
        this.root = root;
        List<String> folders;
        try (Stream<Path> s = Files.list(root)) {
            folders = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
        }
        boolean fromFolders = classNames == null;
        if (fromFolders) {
            if (folders.isEmpty()) {
                throw new DataFileException(root + ": no class sub-folders (expected one sub-folder of images per class)");
            }
            classNames = folders;
        } else {
            for (String f : folders) {
                if (!classNames.contains(f)) {
                    throw new DataFileException(root.resolve(f) + ": folder '" + f + "' is not one of the " + classNames.size()
                            + " classes " + classNames);
                }
            }
        }
        this.classNames = List.copyOf(classNames);
        List<Path> found = new ArrayList<>();
        List<Integer> lab = new ArrayList<>();
        List<Path> ignored = new ArrayList<>();
        for (int c = 0; c < this.classNames.size(); c++) {
            Path dir = root.resolve(this.classNames.get(c));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> images = imagesUnder(dir, ignored);
            if (images.isEmpty() && fromFolders) {
                throw new DataFileException(dir + ": no image files (" + EXTENSION_LIST + ") for class '" + this.classNames.get(c) + "'");
            }
            for (Path p : images) {
                found.add(p);
                lab.add(c);
            }
        }
        if (found.isEmpty()) {
            throw new DataFileException(root + ": no image files in any class folder");
        }
        if (!ignored.isEmpty()) {
            Path first = Collections.min(ignored, Comparator.comparing(Path::toString));
            LOG.warning(root + ": ignored " + ignored.size() + " file" + (ignored.size() == 1 ? "" : "s")
                    + " in class folders that are not images by extension (" + EXTENSION_LIST + "), the first " + first);
        }
        this.files = List.copyOf(found);
        this.labels = lab.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The images under a class folder, in torchvision's order; other regular files are added to {@code ignored}. */
    private static List<Path> imagesUnder(Path classDir, List<Path> ignored) throws IOException {
        Map<Path, List<Path>> byFolder = new HashMap<>();
        // Files.walk detects a link that leads back to a folder above it, but reports it (and any other failure
        // while walking) as an UncheckedIOException; it is turned into a message naming the loop.
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (hidden(classDir, p) || !Files.isRegularFile(p)) {
                    continue;
                }
                String ext = extension(p);
                if (UNREADABLE.contains(ext)) {
                    throw new DataFileException(p + ": ." + ext + " images cannot be decoded by javax.imageio; convert them "
                            + "to PNG or JPEG (for instance with ImageMagick's mogrify -format png)");
                }
                if (EXTENSIONS.contains(ext)) {
                    byFolder.computeIfAbsent(p.getParent(), k -> new ArrayList<>()).add(p);
                } else {
                    ignored.add(p);
                }
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new DataFileException(loop.getFile() + ": symbolic link loop: it leads back to a folder above it "
                        + "(in class folder " + classDir + "); remove the link or point it elsewhere", loop);
            }
            throw new DataFileException(classDir + ": cannot list the class folder (" + e.getCause().getMessage() + ")", e.getCause());
        }
        List<Path> out = new ArrayList<>();
        byFolder.keySet().stream().sorted(Comparator.comparing(Path::toString)).forEach(folder -> {
            List<Path> inFolder = byFolder.get(folder);
            inFolder.sort(Comparator.comparing(p -> p.getFileName().toString()));
            out.addAll(inFolder);
        });
        return out;
    }

    /** Whether any name between the class folder and {@code p} starts with a dot. */
    private static boolean hidden(Path classDir, Path p) {
        for (Path part : classDir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The file of example {@code index}. */
    public Path file(int index) {
        return files.get(index);
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
        return ImageDecoder.decode(files.get(index), label(index));
    }

    @Override
    public String source() {
        return root.toString();
    }
}
