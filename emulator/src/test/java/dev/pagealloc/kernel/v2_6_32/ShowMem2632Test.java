package dev.pagealloc.kernel.v2_6_32;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.v2_6_32.ShowMem2632.MemInfo;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.Swap;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.ZoneInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2.6.32 show_mem formatter fed the seed report's numbers prints the seed report's lines,
 * byte for byte (shared/seeds/001_10e904e437390ad7.txt quotes a real 2.6.32-41-server report).
 */
class ShowMem2632Test {
    @Test
    void everyLineMatchesTheSeedReport() throws IOException {
        List<String> seed = Files.readAllLines(Path.of("src/test/resources/fixtures/seeds/001_10e904e437390ad7.txt"));
        Map<String, Long> global = Map.ofEntries(Map.entry("active_anon", 79266L), Map.entry("inactive_anon", 31437L),
                Map.entry("isolated_anon", 0L), Map.entry("active_file", 260339L), Map.entry("inactive_file", 255635L),
                Map.entry("isolated_file", 31L), Map.entry("unevictable", 0L), Map.entry("dirty", 38L),
                Map.entry("writeback", 1L), Map.entry("unstable", 1L), Map.entry("free", 7660L),
                Map.entry("slab_reclaimable", 320826L), Map.entry("slab_unreclaimable", 18290L),
                Map.entry("mapped", 19846L), Map.entry("shmem", 7L), Map.entry("pagetables", 11033L),
                Map.entry("bounce", 0L));
        ZoneInfo dma = new ZoneInfo(0, "DMA", new int[] {0, 0}, new int[] {1, 1}, new int[] {0, 0}, 3975, 7, 8, 10,
                Map.of(), 3834, 0, false, new long[] {0, 3511, 4016, 4016}, new long[] {3, 2, 4, 2, 2, 0, 1, 0, 1, 1, 3});
        ZoneInfo dma32 = new ZoneInfo(0, "DMA32", new int[] {186, 186}, new int[] {31, 31}, new int[] {0, 0}, 3140,
                1769, 2211, 2653, Map.ofEntries(Map.entry("active_anon", 66865L), Map.entry("inactive_anon", 18999L),
                        Map.entry("active_file", 233822L), Map.entry("inactive_file", 234577L),
                        Map.entry("isolated(file)", 31L), Map.entry("dirty", 32L), Map.entry("writeback", 1L),
                        Map.entry("mapped", 17165L), Map.entry("shmem", 4L), Map.entry("slab_reclaimable", 296410L),
                        Map.entry("slab_unreclaimable", 12867L), Map.entry("kernel_stack_kb", 4808L),
                        Map.entry("pagetables", 7510L), Map.entry("unstable", 1L)),
                899048, 0, false, new long[] {0, 0, 505, 505}, new long[] {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0});
        ZoneInfo normal = new ZoneInfo(0, "Normal", new int[] {186, 186}, new int[] {31, 31}, new int[] {0, 0}, 545,
                254, 317, 381, Map.ofEntries(Map.entry("active_anon", 12401L), Map.entry("inactive_anon", 12438L),
                        Map.entry("active_file", 26517L), Map.entry("inactive_file", 21058L), Map.entry("dirty", 6L),
                        Map.entry("mapped", 2681L), Map.entry("shmem", 3L), Map.entry("slab_reclaimable", 24416L),
                        Map.entry("slab_unreclaimable", 5423L), Map.entry("kernel_stack_kb", 2352L),
                        Map.entry("pagetables", 3523L)),
                129280, 0, false, new long[] {0, 0, 0, 0}, new long[] {377, 14, 17, 9, 0, 0, 0, 0, 0, 0, 0});
        MemInfo m = new MemInfo(true, List.of(dma, dma32, normal), global, 530984,
                new Swap(14979, 800917, 785938, 6804111, 6850366, 881852, 975864), 1048576, null, 34079, 277863, 958709);
        String text = ShowMem2632.header("imap", 4, 0xc0d0) + ShowMem2632.showMem(m);
        for (String line : text.split("\n")) {
            assertTrue(seed.contains(line), "not in the seed report: " + line);
        }
    }
}
