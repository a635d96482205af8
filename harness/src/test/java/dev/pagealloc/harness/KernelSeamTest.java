package dev.pagealloc.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.pagealloc.gfp.GfpBits;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * The kernel seam, over the whole program (emulator, workloads and harness): outside the kernel
 * packages no code knows which kernel it runs. Nothing reaches into a version package
 * ({@code dev.pagealloc.kernel.v2_6_32}, {@code v6_1}, …) but the registry, and nothing outside
 * the GFP tables and the kernel packages names one era's GFP table constant (a test like
 * {@code gfp == GfpBits.V6_1} is how a version check used to hide).
 */
class KernelSeamTest {
    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pagealloc");

    @Test
    void onlyTheRegistryReachesIntoAVersionPackage() {
        noClasses().that().resideOutsideOfPackage("dev.pagealloc.kernel..")
                .should().dependOnClassesThat().resideInAPackage("dev.pagealloc.kernel.v*..")
                .check(ALL);
        noClasses().that().resideInAPackage("dev.pagealloc.kernel")
                .and().doNotHaveFullyQualifiedName("dev.pagealloc.kernel.Kernels")
                .should().dependOnClassesThat().resideInAPackage("dev.pagealloc.kernel.v*..")
                .check(ALL);
    }

    @Test
    void noOneOutsideTheTablesAndTheKernelsNamesAGfpTable() {
        for (Field f : GfpBits.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == GfpBits.class) {
                noClasses().that().resideOutsideOfPackages("dev.pagealloc.gfp..", "dev.pagealloc.kernel..")
                        .should().accessField(GfpBits.class, f.getName())
                        .check(ALL);
            }
        }
    }
}
