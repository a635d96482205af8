package dev.pagealloc.workloads.pgw;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Conversions between event sources and files: any source (a trace, a {@code .pgw} file, a
 * generator) to {@code .pgw} or to ftrace text. Files are written to a temporary file in the
 * target's directory and moved into place at the end, so an error never leaves a half-written
 * output behind.
 */
public final class Pgw {
    private Pgw() {}

    /** Pushes every event of {@code in} into {@code sink}; returns how many {@code advance} calls delivered one. */
    public static long pump(EventSource in, EventSink sink) {
        long n = 0;
        while (in.advance(sink)) {
            n++;
        }
        return n;
    }

    /**
     * Writes {@code in} to {@code out} as {@code .pgw}.
     *
     * @param provenance a free-form header string (for example the input's size and checksum), or null
     * @return the number of events written
     * @throws dev.pagealloc.workloads.event.WorkloadFormatException when {@code in} is malformed;
     *     {@code out} is then left as it was
     */
    public static long convert(EventSource in, Path out, String provenance) throws IOException {
        List<String> prov = provenance == null || provenance.isEmpty() ? List.of() : List.of(provenance);
        long[] events = new long[1];
        writeAtomically(out, os -> {
            // The era is asked for at the first record: a trace reader knows it by then.
            PgwWriter w = new PgwWriter(os, in.name(), () -> in.stats().era, prov);
            pump(in, w);
            events[0] = w.events();
            w.close();
        });
        return events[0];
    }

    /**
     * Writes {@code in} to {@code out} as {@code kernel}'s ftrace text ({@link PgwTextWriter});
     * returns the events written.
     */
    public static long convertToText(EventSource in, Path out, String comment, Kernel kernel) throws IOException {
        long[] events = new long[1];
        writeAtomically(out, os -> {
            PgwTextWriter w = new PgwTextWriter(new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8),
                    1 << 16), kernel);
            if (comment != null) {
                w.comment(comment);
            }
            events[0] = pump(in, w);
            w.close();
        });
        return events[0];
    }

    /** What {@link #writeAtomically} runs with the temporary file's stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Runs {@code body} on a buffered stream onto a temporary file next to {@code out}, then moves
     * it onto {@code out} (atomically where the file system can). On any exception the temporary
     * file is deleted and {@code out} is untouched. {@code body} may close the stream.
     */
    public static void writeAtomically(Path out, Body body) throws IOException {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean ok = false;
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(os);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
