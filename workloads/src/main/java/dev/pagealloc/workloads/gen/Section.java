package dev.pagealloc.workloads.gen;

/**
 * One parsed section of a job: its name, kind, place in the file, the keys every kind has
 * ({@code cpu}, {@code start_ms}, {@code stop_ms}) and the kind's own settings, ready to make a
 * {@link Generator} when the job is opened.
 *
 * @param cpu the section's {@code cpu}, or -1 for the kind's default
 * @param stopNs Long.MAX_VALUE when the section has no {@code stop_ms}
 */
record Section(String name, Kind kind, int index, Params params, long startNs, long stopNs, int cpu, Factory factory) {
    /** Makes the running generator of a section on a machine. */
    @FunctionalInterface
    interface Factory {
        Generator create(GenSource out, Section s, GenContext ctx, int cpu);
    }

    /** {@code name:kind}, as {@link GenJob#sections()} lists it. */
    String label() {
        return name + ":" + kind.id;
    }
}
