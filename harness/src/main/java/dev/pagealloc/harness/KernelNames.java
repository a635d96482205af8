package dev.pagealloc.harness;

import dev.pagealloc.kernel.Kernels;
import java.util.Iterator;

/** The registered kernels' names, for picocli's completion candidates of {@code --kernel}. */
final class KernelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Kernels.names().iterator();
    }
}
