package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every JMH benchmark body runs once, for every registered kernel where the benchmark takes one,
 * with its set-up and tear-down as JMH calls them: a smoke test that the suite works (a bench
 * that throws, or one missing a kernel, fails here and not in a two-minute JMH run). Not a timing.
 */
class BenchSmokeTest {
    static Stream<Arguments> benches() {
        List<Arguments> out = new ArrayList<>();
        for (Class<?> c : BenchCommand.BENCHES) {
            if (BenchCommand.hasKernelParam(c)) {
                for (String k : Kernels.names()) {
                    out.add(Arguments.of(c.getSimpleName(), k, c));
                }
            } else {
                out.add(Arguments.of(c.getSimpleName(), "-", c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("benches")
    void everyBodyRunsOnce(String name, String kernel, Class<?> bench) throws Exception {
        List<Method> bodies = annotated(bench, Benchmark.class);
        assertFalse(bodies.isEmpty(), name + " has no @Benchmark");
        Object state = bench.getConstructor().newInstance();
        if (!kernel.equals("-")) {
            bench.getField("kernel").set(state, kernel);
        }
        run(state, bench, Setup.class, Level.Trial);
        try {
            for (Method body : bodies) {
                run(state, bench, Setup.class, Level.Iteration);
                run(state, bench, Setup.class, Level.Invocation);
                Object result = call(state, body);
                assertTrue(body.getReturnType() == void.class || result != null, body.getName());
                run(state, bench, TearDown.class, Level.Invocation);
                run(state, bench, TearDown.class, Level.Iteration);
            }
        } finally {
            run(state, bench, TearDown.class, Level.Trial);
        }
    }

    private static List<Method> annotated(Class<?> c, Class<? extends java.lang.annotation.Annotation> a) {
        return Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(a))
                .sorted(Comparator.comparing(Method::getName)).toList();
    }

    private static void run(Object state, Class<?> c, Class<? extends java.lang.annotation.Annotation> a, Level level)
            throws Exception {
        for (Method m : annotated(c, a)) {
            Level l = a == Setup.class ? m.getAnnotation(Setup.class).value() : m.getAnnotation(TearDown.class).value();
            if (l == level) {
                call(state, m);
            }
        }
    }

    private static Object call(Object state, Method m) throws Exception {
        try {
            return m.invoke(state);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
