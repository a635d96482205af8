package dev.pagealloc.workloads;

/**
 * A machine description that cannot be used, with where and what was expected, as one line:
 * {@code file:line: message}. The CLI prints it and exits with status 2.
 */
public final class MachineFileException extends IllegalArgumentException {
    public MachineFileException(String where, int line, String message) {
        super(line > 0 ? where + ":" + line + ": " + message : where + ": " + message);
    }
}
