package dev.pagealloc.vmscan;

import java.util.List;

/**
 * The OOM killer's printk lines as one kernel writes them (mm/oom_kill.c): the header of
 * {@code dump_header()}, printed before {@code show_mem()}, and the lines that name and kill the
 * victim, printed after it. The choice of victim is the reclaim model's.
 */
public interface OomPrinter {
    /** {@code dump_header()}'s first line for a request of {@code gfpMask} and {@code order} by {@code comm}. */
    String header(String comm, int gfpMask, int order);

    /**
     * The lines after {@code show_mem()} for the victim: what {@code dump_header()} still prints,
     * and {@code oom_kill_process()}'s.
     *
     * @param points the victim's badness, as the model scored it
     * @param rssPages the victim's resident anonymous pages
     * @param swapents its swapped-out pages
     * @param oomAdj its {@code oom_adj} (-17 … 15)
     */
    List<String> kill(int pid, String comm, long points, long rssPages, long swapents, int oomAdj);
}
