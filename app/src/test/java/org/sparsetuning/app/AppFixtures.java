package org.sparsetuning.app;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.sparsetuning.tensor.random.Generator;

/** Small data sets written to disk by the tests, a tiny model configuration, and a way to run the command line. */
public final class AppFixtures {
    static final List<String> CLASSES = List.of("red", "green", "blue");

    private AppFixtures() {
    }

    public record Run(int code, String out, String err) {
    }

    public static Run run(String... argv) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(argv);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A 16 px RGB model: patch 4 (16 tokens), width 16, depth 4, TS at layers 2 and 3 (rho 0.5), d' 4. */
    public static Path config(Path dir) throws IOException {
        Path f = dir.resolve("tiny.json");
        Files.writeString(f, "{\"img_size\": 16, \"patch_size\": 4, \"in_chans\": 3, \"embed_dim\": 16, \"depth\": 4, "
                + "\"num_heads\": 2, \"mlp_ratio\": 2.0, \"num_classes\": 3, \"adapter_dim\": 4, \"keep_rate\": 0.5, "
                + "\"ts_layers\": [2, 3], \"method\": \"sparse-tuning\"}");
        return f;
    }

    /** An RGB image of {@code size} pixels whose dominant channel is the class (plus noise), as PNG. */
    static Path png(Path file, int label, int size, long seed) throws IOException {
        float[] noise = new Generator(seed).uniform(size * size * 3, 0, 0.4);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int[] c = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    double v = (ch == label ? 0.6 : 0.0) + noise[(y * size + x) * 3 + ch];
                    c[ch] = (int) Math.round(255 * Math.min(1, v));
                }
                img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** {@code root/train/CLASS/*.png} and {@code root/val/CLASS/*.png}, images of 20 px (resized to 16 by the model). */
    public static Path imageFolder(Path root, int trainPerClass, int valPerClass) throws IOException {
        long seed = 0;
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < trainPerClass; i++) {
                png(root.resolve("train").resolve(CLASSES.get(c)).resolve("img" + i + ".png"), c, 20, seed++);
            }
            for (int i = 0; i < valPerClass; i++) {
                png(root.resolve("val").resolve(CLASSES.get(c)).resolve("img" + i + ".png"), c, 20, seed++);
            }
        }
        return root;
    }

    /** CIFAR-10 binary files: {@code data_batch_1.bin} and {@code test_batch.bin}, labels 0–2 cycling, colour by label. */
    static Path cifar10(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), cifarRecords(train, 1));
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(test, 2));
        return dir;
    }

    private static byte[] cifarRecords(int n, long seed) {
        float[] noise = new Generator(seed).uniform(n * 3072, 0, 0.4);
        byte[] out = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            out[i * 3073] = (byte) label;
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < 1024; p++) {
                    double v = (ch == label ? 0.6 : 0) + noise[i * 3072 + ch * 1024 + p];
                    out[i * 3073 + 1 + ch * 1024 + p] = (byte) Math.round(255 * Math.min(1, v));
                }
            }
        }
        return out;
    }

    /**
     * A stand-in for Fashion-MNIST: the four IDX files, 28×28 grey, 10 classes, {@code perClass} training and
     * {@code testPerClass} test images of each (brightness by class, plus noise).
     */
    public static Path fashionMnist(Path dir, int perClass, int testPerClass) throws IOException {
        Files.createDirectories(dir);
        writeIdx(dir, "train", perClass, 3);
        writeIdx(dir, "t10k", testPerClass, 4);
        return dir;
    }

    private static void writeIdx(Path dir, String prefix, int perClass, long seed) throws IOException {
        int n = perClass * 10;
        float[] noise = new Generator(seed).uniform(n * 784, 0, 0.3);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream im = new DataOutputStream(images); DataOutputStream lb = new DataOutputStream(labels)) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(28);
            im.writeInt(28);
            lb.writeInt(0x801);
            lb.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % 10;
                lb.writeByte(label);
                for (int p = 0; p < 784; p++) {
                    im.writeByte((int) Math.round(255 * Math.min(1, label * 0.07 + noise[i * 784 + p])));
                }
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
    }
}
