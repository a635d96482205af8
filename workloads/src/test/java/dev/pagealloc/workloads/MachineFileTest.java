package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.layout.MachineLayout;
import org.junit.jupiter.api.Test;

/** Machine TOML files: presets load; bad files give one line naming the file, the line and what was expected. */
class MachineFileTest {
    @Test
    void everyPresetLoads() {
        for (String p : Machines.PRESETS) {
            MachineLayout l = Machines.preset(p);
            assertEquals(p, l.name());
        }
        assertEquals(2, Machines.preset("seed-4g").cpus());
    }

    @Test
    void malformedTomlNamesFileAndLine() {
        String text = "name = \"x\"\narch = \"x86_64\"\ncpus = = 2\n";
        MachineFileException e = assertThrows(MachineFileException.class, () -> Machines.parse(text, "bad.toml"));
        assertTrue(e.getMessage().startsWith("bad.toml:3: malformed TOML"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void unknownArchNamesItsLine() {
        String text = "name = \"x\"\n\narch = \"sparc\"\nram_mb = 512\n";
        MachineFileException e = assertThrows(MachineFileException.class, () -> Machines.parse(text, "m.toml"));
        assertEquals("m.toml:3: unknown arch 'sparc' (expected x86_64, i386 or i386-pae)", e.getMessage());
    }

    @Test
    void ramBeyondTheArchNamesTheRamLine() {
        String text = "arch = \"i386\"\nram = [ { start = 0x0, end = 0x9f000 },\n"
                + "  { start = 0x100000, end = 0x180000000 } ]\n";
        MachineFileException e = assertThrows(MachineFileException.class, () -> Machines.parse(text, "big.toml"));
        assertTrue(e.getMessage().startsWith("big.toml:2: RAM ends at 0x180000000 but i386 addresses at most"),
                e.getMessage());
    }

    @Test
    void unknownKeysAndMachinesAreRefused() {
        assertThrows(MachineFileException.class, () -> Machines.parse("arch = \"x86_64\"\nram_gb = 4\n", "k.toml"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Machines.resolve("nosuch"));
        assertTrue(e.getMessage().startsWith("unknown machine 'nosuch'"));
    }
}
