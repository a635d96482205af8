package dev.pagealloc.workloads.gen;

/**
 * The text of a generator job file, for error messages: the 1-based line of a key inside a
 * {@code [section]} table (or at the top level), 0 when it cannot be placed. The same approach as
 * {@code JobSource} for {@code [[phase]]} jobs; plain tables only, which is all this format has.
 */
final class TomlLines {
    private final String[] lines;

    TomlLines(String text) {
        this.lines = text.split("\n", -1);
    }

    /**
     * The line of {@code key} in table {@code section} ({@code null}: the top level, before any
     * table); with {@code key} null, the line of the table header. For {@code "global"} a key
     * written at the top level is found too.
     */
    int line(String section, String key) {
        int found = find(section, key);
        if (found == 0 && "global".equals(section) && key != null) {
            found = find(null, key);
        }
        if (found == 0 && key != null && section != null) {
            found = find(section, null);
        }
        return found;
    }

    private int find(String section, String key) {
        String current = null; // null: top level
        for (int i = 0; i < lines.length; i++) {
            String t = stripComment(lines[i]).strip();
            if (t.startsWith("[")) {
                current = header(t);
                if (key == null && section != null && section.equals(current)) {
                    return i + 1;
                }
                continue;
            }
            if (key != null && same(section, current) && isKey(t, key)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static boolean isKey(String t, String key) {
        String k = t;
        if (k.startsWith("\"") && k.length() > 1) {
            int end = k.indexOf('"', 1);
            if (end > 0) {
                k = k.substring(1, end) + k.substring(end + 1);
            }
        }
        if (!k.startsWith(key)) {
            return false;
        }
        String rest = k.substring(key.length()).stripLeading();
        return rest.startsWith("=") || rest.startsWith(".");
    }

    private static String header(String t) {
        String h = t.replaceAll("\\s+", "");
        if (h.startsWith("[[")) {
            int end = h.indexOf("]]");
            return end > 2 ? h.substring(2, end) : h;
        }
        int end = h.indexOf(']');
        String name = end > 1 ? h.substring(1, end) : h;
        if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1);
        }
        return name;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
