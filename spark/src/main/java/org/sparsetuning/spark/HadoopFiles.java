package org.sparsetuning.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Files named by Hadoop paths (file:, hdfs:, s3a: or a plain local path), read through Hadoop's file systems so
 * the spark commands take whatever the cluster can reach.
 */
final class HadoopFiles {
    /** Local copies of remote files, one per path and JVM (an executor copies a backbone once). */
    private static final Map<String, Path> LOCAL_COPIES = new ConcurrentHashMap<>();

    private HadoopFiles() {
    }

    static org.apache.hadoop.fs.Path path(String p) {
        return new org.apache.hadoop.fs.Path(p);
    }

    static FileSystem fs(String p, Configuration conf) throws IOException {
        return path(p).getFileSystem(conf);
    }

    static boolean isDirectory(String p, Configuration conf) throws IOException {
        return fs(p, conf).isDirectory(path(p));
    }

    static boolean exists(String p, Configuration conf) throws IOException {
        return fs(p, conf).exists(path(p));
    }

    /** A whole file's bytes; the message names the file when it is missing or cannot be read. */
    static byte[] read(String p, Configuration conf) throws IOException {
        try (InputStream in = fs(p, conf).open(path(p))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new java.nio.file.NoSuchFileException(p + ": not found");
        }
    }

    /** True for paths the local file system serves directly (no scheme, or file:). */
    static boolean isLocal(String p) {
        String scheme = path(p).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /**
     * A local file with the content of {@code p}: the file itself when it is local, otherwise a copy made once per
     * JVM in a temporary folder (Checkpoints reads backbones from local files).
     */
    static Path local(String p, Configuration conf) throws IOException {
        if (isLocal(p)) {
            return Path.of(path(p).toUri().getPath());
        }
        try {
            return LOCAL_COPIES.computeIfAbsent(p, k -> {
                try {
                    String name = path(k).getName();
                    Path dir = Files.createTempDirectory("sparse-tune-copy");
                    dir.toFile().deleteOnExit();
                    Path target = dir.resolve(name);
                    try (InputStream in = fs(k, conf).open(path(k))) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    target.toFile().deleteOnExit();
                    return target;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(p + ": cannot copy to the local disk (" + e.getCause().getMessage() + ")", e.getCause());
        }
    }
}
