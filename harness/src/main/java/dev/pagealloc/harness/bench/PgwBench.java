package dev.pagealloc.harness.bench;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.pgw.PgwReader;
import dev.pagealloc.workloads.pgw.PgwSample;
import dev.pagealloc.workloads.pgw.PgwWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a 1M-event {@code .pgw} file held in memory ({@link PgwSample}'s kmem-trace-like
 * stream, about 5 MB) into a sink that only counts and sums what it is given. Scores are
 * nanoseconds per event ({@code @OperationsPerInvocation}): 1e9 / score is events per second.
 * {@code decode} reads the array in place; {@code decode_stream} goes through
 * {@link PgwReader}'s 1 MiB buffer from an input stream, as a file does. The CRC check at the end
 * is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class PgwBench {
    static final int EVENTS = 1_000_000;

    byte[] pgw;

    @Setup(Level.Trial)
    public void build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PgwWriter w = new PgwWriter(bytes, "PgwSample(1)", () -> "6.1", List.of())) {
            PgwSample.generate(1, EVENTS, w);
        }
        pgw = bytes.toByteArray();
    }

    /** Counts events and folds their ids, so the decoding cannot be optimised away. */
    static final class CountingSink implements EventSink {
        long events;
        long ids;

        @Override
        public void symbol(int sym, String text) {}

        @Override
        public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
            events++;
            ids += id + order + gfpSym;
            return true;
        }

        @Override
        public void free(long timeNs, int cpu, long id, int order) {
            events++;
            ids -= id;
        }

        @Override
        public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
            events++;
        }

        @Override
        public void processExit(long timeNs, int pid) {
            events++;
        }

        @Override
        public void anonFault(long timeNs, int cpu, int pid, long pages) {
            events++;
        }

        @Override
        public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
            events++;
        }

        @Override
        public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
            events++;
        }

        @Override
        public void fileDrop(long timeNs, long pages) {
            events++;
        }

        @Override
        public void marker(long timeNs, int kind, int nameSym) {
            events++;
        }
    }

    private static long drain(PgwReader r) {
        CountingSink s = new CountingSink();
        while (r.advance(s)) {
            // the sink does the work
        }
        if (s.events != EVENTS) {
            throw new IllegalStateException("decoded " + s.events + " events, expected " + EVENTS);
        }
        return s.ids + s.events;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decode() {
        return drain(PgwReader.of(pgw, "bench.pgw"));
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decode_stream() {
        return drain(new PgwReader(new ByteArrayInputStream(pgw), "bench.pgw", pgw.length));
    }
}
