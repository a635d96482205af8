package dev.pagealloc.workloads.event;

/**
 * Malformed workload input: one line {@code file:line: what was expected}, which the CLI prints
 * as is with exit status 2. Line 0 means the position is not a line (a binary offset is then in
 * the message).
 */
public final class WorkloadFormatException extends IllegalArgumentException {
    private final String file;
    private final long line;

    public WorkloadFormatException(String file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }
}
