package dev.pagealloc.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.foreign.Linker;
import org.junit.jupiter.api.Test;

/** DESIGN §3: the model stays free of the outside world, and one class owns the native calls. */
class LayeringTest {
    static final JavaClasses EMULATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pagealloc");

    @Test
    void emulatorDependsOnNoHarnessWorkloadsOrCliLibraries() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pagealloc.harness..", "dev.pagealloc.workloads..", "picocli..", "tools.jackson..",
                        "com.fasterxml..", "org.slf4j..", "org.jfree..")
                .check(EMULATOR);
    }

    @Test
    void onlyLibcMakesDowncalls() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.pagealloc.mem.Libc")
                .should().dependOnClassesThat().areAssignableTo(Linker.class)
                .check(EMULATOR);
    }
}
