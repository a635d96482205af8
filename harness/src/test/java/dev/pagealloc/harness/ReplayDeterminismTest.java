package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same replay prints the same bytes: three times in this JVM and once in another one (a hash
 * map's iteration order, {@code Map.of}'s among them, can change from one JVM to the next), for
 * each kernel, with failure reports, phases and /proc snapshots in the JSON. And the snapshots are
 * the kernel's own /proc files: a 6.1 replay's zoneinfo has the lines a real 6.1 zoneinfo has.
 */
class ReplayDeterminismTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private static String[] args(String kernel) {
        return new String[] {"replay", "nic-jumbo-nosg", "--machine", "x86_64-4g", "--kernel", kernel,
            "--set", "duration_ms=4500", "--snapshot-every", "1500", "--json"};
    }

    private static String replay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(0, cmd.execute(args), () -> "stderr: " + err);
        return out.toString();
    }

    /** The same command in a fresh JVM on this JVM's class path. */
    private static String replayInAnotherJvm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("pagealloc-replay-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), stderr);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.6.32", "6.1"})
    void theSameReplayPrintsTheSameBytesHereAndInAnotherJvm(String kernel) throws Exception {
        String first = replay(args(kernel));
        JsonNode root = JsonMapper.builder().build().readTree(first);
        assertFalse(root.get("phases").isEmpty(), "the generators' phases are in the JSON");
        assertFalse(root.get("snapshots").isEmpty(), "snapshots are in the JSON");
        for (JsonNode p : root.get("phases")) {
            assertEquals(List.of("time_ns", "name"), keys(p), "a phase's keys in their fixed order");
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(first, replay(args(kernel)), "run " + (i + 2) + " in this JVM");
        }
        assertEquals(first, replayInAnotherJvm(args(kernel)), "the same run in another JVM");
    }

    private static List<String> keys(JsonNode o) {
        List<String> k = new ArrayList<>();
        o.propertyNames().forEach(k::add);
        return k;
    }

    /**
     * The replay's snapshots print zoneinfo in the replayed kernel's format: a 6.1 snapshot has the
     * lines of a real 6.1 /proc/zoneinfo (boost, managed, cma, node_unreclaimable; no scanned,
     * which 6.1 does not print), checked against the x86_64 4 GiB capture of Debian's 6.1 kernel;
     * a 2.6.32 snapshot keeps 2.6.32's (scanned, no managed).
     */
    @Test
    void snapshotsArePrintedByTheReplayedKernel() throws IOException {
        JsonNode six = JsonMapper.builder().build().readTree(replay(args("6.1")));
        String zoneinfo61 = six.get("snapshots").get(0).get("zoneinfo").asString();
        String real = section(Files.readString(
                REPO.resolve("emulator/src/test/resources/fixtures/oracle-boots/x86_64-4G-smp2.txt")), "/proc/zoneinfo");
        assertEquals(labels(real), labels(zoneinfo61), "the labels of a real 6.1 x86_64 zoneinfo");
        assertTrue(zoneinfo61.contains("\n        boost    "), zoneinfo61);
        assertTrue(zoneinfo61.contains("\n        managed  "), zoneinfo61);
        assertFalse(zoneinfo61.contains("scanned"), zoneinfo61);

        JsonNode old = JsonMapper.builder().build().readTree(replay(args("2.6.32")));
        String zoneinfo2632 = old.get("snapshots").get(0).get("zoneinfo").asString();
        assertTrue(zoneinfo2632.contains("\n        scanned  "), zoneinfo2632);
        assertFalse(zoneinfo2632.contains("managed"), zoneinfo2632);
    }

    /** The distinct first words of a zoneinfo's lines (its field names), sorted. */
    private static TreeSet<String> labels(String zoneinfo) {
        TreeSet<String> s = new TreeSet<>();
        for (String line : zoneinfo.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                s.add(t.split("[\\s:(]+")[0]);
            }
        }
        return s;
    }

    /** The text of one {@code === name ===} section of an oracle capture. */
    private static String section(String capture, String name) {
        int a = capture.indexOf("=== " + name + " ===");
        assertTrue(a >= 0, "capture has " + name);
        a = capture.indexOf('\n', a) + 1;
        int b = capture.indexOf("\n=== ", a);
        return b < 0 ? capture.substring(a) : capture.substring(a, b + 1);
    }

    @Test
    void aMapWithoutAFixedOrderIsRefused() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", List.of(new LinkedHashMap<>(Map.of("one", 1))));
        Json.requireFixedOrder(m, "$");
        m.put("bad", new HashMap<>(Map.of("a", 1, "b", 2)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Json.write(m));
        assertTrue(e.getMessage().startsWith("JSON object at $.bad is a java.util.HashMap"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Json.write(List.of(Map.of("a", 1, "b", 2))));
    }
}
