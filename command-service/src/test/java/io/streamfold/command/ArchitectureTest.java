package io.streamfold.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine is domain-agnostic: nothing under {@code io.streamfold.command} names a domain (the
 * bank, or a team's), which plugs in through {@link CommandDomain}; the domain kernel is plain
 * Java.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.streamfold");

  @Test
  void shouldKeepTheEngineFreeOfAnyDomain() {
    noClasses()
        .that()
        .resideInAPackage("io.streamfold.command..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.streamfold.bank..")
        .because("a domain plugs into the engine; the engine never names one")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheDomainKernelPlainJava() {
    classes()
        .that()
        .resideInAPackage("io.streamfold.command.domain")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.streamfold.command.domain")
        .check(CLASSES);
  }
}
