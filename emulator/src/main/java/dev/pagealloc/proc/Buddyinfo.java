package dev.pagealloc.proc;

import dev.pagealloc.mmzone.Zone;
import java.util.Locale;

/**
 * /proc/buddyinfo, which every kernel here prints the same way: {@code frag_show_print()},
 * mm/vmstat.c (2.6.32 and 6.1 alike), one line per populated zone, {@code nr_free} of each order.
 */
public final class Buddyinfo {
    private Buddyinfo() {}

    /** {@code "Node %d, zone %8s "} then {@code "%6d "} per order, over the given (populated) zones. */
    public static String fragShowPrint(Zone[] populated) {
        StringBuilder sb = new StringBuilder();
        for (Zone zone : populated) {
            sb.append(String.format(Locale.ROOT, "Node %d, zone %8s ", zone.nodeId, zone.name));
            for (int order = 0; order < Zone.MAX_ORDER; ++order) {
                sb.append(String.format(Locale.ROOT, "%6d ", zone.nrFree[order]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
