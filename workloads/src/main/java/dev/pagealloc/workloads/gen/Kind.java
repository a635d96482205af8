package dev.pagealloc.workloads.gen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The generator kinds, their keys and parsers. */
enum Kind {
    NIC_JUMBO_NOSG("nic-jumbo-nosg", true, NicJumboNoSg.KEYS, NicJumboNoSg::parse),
    NIC_SG("nic-sg", true, NicSg.KEYS, NicSg::parse),
    PAGECACHE_STREAM("pagecache-stream", false, PageCacheStream.KEYS, PageCacheStream::parse),
    ANON_GROWTH("anon-growth", false, AnonGrowth.KEYS, AnonGrowth::parse),
    SLAB_CHURN("slab-churn", false, SlabChurn.KEYS, SlabChurn::parse),
    FORK_STORM("fork-storm", false, ForkStorm.KEYS, ForkStorm::parse),
    THP_FAULTS("thp-faults", false, ThpFaults.KEYS, ThpFaults::parse);

    /** Keys every section has. */
    static final List<String> COMMON = Common.KEYS;

    /** Holder, so that the enum constructors can read it. */
    private static final class Common {
        static final List<String> KEYS = List.of("kind", "cpu", "start_ms", "stop_ms");
    }

    /** The name in job files. */
    final String id;
    /** Interrupt context: the default CPU is 0; otherwise sections take CPUs round-robin. */
    final boolean interrupt;
    /** All keys a section of this kind takes, common ones first. */
    final List<String> keys;
    final Function<Params, Section.Factory> parser;

    Kind(String id, boolean interrupt, List<String> own, Function<Params, Section.Factory> parser) {
        this.id = id;
        this.interrupt = interrupt;
        List<String> k = new ArrayList<>(Common.KEYS);
        k.addAll(own);
        this.keys = List.copyOf(k);
        this.parser = parser;
    }

    static Kind byId(String id) {
        for (Kind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    static String ids() {
        List<String> s = new ArrayList<>();
        for (Kind k : values()) {
            s.add(k.id);
        }
        return String.join(", ", s);
    }

    /** Every key of every kind except {@code kind}: what [global] may give as a default. */
    static Set<String> allSectionKeys() {
        Set<String> s = new LinkedHashSet<>();
        for (Kind k : values()) {
            s.addAll(k.keys);
        }
        s.remove("kind");
        return s;
    }
}
