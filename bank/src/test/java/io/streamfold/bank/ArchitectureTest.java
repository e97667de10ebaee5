package io.streamfold.bank;

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
 * The bank is a domain like any other: it uses the SDK, never the services' engines, and its
 * deciders and processes are plain Java over the domain kernel.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.streamfold.bank");

  @Test
  void shouldUseOnlyTheSdkOfTheServices() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.streamfold.command.writer..",
            "io.streamfold.projection.topology..",
            "io.streamfold.projection.query..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheDecidersAndProcessesFreeOfKafkaAvroAndHttp() {
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
