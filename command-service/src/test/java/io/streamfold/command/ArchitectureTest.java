package io.streamfold.command;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.streamfold.schemas.account.Amounts;
import org.junit.jupiter.api.Test;

/**
 * The engine is domain-agnostic: nothing under {@code io.streamfold.command} names a domain (the
 * bank, or a team's), which plugs in through {@link CommandDomain}; a domain's pure code (its
 * deciders and processes) depends only on the domain kernel and plain Java.
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

  @Test
  void shouldKeepTheBanksDecidersAndProcessesFreeOfKafkaAvroAndHttp() {
    classes()
        .that()
        .resideInAnyPackage("io.streamfold.bank.account", "io.streamfold.bank.transfer")
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..",
                    "io.streamfold.command.domain",
                    "io.streamfold.bank.account",
                    "io.streamfold.bank.transfer")
                // the exact money rules the projections share
                .or(equivalentTo(Amounts.class)))
        .check(CLASSES);
  }
}
