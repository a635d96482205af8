package dev.pagealloc.workloads;

/**
 * The text of a job file, for error messages: finds the 1-based line of a key at the top level or
 * inside the n-th {@code [[phase]]} table (0 when it cannot be placed).
 */
record JobSource(String text, String where) {
    /** {@code phase} -1: the top level; otherwise the index of the {@code [[phase]]} table. */
    MachineFileException error(int phase, String key, String msg) {
        return new MachineFileException(where, line(phase, key), msg);
    }

    int line(int phase, String key) {
        String[] lines = text.split("\n", -1);
        int section = -1; // -1 top level, n the n-th [[phase]], -2 any other table
        int header = 0;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.startsWith("[")) {
                String h = t.replaceAll("\\s+", "");
                if (h.startsWith("[[phase]]")) {
                    section = section < 0 ? countPhasesBefore(lines, i) : section + 1;
                    if (section == phase) {
                        header = i + 1;
                        if (key == null) {
                            return header;
                        }
                    }
                } else {
                    if (phase == -1 && key != null && (h.startsWith("[" + key + "]") || h.startsWith("[[" + key + "]]"))) {
                        return i + 1;
                    }
                    section = -2;
                }
                continue;
            }
            if (section == phase && key != null && (t.startsWith(key + " ") || t.startsWith(key + "=")
                    || t.startsWith(key + "\t") || t.startsWith(key + "."))) {
                return i + 1;
            }
        }
        return header;
    }

    private static int countPhasesBefore(String[] lines, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (lines[i].strip().replaceAll("\\s+", "").startsWith("[[phase]]")) {
                n++;
            }
        }
        return n;
    }
}
