package dev.pagealloc.mem;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The only class in the project that calls native code: {@code mmap(2)}, {@code munmap(2)},
 * {@code madvise(2)} and {@code getpagesize(2)} from the C library, through
 * {@link Linker#nativeLinker()}.
 *
 * <p>Like Lucene's {@code PosixNativeAccess} it degrades instead of failing: the static
 * initializer never throws. If the platform is not Linux on x86_64 or arm64 (the only ABIs whose
 * flag values are copied below), if native access is not enabled for this module, if the linker
 * refuses ({@link IllegalCallerException}, {@link UnsupportedOperationException}), or if a probe
 * {@code mmap} of one page returns {@code MAP_FAILED}, then {@link #isAvailable()} is false,
 * {@link #unavailableReason()} says why and what to pass on the command line, and callers (see
 * {@link PhysMem}) fall back to pure-Java memory. Method handles are looked up once, in the
 * static initializer, which the JVM runs lazily on first use of this class.
 *
 * <p>Every downcall that can fail captures {@code errno} with
 * {@link Linker.Option#captureCallState(String...)}; a failure becomes an {@link ErrnoException}
 * that names the call, the address in hex, the length and the errno.
 */
public final class Libc {

    // Values copied from the Linux UAPI headers include/uapi/asm-generic/mman-common.h and
    // include/uapi/asm-generic/mman.h, which both x86_64 and arm64 use unchanged.
    // (mips, parisc, powerpc, sparc and alpha define some of them differently: not supported.)
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    /** {@code MAP_FAILED} is {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;

    /** {@code MADV_DONTNEED}: drop the pages; a private anonymous page then reads back zero. */
    public static final int MADV_DONTNEED = 4;
    /** {@code MADV_NOHUGEPAGE}: never back the range with transparent huge pages. */
    public static final int MADV_NOHUGEPAGE = 15;

    private static final MethodHandle MH$mmap;
    private static final MethodHandle MH$munmap;
    private static final MethodHandle MH$madvise;
    private static final StructLayout CALL_STATE_LAYOUT;
    private static final VarHandle ERRNO;
    private static final long PAGE_SIZE;
    private static final String UNAVAILABLE_REASON;

    /** One errno slot per thread, so a failing call costs no allocation. */
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Libc.CALL_STATE_LAYOUT));

    static {
        MethodHandle mmap = null, munmap = null, madvise = null;
        StructLayout callState = null;
        VarHandle errno = null;
        long pageSize = 0;
        String reason = unsupportedPlatform();
        if (reason == null) {
            try {
                Linker linker = Linker.nativeLinker();
                callState = Linker.Option.captureStateLayout();
                errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                Linker.Option errnoOpt = Linker.Option.captureCallState("errno");
                mmap = downcall(linker, "mmap",
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                        errnoOpt);
                munmap = downcall(linker, "munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), errnoOpt);
                madvise = downcall(linker, "madvise",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errnoOpt);
                MethodHandle getpagesize = downcall(linker, "getpagesize", FunctionDescriptor.of(JAVA_INT));
                if (mmap == null || munmap == null || madvise == null || getpagesize == null) {
                    reason = "the C library does not export mmap, munmap, madvise and getpagesize";
                } else {
                    pageSize = (int) getpagesize.invokeExact();
                    reason = probe(mmap, munmap, callState, errno, pageSize);
                }
            } catch (IllegalCallerException e) {
                reason = "native access was refused (" + e.getMessage() + "); pass "
                        + enableNativeAccessHint();
            } catch (UnsupportedOperationException e) {
                reason = "the JDK has no native linker for this platform (" + e.getMessage() + ")";
            } catch (Throwable t) { // never let a class initializer fail: record and degrade
                reason = "native setup failed: " + t;
            }
        }
        boolean ok = reason == null;
        MH$mmap = ok ? mmap : null;
        MH$munmap = ok ? munmap : null;
        MH$madvise = ok ? madvise : null;
        CALL_STATE_LAYOUT = ok ? callState : null;
        ERRNO = ok ? errno : null;
        PAGE_SIZE = ok ? pageSize : 0;
        UNAVAILABLE_REASON = ok ? "" : reason;
    }

    private Libc() {}

    /** Returns why this platform cannot use the downcalls, or null if it can. No restricted calls. */
    private static String unsupportedPlatform() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (os.name=" + os + ")";
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "mmap flag values are only known for x86_64 and arm64 (os.arch=" + arch + ")";
        }
        if (!Libc.class.getModule().isNativeAccessEnabled()) {
            return "native access is not enabled; pass " + enableNativeAccessHint();
        }
        return null;
    }

    private static String enableNativeAccessHint() {
        Module m = Libc.class.getModule();
        return "--enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED")
                + " on the java command line to use mmap";
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, String name, FunctionDescriptor fd, Linker.Option... options) {
        Optional<MemorySegment> symbol = linker.defaultLookup().find(name);
        return symbol.map(s -> linker.downcallHandle(s, fd, options)).orElse(null);
    }

    /** Maps and unmaps one page: proves the handles work before anyone relies on them. */
    private static String probe(MethodHandle mmap, MethodHandle munmap, StructLayout callState, VarHandle errno,
            long pageSize) throws Throwable {
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            return "getpagesize() returned " + pageSize;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment raw = (MemorySegment) mmap.invokeExact(state, MemorySegment.NULL, pageSize,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (raw.address() == MAP_FAILED) {
                return "probe mmap of one page failed with " + errnoName((int) errno.get(state, 0L));
            }
            int rc = (int) munmap.invokeExact(state, raw, pageSize);
            if (rc != 0) {
                return "probe munmap failed with " + errnoName((int) errno.get(state, 0L));
            }
        }
        return null;
    }

    /**
     * Whether {@link #mmap}, {@link #madvise} and {@link #pageSize} can be used. Mirrors nothing in
     * libc; it is the outcome of looking up {@code mmap}, {@code munmap}, {@code madvise} and
     * {@code getpagesize} and of one probe {@code mmap(2)}.
     */
    public static boolean isAvailable() {
        return MH$mmap != null;
    }

    /**
     * Why {@link #isAvailable()} is false, with the command-line fix when there is one; the empty
     * string when it is true. Mirrors the message a failed {@code mmap(2)} setup would print.
     */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * The host's page size, from libc {@code getpagesize(2)}: the granule of {@link #madvise}.
     *
     * @throws UnsupportedOperationException if {@link #isAvailable()} is false
     */
    public static long pageSize() {
        requireAvailable();
        return PAGE_SIZE;
    }

    /**
     * Maps {@code length} bytes of private anonymous memory, mirroring libc
     * {@code mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)}.
     * {@code MAP_NORESERVE} asks the kernel not to reserve swap, so a mapping far larger than the
     * host's RAM succeeds and only the pages actually touched are backed. The pages read as zero
     * until written.
     *
     * <p>The returned segment belongs to {@code arena}: closing the arena calls {@code munmap(2)}
     * on exactly this range (for an automatic arena, once the segment is unreachable).
     *
     * @throws UnsupportedOperationException if {@link #isAvailable()} is false
     * @throws ErrnoException if {@code mmap} returns {@code MAP_FAILED} (typically {@code ENOMEM}
     *     under {@code vm.overcommit_memory=2} or a low {@code ulimit -v})
     */
    @SuppressWarnings("restricted")
    public static MemorySegment mmap(long length, Arena arena) {
        requireAvailable();
        if (length <= 0) {
            throw new IllegalArgumentException("mmap length must be positive: " + length);
        }
        MemorySegment state = CALL_STATE.get();
        MemorySegment raw;
        try {
            raw = (MemorySegment) MH$mmap.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (raw.address() == MAP_FAILED) {
            throw new ErrnoException("mmap", 0L, length, errno(state));
        }
        return raw.reinterpret(length, arena, seg -> munmap(seg.address(), length));
    }

    /**
     * Unmaps {@code [address, address + length)}, mirroring libc {@code munmap(2)}. Private: the
     * only caller is the arena cleanup installed by {@link #mmap}, so a range is never unmapped
     * twice.
     */
    private static void munmap(long address, long length) {
        MemorySegment state = CALL_STATE.get();
        int rc;
        try {
            rc = (int) MH$munmap.invokeExact(state, MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new ErrnoException("munmap", address, length, errno(state));
        }
    }

    /**
     * Gives the kernel {@code advice} about {@code range}, mirroring libc
     * {@code madvise(addr, length, advice)}. With {@link #MADV_DONTNEED} on a range from
     * {@link #mmap}, the pages are dropped and read back as zero.
     *
     * @param range a native segment whose address is a multiple of {@link #pageSize()}
     * @throws UnsupportedOperationException if {@link #isAvailable()} is false
     * @throws ErrnoException if {@code madvise} returns -1 (e.g. {@code EINVAL} for a misaligned
     *     address or an advice the kernel does not know)
     */
    public static void madvise(MemorySegment range, int advice) {
        requireAvailable();
        MemorySegment state = CALL_STATE.get();
        int rc;
        try {
            rc = (int) MH$madvise.invokeExact(state, range, range.byteSize(), advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new ErrnoException("madvise", range.address(), range.byteSize(), errno(state));
        }
    }

    private static void requireAvailable() {
        if (MH$mmap == null) {
            throw new UnsupportedOperationException("libc downcalls unavailable: " + UNAVAILABLE_REASON);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("downcall threw a checked exception", t);
    }

    /** The symbolic name of the errno values these calls return, as in {@code strerrorname_np(3)}. */
    static String errnoName(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 75 -> "EOVERFLOW";
            default -> null;
        };
        return name == null ? "errno " + errno : name + " (errno " + errno + ")";
    }

    /** A libc call returned failure; carries the captured {@code errno}. */
    public static final class ErrnoException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        ErrnoException(String call, long address, long length, int errno) {
            super(call + "(0x" + Long.toHexString(address) + ", " + length + " bytes) failed with "
                    + errnoName(errno));
            this.errno = errno;
        }

        /** The {@code errno} the failing call left behind, as read by {@code errno(3)}. */
        public int errno() {
            return errno;
        }
    }
}
