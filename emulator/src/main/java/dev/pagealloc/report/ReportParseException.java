package dev.pagealloc.report;

/** Input that holds no report that can be read, with the line where reading stopped. */
public final class ReportParseException extends IllegalArgumentException {
    private final int line;

    public ReportParseException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** 1-based line number, or 0 when the problem is the input as a whole. */
    public int line() {
        return line;
    }
}
