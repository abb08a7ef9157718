package io.cadenza.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module edges of ARCHITECTURE.md, checked on the compiled classes of every module (Maven's
 * dependencies already stop most forbidden imports; these rules hold the rest).
 */
class ModuleEdgesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cadenza");
  }

  private static String[] otherModules(String... allowed) {
    java.util.List<String> all =
        new java.util.ArrayList<>(
            java.util.List.of(
                "io.cadenza.config..",
                "io.cadenza.playback..",
                "io.cadenza.session..",
                "io.cadenza.media..",
                "io.cadenza.catalog..",
                "io.cadenza.analytics..",
                "io.cadenza.edge.."));
    all.removeAll(java.util.List.of(allowed));
    return all.toArray(String[]::new);
  }

  @Test
  void configDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherModules("io.cadenza.config.."))
        .check(classes);
  }

  @Test
  void playbackSyncIsPureDomainWithoutIoOrFrameworks() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.playback..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.cadenza.config..",
            "io.cadenza.session..",
            "io.cadenza.media..",
            "io.cadenza.catalog..",
            "io.cadenza.edge..",
            "io.vertx..",
            "akka..",
            "com.datastax..",
            "org.apache.kafka..",
            "io.netty..",
            "java.io..",
            "java.net..",
            "java.nio..",
            "java.sql..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void sessionClusterUsesOnlyConfigAndPlaybackSync() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.session..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            otherModules("io.cadenza.session..", "io.cadenza.config..", "io.cadenza.playback.."))
        .check(classes);
  }

  @Test
  void mediaStoreUsesOnlyConfig() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.media..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherModules("io.cadenza.media..", "io.cadenza.config.."))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void catalogUsesOnlyConfig() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.catalog..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherModules("io.cadenza.catalog..", "io.cadenza.config.."))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void analyticsUsesOnlyConfig() {
    noClasses()
        .that()
        .resideInAPackage("io.cadenza.analytics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherModules("io.cadenza.analytics..", "io.cadenza.config.."))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void nothingDependsOnTheEdge() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.cadenza.edge..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.cadenza.edge..")
        .check(classes);
  }

  @Test
  void internalPackagesStayInsideTheirModule() {
    for (String module :
        new String[] {"config", "playback", "session", "media", "catalog", "analytics"}) {
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cadenza." + module + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.cadenza." + module + "..internal..")
          .allowEmptyShould(true)
          .check(classes);
    }
  }
}
