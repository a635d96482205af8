package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code pagealloc highalloc} on a small machine: the JSON contract, invariants, and compaction helping at rest. */
class HighallocCommandTest {
    static String run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute(args);
        assertEquals(0, rc, err.toString());
        return out.toString();
    }

    @Test
    void jsonHasThePassesAndCompactionHelpsAtRest() {
        String json = run("highalloc", "--machine", "qemu-512m", "--kernel", "6.1", "--attempts", "120",
                "--compaction", "both", "--json", "--check");
        JsonNode runs = JsonMapper.builder().build().readTree(json);
        assertEquals(2, runs.size());
        double[] rest = new double[2];
        for (int i = 0; i < 2; i++) {
            JsonNode r = runs.get(i);
            assertEquals("qemu-512m", r.get("machine").asString());
            assertEquals("6.1", r.get("kernel").asString());
            assertEquals(9, r.get("order").asInt());
            assertEquals(i == 0 ? "on" : "off", r.get("compaction").asString());
            JsonNode passes = r.get("passes");
            assertEquals(5, passes.size());
            for (JsonNode p : passes) {
                assertEquals(120, p.get("attempts").asInt());
                assertEquals(120, p.get("latency_us").size());
                assertTrue(p.get("success_pct").asDouble() >= 0 && p.get("success_pct").asDouble() <= 100);
            }
            assertEquals("Success 3", passes.get(4).get("name").asString());
            rest[i] = passes.get(4).get("success_pct").asDouble();
        }
        assertTrue(rest[0] > rest[1] + 20, "at rest: with compaction " + rest[0] + "%, without " + rest[1] + "%");
    }

    @Test
    void badCompactionValueIsAUsageError() {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("highalloc", "--compaction", "maybe"));
        assertTrue(err.toString().contains("--compaction must be on, off or both"), err.toString());
    }
}
