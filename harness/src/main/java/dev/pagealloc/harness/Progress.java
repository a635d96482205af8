package dev.pagealloc.harness;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A progress bar on stderr, shown only on a terminal: in a pipe, a CI log or a test it does nothing, so captured output
 * stays free of carriage returns. {@link #stepTo} is one plain store, cheap enough to call once per event; a daemon
 * thread redraws the line every 100 ms and {@link #close} erases it.
 *
 * <p>Not me.tongfei:progressbar: through JLine's exec provider it forks {@code stty} about 27 times a second to learn
 * the terminal width. This bar stays under 80 columns instead.
 */
public final class Progress implements AutoCloseable {
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BAR = 20;
    private static final int TASK = 20;
    private static final VarHandle POSITION;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(Progress.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String task;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final boolean shown;
    private Thread painter;
    private volatile boolean closed;
    /** Written by the caller with opaque stores (no fence), read by the painter. */
    private long position;

    private Progress(String task, long total, boolean shown) {
        this.task = task.length() > TASK ? task.substring(0, TASK) : task;
        this.total = total;
        this.shown = shown;
    }

    /** A bar for {@code total} steps ({@code <= 0}: unknown), or a no-op when stderr is not a terminal. */
    public static Progress start(String task, long total) {
        Progress p = new Progress(task, total, onTerminal());
        if (p.shown) {
            p.painter = Thread.ofPlatform().daemon().name("pagealloc-progress").start(p::paint);
        }
        return p;
    }

    /**
     * Whether a bar can be drawn. {@link Console#isTerminal()} tells about stdin and stdout; no JDK call tells about
     * stderr itself, so {@code 2>file} on a terminal still gets the bar.
     */
    static boolean onTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    public void stepTo(long position) {
        if (shown) {
            POSITION.setOpaque(this, position);
        }
    }

    @Override
    public void close() {
        if (!shown || closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(painter);
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.print("\r\033[K");
        System.err.flush();
    }

    private void paint() {
        while (!closed) {
            // \033[K erases what a longer previous line left behind.
            System.err.print("\r" + line(task, (long) POSITION.getOpaque(this), total, System.nanoTime() - startNanos)
                    + "\033[K");
            System.err.flush();
            LockSupport.parkNanos(INTERVAL_NANOS);
        }
    }

    /** E.g. {@code replay  42% [========>           ] 1.2M/2.9M 0:12 ETA 0:17}, at most 79 columns. */
    static String line(String task, long position, long total, long elapsedNanos) {
        if (total <= 0) {
            return task + " " + count(position) + " " + clock(elapsedNanos);
        }
        long p = Math.clamp(position, 0, total);
        int filled = (int) (p * BAR / total);
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        String eta = p > 0 && p < total ? " ETA " + clock((long) ((double) elapsedNanos * (total - p) / p)) : "";
        return String.format(Locale.ROOT, "%s %3d%% [%s] %s/%s %s%s",
                task, (int) (p * 100 / total), bar, count(p), count(total), clock(elapsedNanos), eta);
    }

    private static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private static String clock(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
