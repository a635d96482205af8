package dev.pagealloc.kernel.v2_6_32;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.Buddyinfo;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The /proc formatters against text real kernels wrote (copies of shared/fixtures/procfs): the numbers of a
 * real file are loaded into zones and printed back, and the text must come out byte for byte.
 * The closest real captures to 2.6.32 are Ubuntu 3.2's (P14–P16, same formats, same migratetypes);
 * where 3.2 differs from 2.6.32 the difference is stated at the assertion.
 */
class ProcFormatTest {
    /** Copies of shared/fixtures/procfs (each file's header names its source). */
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/procfs");

    static List<String> body(String file) throws IOException {
        List<String> out = new ArrayList<>();
        boolean header = true;
        for (String l : Files.readAllLines(FIXTURES.resolve(file))) {
            if (header && (l.startsWith("#") || l.isEmpty())) {
                continue;
            }
            header = false;
            out.add(l);
        }
        return out;
    }

    @Test
    void buddyinfoIsByteIdenticalToUbuntu32() throws IOException {
        List<String> real = body("P15-buddyinfo-3.2-ubuntu-x86_64.txt");
        Pattern p = Pattern.compile("Node (\\d+), zone +(\\S+) (.*)");
        List<Zone> zones = new ArrayList<>();
        for (String line : real) {
            Matcher m = p.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Zone z = zone(m.group(2), zones.size(), 4);
            String[] counts = m.group(3).trim().split(" +");
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                z.nrFree[o] = Integer.parseInt(counts[o]);
            }
            zones.add(z);
        }
        assertEquals(3, zones.size());
        assertEquals(String.join("\n", real.subList(0, 3)) + "\n", Buddyinfo.fragShowPrint(zones.toArray(Zone[]::new)));
    }

    @Test
    void zoneinfoZoneBlockIsByteIdenticalToUbuntu32ApartFromItems32Added() throws IOException {
        List<String> real = body("P14-zoneinfo-3.2-ubuntu-x86_64-8cpu.txt");
        int end = 1;
        while (!real.get(end).startsWith("Node ")) {
            end++;
        }
        List<String> dma = new ArrayList<>(real.subList(0, end));
        Zone z = zone("DMA", 0, 4);
        z.presentPages = 3900;
        z.spannedPages = 4080;
        z.zoneStartPfn = 16;
        z.pcp = new PerCpuPages[8];
        List<String> expected = new ArrayList<>();
        int cpu = -1;
        for (String l : dma) {
            String t = l.trim();
            String[] w = t.split("[ :]+");
            // Items 3.2 has and 2.6.32 does not (added in 2.6.37 … 3.0): not printed by 2.6.32.
            if (t.startsWith("nr_vmscan_immediate_reclaim") || t.startsWith("nr_dirtied")
                    || t.startsWith("nr_written") || t.startsWith("nr_anon_transparent_hugepages")) {
                continue;
            }
            expected.add(l);
            switch (w[0]) {
                case "pages" -> z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] = Long.parseLong(w[2]);
                case "min" -> z.watermark[0] = Long.parseLong(w[1]);
                case "low" -> z.watermark[1] = Long.parseLong(w[1]);
                case "high" -> {
                    if (!t.startsWith("high:")) { // "high:  0" is the pageset's
                        z.watermark[2] = Long.parseLong(w[1]);
                    }
                }
                case "protection" -> {
                    String[] v = t.replaceAll("[^0-9,]", "").split(",");
                    for (int i = 0; i < v.length; i++) {
                        z.lowmemReserve[i] = Long.parseLong(v[i]);
                    }
                }
                case "cpu" -> {
                    cpu = Integer.parseInt(w[1]);
                    z.pcp[cpu] = new PerCpuPages(3);
                }
                case "count" -> z.pcp[cpu].count = Integer.parseInt(w[1]);
                case "batch" -> z.pcp[cpu].batch = Integer.parseInt(w[1]);
                case "vm" -> z.pcp[cpu].statThreshold = Integer.parseInt(w[3]);
                default -> {
                    for (ZoneStatItem item : ZoneStatItem.values()) {
                        if (item.procName.equals(w[0])) {
                            z.vmStat[item.ordinal()] = Long.parseLong(w[1]);
                        }
                    }
                }
            }
            if (t.startsWith("high:")) {
                z.pcp[cpu].high = Integer.parseInt(w[1]);
            }
            if (t.startsWith("all_unreclaimable")) {
                // 2.6.32 prints prev_priority next (removed in 2.6.35); its format is that of the
                // real 2.6.2x capture P09: "  prev_priority:     12".
                expected.add("  prev_priority:     12");
            }
        }
        z.inactiveRatio = 1;
        assertEquals(String.join("\n", expected) + "\n", ProcViews2632.zoneinfo(new Zone[] {z}, true));
    }

    @Test
    void pagetypeinfoIsByteIdenticalToUbuntu32() throws IOException {
        // 3.2 still has 2.6.32's migratetypes (Unmovable Reclaimable Movable Reserve Isolate).
        List<String> real = body("P16-pagetypeinfo-3.2-ubuntu-x86_64-reserve.txt");
        Pattern free = Pattern.compile("Node +(\\d+), zone +(\\S+), type +(\\S+) (.*)");
        Pattern blocks = Pattern.compile("Node (\\d+), zone +(\\S+) +(\\d.*)");
        List<Zone> zones = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        for (String line : real) {
            Matcher m = free.matcher(line);
            if (m.matches()) {
                if (zones.isEmpty() || !zones.get(zones.size() - 1).name.equals(m.group(2))) {
                    zones.add(zone(m.group(2), zones.size(), 4));
                }
                Zone z = zones.get(zones.size() - 1);
                int mt = List.of("Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate").indexOf(m.group(3));
                String[] c = m.group(4).trim().split(" +");
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    z.listLen[Zone.slot(o, mt)] = Integer.parseInt(c[o]);
                }
                continue;
            }
            m = blocks.matcher(line);
            if (m.matches()) {
                counts.add(java.util.Arrays.stream(m.group(3).trim().split(" +")).mapToLong(Long::parseLong).toArray());
            }
        }
        String expected = String.join("\n", real) + "\n";
        assertEquals(expected, ProcViews2632.pagetypeinfo(zones.toArray(Zone[]::new), 9, counts.toArray(long[][]::new)));
    }

    @Test
    void prevPriorityLineMatchesTheReal26Capture() throws IOException {
        List<String> real = body("P09-zoneinfo-2.6.2x-dma-only-hotcold.txt");
        assertEquals(true, real.contains("  prev_priority:     12"));
        assertEquals(true, real.contains("  start_pfn:         196608"));
    }

    private static Zone zone(String name, int idx, int nz) {
        for (ZoneType t : ZoneType.values()) {
            if (t.kernelName.equals(name)) {
                return new Zone(idx, t, 0, nz);
            }
        }
        throw new IllegalArgumentException(name);
    }
}
