package dev.pagealloc;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Files of the test resources (src/test/resources, on the test classpath), found through the class
 * loader rather than a path relative to the working directory. A missing resource throws, so a test
 * that needs a fixture fails without it instead of being skipped.
 */
public final class TestResources {
    private TestResources() {}

    /** The file or folder {@code name} (e.g. {@code "fixtures/traces"}) of the test resources. */
    public static Path path(String name) {
        URL u = TestResources.class.getResource("/" + name);
        if (u == null) {
            throw new IllegalStateException("test resource missing from the classpath: " + name);
        }
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(u.toString(), e);
        }
    }
}
