package org.sparsetuning.app.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;

/**
 * A console consumer that knows whether it has ended its line. progressbar 0.10 ends the line from its final
 * update only when the bar had already been drawn once; a bar closed before its first scheduled draw (a run that
 * fails at once) is drawn without a line end, and the next message lands on the bar's line. {@link #endLine}
 * finishes the line in that case, and does nothing otherwise.
 */
public final class LineEndingConsumer extends ConsoleProgressBarConsumer {
    private volatile boolean closed;

    public LineEndingConsumer(PrintStream out, int width) {
        super(out, width);
    }

    @Override
    public void close() {
        closed = true;
        super.close();
    }

    /** Ends the bar's line if the library has not (call after the bar's own close). */
    public void endLine() {
        if (!closed) {
            close();
        }
    }
}
