package dev.pagealloc.mem;

import java.lang.foreign.Arena;

/** {@link PhysMemContract} over the pure-Java fallback, forced even where {@link Libc} works. */
class ChunkedPhysMemTest extends PhysMemContract {

    @Override
    PhysMem create(long maxPfn, Arena arena) {
        return PhysMem.allocateChunked(maxPfn, arena);
    }

    @Override
    boolean expectNative() {
        return false;
    }
}
