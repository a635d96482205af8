package dev.pagealloc.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel release as {@code uname -r} prints it, as a failure report's {@code Not tainted} /
 * {@code Tainted:} line names it, or as a user types it: {@code 6.1}, {@code 6.1.192},
 * {@code 6.1.0-57-amd64}, {@code 2.6.32-41-server}, {@code 4.9.0-0.rc8.git2.1.fc26.x86_64},
 * {@code 6.12.117+deb12-amd64}, {@code v6.1}. The one parser of release strings: the kernel
 * registry, the GFP tables, the report explainer and the workload generators all read releases
 * through {@link #parse}.
 *
 * <p>Only the leading {@code major.minor[.patch]} is read (leading blanks and a {@code v} are
 * allowed); what follows, a distribution's ABI number or flavour, is kept in {@link #text} and
 * otherwise ignored. Debian's {@code 6.1.0-57-amd64} has patch 0: its upstream version is in the
 * package version (6.1.192), not in the release string.
 *
 * @param major e.g. 2 or 6
 * @param minor e.g. 6 or 1
 * @param patch e.g. 32; 0 when the text has none
 * @param text the text as given, stripped
 */
public record KernelRelease(int major, int minor, int patch, String text) implements Comparable<KernelRelease> {
    private static final Pattern RELEASE =
            Pattern.compile("^\\s*[vV]?(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?(?!\\d)");

    /**
     * Reads the release at the start of {@code text}.
     *
     * @throws IllegalArgumentException when {@code text} is null or does not start with
     *     {@code major.minor}
     */
    public static KernelRelease parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(
                    "no kernel release (expected e.g. 2.6.32-41-server, 6.1 or 6.1.0-17-amd64)");
        }
        Matcher m = RELEASE.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("'" + text + "' is not a kernel version"
                    + " (expected major.minor first, e.g. 2.6.32-41-server, 4.19.0, 6.1 or 6.12.117+deb12-amd64)");
        }
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), text.strip());
    }

    /** The release {@code major.minor.patch} with no suffix. */
    public static KernelRelease of(int major, int minor, int patch) {
        return new KernelRelease(major, minor, patch, patch > 0 ? major + "." + minor + "." + patch : major + "." + minor);
    }

    /** This release or a later one of {@code major.minor}. */
    public boolean atLeast(int maj, int min) {
        return major != maj ? major > maj : minor >= min;
    }

    /** This release or a later one of {@code major.minor.patch}. */
    public boolean atLeast(int maj, int min, int pat) {
        if (major != maj) {
            return major > maj;
        }
        return minor != min ? minor > min : patch >= pat;
    }

    /** {@code major × 100 + minor}: 206 for 2.6.x, 601 for 6.1, for table lookups by series. */
    public int series() {
        return major * 100 + minor;
    }

    /** Release order by major, minor and patch; the suffix does not count. */
    @Override
    public int compareTo(KernelRelease o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return text;
    }
}
