"""Writes Fashion-MNIST images as an ImageFolder tree of grayscale PNGs (train/ and val/, one folder per class),
for the Spark benchmarks: spark-predict reads image files through Spark's binaryFiles.

    python3 tools/spark/make_imagefolder.py OUT_DIR TRAIN_PER_CLASS VAL_PER_CLASS
"""
import gzip
import os
import struct
import sys
import zlib

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
SRC = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(SRC, name)) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def png(path, pixels, w, h):
    raw = b"".join(b"\x00" + pixels[y * w:(y + 1) * w] for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write(split, images, labels, per_class, out):
    (n, h, w), pix = images
    _, lab = labels
    counts = [0] * len(CLASSES)
    for i in range(n):
        c = lab[i]
        if counts[c] >= per_class:
            continue
        d = os.path.join(out, split, CLASSES[c])
        os.makedirs(d, exist_ok=True)
        png(os.path.join(d, "%05d.png" % i), pix[i * h * w:(i + 1) * h * w], w, h)
        counts[c] += 1
        if min(counts) >= per_class:
            break


def main():
    out, train, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    write("train", idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz"), train, out)
    write("val", idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz"), val, out)


if __name__ == "__main__":
    main()
