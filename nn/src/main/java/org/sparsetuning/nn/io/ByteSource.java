package org.sparsetuning.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where element bytes come from: a region of a file read by position, or a stream (a zip entry). */
interface ByteSource {
    /** Fills {@code dst} up to its limit, or throws {@link EOFException} if the bytes run out first. */
    void readFully(ByteBuffer dst) throws IOException;

    /** Reads the file from {@code position} on, without moving the channel's own position. */
    static ByteSource of(FileChannel channel, long position) {
        return new ByteSource() {
            private long pos = position;

            @Override
            public void readFully(ByteBuffer dst) throws IOException {
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, pos);
                    if (n < 0) {
                        throw new EOFException();
                    }
                    pos += n;
                }
            }
        };
    }

    /** Reads a stream into heap buffers. */
    static ByteSource of(InputStream in) {
        return dst -> {
            while (dst.hasRemaining()) {
                int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n < 0) {
                    throw new EOFException();
                }
                dst.position(dst.position() + n);
            }
        };
    }
}
