package io.streamfold.projection;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The projection service names no plugged-in domain: the bank's transfer view plugs in through
 * {@link io.streamfold.projection.plugin.ProjectionDomain}; the plug-in contract itself depends on
 * nothing of the service.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.streamfold");

  @Test
  void shouldKeepTheServiceFreeOfPluggedInDomains() {
    noClasses()
        .that()
        .resideInAPackage("io.streamfold.projection..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.streamfold.bank..")
        .because("a domain's projections plug into the service; the service never names one")
        .check(CLASSES);
  }

  @Test
  void shouldKeepThePluginContractSmall() {
    classes()
        .that()
        .resideInAPackage("io.streamfold.projection.plugin")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "io.streamfold.projection.plugin", "io.streamfold.schemas.registry")
        .check(CLASSES);
  }
}
