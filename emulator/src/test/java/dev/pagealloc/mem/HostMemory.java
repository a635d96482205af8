package dev.pagealloc.mem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: what the host says about this process, from {@code /proc/self}. */
final class HostMemory {

    private HostMemory() {}

    /** Resident set size in bytes, the {@code VmRSS:} line of {@code /proc/self/status}. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }

    /** Whether some line of {@code /proc/self/maps} starts at {@code address}. */
    static boolean isMapped(long address) {
        String prefix = Long.toHexString(address) + "-";
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.startsWith(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hasProcfs() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }
}
