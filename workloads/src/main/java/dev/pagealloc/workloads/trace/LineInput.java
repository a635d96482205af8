package dev.pagealloc.workloads.trace;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Lines of a byte stream, read into one reused buffer (no object per line): the caller parses
 * {@code buf()[start(), end())} in place. A gzip stream (magic {@code 1f 8b}) is inflated
 * transparently. Memory is bounded by the longest line: the buffer grows up to
 * {@link #MAX_LINE}; a longer line is returned cut at that length with {@link #overlong()} set,
 * and the rest of it is skipped.
 */
final class LineInput implements Closeable {
    static final int MAX_LINE = 1 << 20;
    private static final int INITIAL = 1 << 16;

    private final InputStream in;
    private final Counting raw;
    private final boolean gzip;
    private byte[] buf = new byte[INITIAL];
    private int pos;          // first unread byte
    private int limit;        // end of valid data
    private int scanned;      // bytes in [pos, scanned) are known to hold no '\n'
    private long base;        // stream offset of buf[0] (plain input)
    private boolean eof;
    private boolean skipping; // inside the tail of an overlong line
    private int start;
    private int end;
    private boolean overlong;

    LineInput(InputStream source) throws IOException {
        this.raw = new Counting(source);
        BufferedInputStream peek = new BufferedInputStream(raw, 2);
        peek.mark(2);
        int b0 = peek.read();
        int b1 = peek.read();
        peek.reset();
        this.gzip = b0 == 0x1f && b1 == 0x8b;
        this.in = gzip ? new GZIPInputStream(peek, INITIAL) : peek;
    }

    byte[] buf() {
        return buf;
    }

    /** The current line, without its {@code \n} or {@code \r\n}. */
    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Whether the current line was longer than {@link #MAX_LINE} and has been cut. */
    boolean overlong() {
        return overlong;
    }

    /**
     * Bytes consumed: for plain text the offset after the current line, for gzip the compressed
     * bytes read so far (the unit of the file size either way).
     */
    long position() {
        return gzip ? raw.count : base + pos;
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        overlong = false;
        while (true) {
            int nl = indexOfNewline(Math.max(scanned, pos), limit);
            if (nl >= 0) {
                if (skipping) {
                    skipping = false;
                    pos = nl + 1;
                    scanned = pos;
                    continue;
                }
                setLine(pos, nl);
                pos = nl + 1;
                scanned = pos;
                return true;
            }
            scanned = limit;
            if (eof) {
                if (pos < limit && !skipping) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            if (skipping) {
                base += limit;
                pos = 0;
                limit = 0;
                scanned = 0;
            } else if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                scanned -= pos;
                pos = 0;
            } else if (limit == buf.length) {
                if (buf.length >= MAX_LINE) {
                    // Hand out the first MAX_LINE bytes, drop the rest of the line.
                    setLine(0, limit);
                    overlong = true;
                    skipping = true;
                    pos = limit;
                    scanned = limit;
                    return true;
                }
                buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    private void setLine(int s, int e) {
        start = s;
        end = e > s && buf[e - 1] == '\r' ? e - 1 : e;
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Counts the bytes read from the underlying (possibly compressed) stream. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }
}
