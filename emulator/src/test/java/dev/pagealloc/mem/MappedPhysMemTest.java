package dev.pagealloc.mem;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.BeforeEach;

/** {@link PhysMemContract} over the {@code mmap(MAP_NORESERVE)} backing. */
class MappedPhysMemTest extends PhysMemContract {

    @BeforeEach
    void needLibc() {
        assumeTrue(Libc.isAvailable(), Libc::unavailableReason);
    }

    @Override
    PhysMem create(long maxPfn, Arena arena) {
        return PhysMem.allocateMapped(maxPfn, arena);
    }

    @Override
    boolean expectNative() {
        return true;
    }
}
