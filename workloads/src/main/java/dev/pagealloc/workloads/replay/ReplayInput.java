package dev.pagealloc.workloads.replay;

import dev.pagealloc.workloads.Job;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.gen.GenContext;
import dev.pagealloc.workloads.gen.GenJob;
import dev.pagealloc.workloads.pgw.PgwReader;
import dev.pagealloc.workloads.trace.TraceOptions;
import dev.pagealloc.workloads.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code pagealloc replay WORKLOAD} was given, resolved: a generator job (a bundled name or
 * a TOML file without {@code [[phase]]} tables), a phase job (the older {@code [[phase]]} format,
 * run by {@link dev.pagealloc.workloads.JobRunner}), a {@code .pgw} file or a trace text file. It
 * records what outputs must name: the kind, the argument as given and the SHA-256 of the bytes read.
 */
public sealed interface ReplayInput {
    /** {@code job}, {@code phase-job}, {@code pgw} or {@code trace}. */
    String kind();

    /** The argument as the user gave it (a bundled job's name, or a path). */
    String name();

    /** SHA-256 of the input's bytes (the job file's text, or the file). */
    String sha256();

    /** A generator job, opened on a machine by {@link GenJob#open(GenContext)}. */
    record GeneratorJob(String name, String sha256, GenJob job) implements ReplayInput {
        public String kind() {
            return "job";
        }
    }

    /** An older phase job for {@link dev.pagealloc.workloads.JobRunner}. */
    record PhaseJob(String name, String sha256, Job job) implements ReplayInput {
        public String kind() {
            return "phase-job";
        }
    }

    /** A recorded workload file, {@code .pgw} or trace text. */
    record Recorded(String kind, String name, String sha256, Path file, TraceOptions options) implements ReplayInput {
        /** A streaming source over the file. */
        public EventSource open() {
            if (!kind.equals("pgw")) {
                return TraceReader.open(file, options);
            }
            try {
                return PgwReader.open(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
            }
        }
    }

    /**
     * Resolves {@code arg}: a bundled job name, a {@code .toml} job file, a {@code .pgw} file, or a
     * trace file. {@code overrides} apply to generator jobs only.
     *
     * @throws IllegalArgumentException one line naming what is wrong
     */
    static ReplayInput resolve(String arg, List<String> overrides, TraceOptions options) {
        if (Job.BUNDLED.contains(arg)) {
            noOverrides(arg, overrides);
            Job j = Job.bundled(arg);
            return new PhaseJob(arg, sha256(resource(arg)), j);
        }
        if (GenJob.BUNDLED.contains(arg)) {
            byte[] text = resource(arg);
            return new GeneratorJob(arg, sha256(text), GenJob.parse(new String(text, StandardCharsets.UTF_8),
                    "jobs/" + arg + ".toml", arg, overrides));
        }
        Path p = Path.of(arg);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(arg + ": no such file (expected a trace, a .pgw file, a job .toml, "
                    + "or a bundled job: " + String.join(", ", bundled()) + ")");
        }
        byte[] head = head(p);
        if (arg.endsWith(".toml")) {
            String text = read(p);
            String stem = p.getFileName().toString().replaceFirst("\\.toml$", "");
            if (GenJob.isGenJob(text)) {
                return new GeneratorJob(arg, sha256(text.getBytes(StandardCharsets.UTF_8)),
                        GenJob.parse(text, arg, stem, overrides));
            }
            noOverrides(arg, overrides);
            return new PhaseJob(arg, sha256(text.getBytes(StandardCharsets.UTF_8)), Job.parse(text, arg, stem));
        }
        noOverrides(arg, overrides);
        boolean pgw = head.length >= 4 && head[0] == 'P' && head[1] == 'G' && head[2] == 'W' && head[3] == '1';
        return new Recorded(pgw ? "pgw" : "trace", arg, sha256(p), p, options);
    }

    /** The bundled jobs of both formats. */
    static List<String> bundled() {
        java.util.ArrayList<String> l = new java.util.ArrayList<>(GenJob.BUNDLED);
        l.addAll(Job.BUNDLED);
        return l;
    }

    private static void noOverrides(String arg, List<String> overrides) {
        if (!overrides.isEmpty()) {
            throw new IllegalArgumentException("--set " + overrides.get(0) + ": " + arg
                    + " is not a generator job (expected --set only with a job file that has [global] and sections)");
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReplayInput.class.getResourceAsStream("/dev/pagealloc/workloads/jobs/" + name + ".toml")) {
            if (in == null) {
                throw new IllegalStateException("job " + name + " missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] head(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(p + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read: " + e.getMessage());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static String sha256(Path p) {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read: " + e.getMessage());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
