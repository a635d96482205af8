package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zone boundaries per kernel-spec.md §2.1–2.2: DMA below 16 MiB (pfn 4096); on x86_64 DMA32 up
 * to 4 GiB and Normal above; on i386 Normal up to max_low_pfn (0x377fe = 227326 with PAE, the
 * spec's dmesg example; 1024 pages less without PAE, whose pkmap area is 4 MiB) and HighMem above.
 * Machines are QEMU-style: RAM below the PCI hole ends 128 KiB short (SeaBIOS), at 3 GiB when RAM
 * is 3.5 GiB or more, the rest from 4 GiB; i386 without PAE cannot use what lies above 4 GiB.
 */
class ZoneBoundariesTest {
    static final long MAX_LOW_PAE = 0x377fe;
    static final long MAX_LOW_NONPAE = 0x377fe - 1024;

    @ParameterizedTest(name = "{0} {1} MiB")
    @CsvSource({
        // arch, MiB, Normal end (or DMA32 end), HighMem/Normal-above-4G end (0 = none)
        "i386,      512,  131040, 0",
        "i386,     1024, " + (0x377fe - 1024) + ", 262112",
        "i386,     4096, " + (0x377fe - 1024) + ", 786400",
        "i386-pae,  512,  131040, 0",
        "i386-pae, 1024, " + 0x377fe + ", 262112",
        "i386-pae, 4096, " + 0x377fe + ", 1310720",
        "i386-pae,16384, " + 0x377fe + ", 4456448",
        "x86_64,   1024,  262112, 0",
        "x86_64,   4096, 1048576, 1310720",
    })
    void zonesSitWhereTheSpecSays(String arch, long mib, long lowEnd, long highEnd) {
        Arch a = Arch.fromCliName(arch);
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("t", a, mib << 20, 1))) {
            Zone dma = m.zone("DMA");
            assertEquals(0, dma.zoneStartPfn);
            assertEquals(4096, dma.zoneEndPfn(), "DMA ends at 16 MiB");
            Zone mid = a == Arch.X86_64 ? m.zone("DMA32") : m.zone("Normal");
            assertEquals(4096, mid.zoneStartPfn);
            assertEquals(lowEnd, mid.zoneEndPfn());
            Zone top = a == Arch.X86_64 ? m.zone("Normal") : m.zone("HighMem");
            if (highEnd == 0) {
                assertFalse(top.isPopulated(), top.name + " should be empty");
            } else {
                assertTrue(top.isPopulated());
                assertEquals(lowEnd, top.zoneStartPfn);
                assertEquals(highEnd, top.zoneEndPfn());
            }
            if (a != Arch.X86_64) {
                assertEquals(a == Arch.I386 ? 10 : 9, m.allocator.memMap().pageblockOrder(),
                        "pageblock_order: 10 without PAE (PMD_SHIFT 22), 9 with");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} MiB is refused")
    @CsvSource({"i386, 8192", "i386-pae, 131072"})
    void ramTheArchCannotAddressIsRefused(String arch, long mib) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Machines.synthesize("t", Arch.fromCliName(arch), mib << 20, 1));
        assertTrue(e.getMessage().contains("cannot address"), e.getMessage());
    }

    @ParameterizedTest(name = "highmem {0} MiB: min watermark {1}")
    @CsvSource({"1000, 32", "1024, 33", "4096, 128"})
    void highmemMinIsPresentOver1024ClampedTo32And128(long mib, long expectedMin) {
        // spec §3.2: HIGHMEM min = clamp(present/1024, SWAP_CLUSTER_MAX = 32, 128)
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("t", Arch.I386_PAE, mib << 20, 1))) {
            Zone hi = m.zone("HighMem");
            assertEquals(Math.max(32, Math.min(128, hi.presentPages / 1024)), hi.minWmark());
            assertEquals(expectedMin, hi.minWmark());
        }
    }
}
