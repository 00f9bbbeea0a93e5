package io.sfufleet.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layers of STYLE.md: services know nothing of JavaFX, nothing prints or dumps stacks but the CLI. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sfufleet.console");
    }

    @Test
    void servicesDoNotDependOnJavaFx() {
        noClasses().that().resideOutsideOfPackage("io.sfufleet.console.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void servicesDoNotDependOnTheScreens() {
        noClasses().that().resideOutsideOfPackage("io.sfufleet.console.ui..")
                .should().dependOnClassesThat().resideInAPackage("io.sfufleet.console.ui..")
                .check(classes);
    }

    @Test
    void screensDoNotDependOnEachOther() {
        for (String screen : new String[] {"fleet", "node", "call", "alerts", "audit", "hosts", "provision", "config"}) {
            noClasses().that().resideInAPackage("io.sfufleet.console.ui." + screen + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(
                            java.util.Arrays.stream(new String[] {"fleet", "node", "call", "alerts", "audit", "hosts", "provision", "config"})
                                    .filter(s -> !s.equals(screen)).map(s -> "io.sfufleet.console.ui." + s + "..")
                                    .toArray(String[]::new))
                    .check(classes);
        }
    }

    @Test
    void onlyTheCliWritesToTheConsoleAndNothingDumpsStacks() {
        noClasses().that().resideOutsideOfPackage("io.sfufleet.console.cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS).check(classes);
        noClasses().should().callMethod(Throwable.class, "printStackTrace").check(classes);
    }
}
