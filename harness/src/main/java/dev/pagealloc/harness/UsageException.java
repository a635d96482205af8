package dev.pagealloc.harness;

/**
 * A bad input the user can fix: a malformed line, an unknown value, an impossible machine. The
 * command line prints {@code pagealloc: <message>} on one line and exits with status 2, without a
 * stack trace (DESIGN §6). The message names what was wrong and where ("trace.txt:12: ...").
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
