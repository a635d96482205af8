package dev.pagealloc.kernel;

import dev.pagealloc.kernel.v2_6_32.Linux2632;
import dev.pagealloc.kernel.v6_1.Linux61;
import dev.pagealloc.profile.KernelRelease;
import dev.pagealloc.report.FailureReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The kernels the emulator runs, by name. Adding a kernel is one package and one line in the
 * static block here; a test may register one of its own for the length of a try block.
 *
 * <p>A name is looked up as given ({@code 6.1}), or as a release ({@code 6.1.0-57-amd64},
 * {@code 6.1.192}, {@code 2.6.32-41-server}, what {@code uname -r} prints): the registered kernel
 * whose name is a plain release with the same major and minor, and the same patch when its name
 * has one (2.6.x kernels were a series each).
 */
public final class Kernels {
    private static final Map<String, Kernel> REGISTRY = new LinkedHashMap<>();

    static {
        register(Linux2632.KERNEL);
        register(Linux61.KERNEL);
    }

    private Kernels() {}

    /** A registration that {@link #close()} undoes (for kernels registered by tests). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Registers {@code kernel} under its name.
     *
     * @throws IllegalArgumentException when a kernel of that name is registered already
     */
    public static synchronized Registration register(Kernel kernel) {
        String name = kernel.name();
        if (REGISTRY.putIfAbsent(name, kernel) != null) {
            throw new IllegalArgumentException("a kernel named '" + name + "' is registered already");
        }
        return () -> {
            synchronized (Kernels.class) {
                REGISTRY.remove(name, kernel);
            }
        };
    }

    /** The registered names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** The registered kernels, in registration order. */
    public static synchronized List<Kernel> all() {
        return List.copyOf(REGISTRY.values());
    }

    /** The names of the registered kernels that have {@code feature}, in registration order (for messages). */
    public static synchronized List<String> namesWhere(Predicate<KernelFeatures> feature) {
        List<String> names = new ArrayList<>();
        for (Kernel k : REGISTRY.values()) {
            if (feature.test(k.features())) {
                names.add(k.name());
            }
        }
        return names;
    }

    /**
     * The kernel named {@code name}, or the one a release string names (see the class comment).
     *
     * @throws IllegalArgumentException naming the registered kernels when there is none
     */
    public static synchronized Kernel byName(String name) {
        Kernel k = name == null ? null : REGISTRY.get(name.strip());
        if (k != null) {
            return k;
        }
        KernelRelease r;
        try {
            r = KernelRelease.parse(name);
        } catch (IllegalArgumentException e) {
            throw unknown(name);
        }
        return forRelease(r).orElseThrow(() -> unknown(name));
    }

    /** The registered kernel that runs release {@code r}, if any (see the class comment). */
    public static synchronized Optional<Kernel> forRelease(KernelRelease r) {
        for (Kernel k : REGISTRY.values()) {
            KernelRelease own;
            try {
                own = KernelRelease.parse(k.name());
            } catch (IllegalArgumentException e) {
                continue;
            }
            boolean plain = own.text().equals(own.major() + "." + own.minor())
                    || own.text().equals(own.major() + "." + own.minor() + "." + own.patch());
            boolean withPatch = own.text().chars().filter(c -> c == '.').count() == 2;
            if (plain && own.major() == r.major() && own.minor() == r.minor()
                    && (!withPatch || own.patch() == r.patch())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The first registered kernel that prints the format of the real report {@code r}, if any. */
    public static synchronized Optional<Kernel> printingFormatOf(FailureReport r) {
        for (Kernel k : REGISTRY.values()) {
            if (k.reports().printsFormatOf(r)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static IllegalArgumentException unknown(String name) {
        List<String> names = new ArrayList<>(REGISTRY.keySet());
        String expected = names.size() <= 1 ? String.join("", names)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return new IllegalArgumentException("unknown kernel '" + name + "' (expected " + expected + ")");
    }
}
