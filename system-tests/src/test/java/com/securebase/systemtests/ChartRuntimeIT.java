package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.securebase.deploy.ChartRender;
import com.securebase.infra.JwtKeyPair;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The chart's runtime contract, on the packaged services (no cluster here): each service's
 * migration, run as the chart's migration Job runs the image ({@code QUARKUS_INIT_AND_EXIT}, the
 * owner's login by environment), migrates its schema and exits 0; the service then starts as the
 * chart's Deployment starts it (the ConfigMap's application.properties through {@code
 * QUARKUS_CONFIG_LOCATIONS}, the application role only, which may not change the schema) and
 * becomes ready. Cluster host names of the rendered file are pointed at the local Postgres and
 * Kafka.
 */
class ChartRuntimeIT {
  private static final List<String> SERVICES =
      List.of(
          "gateway", "billing", "analytics", "forecasting", "support", "notifications", "webhooks");
  private static final Duration MIGRATION_WITHIN = Duration.ofSeconds(90);

  @Test
  void everyServiceMigratesAsTheJobAndStartsAsTheDeploymentConfiguresIt() throws Exception {
    LocalInfra infra = LocalInfra.shared();
    Path run = Files.createTempDirectory("securebase-chart-runtime");
    String database =
        "it_chart_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    Path keys = run.resolve("jwt");
    Files.createDirectories(keys);
    Map<String, String> keyFiles = JwtKeyPair.quarkusConfig(run.resolve("local-keys"));
    Files.copy(
        Path.of(keyFiles.get("smallrye.jwt.sign.key.location").replaceFirst("^file:", "")),
        keys.resolve("private.pem"));
    Files.copy(
        Path.of(keyFiles.get("mp.jwt.verify.publickey.location").replaceFirst("^file:", "")),
        keys.resolve("public.pem"));
    Map<String, String> properties = applicationProperties(ChartRender.render(List.of()));
    try {
      for (String service : SERVICES) {
        ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, service);
        Path jar =
            PackagedServices.ROOT.resolve(
                "services/" + service + "/target/quarkus-app/quarkus-run.jar");

        Map<String, String> job = new HashMap<>();
        job.put("QUARKUS_INIT_AND_EXIT", "true");
        job.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        job.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        job.put("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl());
        job.put("QUARKUS_DATASOURCE_USERNAME", db.appUser());
        job.put("QUARKUS_DATASOURCE_PASSWORD", db.appPassword());
        job.put("QUARKUS_FLYWAY_USERNAME", db.ownerUser());
        job.put("QUARKUS_FLYWAY_PASSWORD", db.ownerPassword());
        job.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers());
        job.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.resolve("public.pem").toString());
        Path jobLog = run.resolve(service + "-migrate.log");
        int exit =
            ServiceProcess.runToExit(jar, job, List.of("-Xmx256m"), jobLog, MIGRATION_WITHIN);
        assertThat(exit).as("%s migration exit code; see %s", service, jobLog).isZero();
        int migrations = appliedMigrations(db);
        assertThat(migrations).as("%s migrations applied by the job", service).isPositive();

        String file =
            properties
                .get(service)
                .replace(
                    "postgresql:5432/securebase?sslmode=require",
                    "127.0.0.1:" + db.port() + "/" + database + "?sslmode=disable")
                .replace("securebase-kafka-kafka-bootstrap:9092", infra.kafka().bootstrapServers())
                .replace("/etc/securebase/jwt/", keys.toAbsolutePath() + "/");
        Path config = run.resolve(service + ".properties");
        Files.writeString(config, file);
        Map<String, String> deployment =
            Map.of(
                "QUARKUS_CONFIG_LOCATIONS", config.toAbsolutePath().toString(),
                "QUARKUS_DATASOURCE_USERNAME", db.appUser(),
                "QUARKUS_DATASOURCE_PASSWORD", db.appPassword());
        Map<String, String> system = new HashMap<>();
        system.put("quarkus.log.level", "WARN");
        system.put("mp.messaging.connector.smallrye-kafka.group.id", "it-" + UUID.randomUUID());
        if (service.equals("gateway")) {
          // A demo owner to sign in as, so a token is signed with the key at the chart's path.
          system.put("securebase.demo.seed", "true");
          system.put("securebase.run-dir", run.toString());
        }
        try (ServiceProcess started =
            ServiceProcess.start(
                service,
                jar,
                system,
                deployment,
                List.of("-Xmx256m"),
                run.resolve(service + ".log"))) {
          // Ready means it read the file: the jar itself names no database or broker.
          if (service.equals("gateway")) {
            String token =
                PackagedServices.signIn(
                    HttpClient.newHttpClient(),
                    started,
                    Files.readString(run.resolve("demo-owner-password")).trim());
            assertThat(PackagedServices.claims(token).path("iss").asText()).isEqualTo("securebase");
          }
        }
      }
    } finally {
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }

  /** Each service's application.properties from the rendered ConfigMaps. */
  private static Map<String, String> applicationProperties(String manifests) throws Exception {
    Map<String, String> byService = new HashMap<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var documents = yaml.readerFor(JsonNode.class).<JsonNode>readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode object = documents.next();
        if (object != null && "ConfigMap".equals(object.path("kind").asText())) {
          byService.put(
              object.path("metadata").path("labels").path("app.kubernetes.io/component").asText(),
              object.path("data").path("application.properties").asText());
        }
      }
    }
    assertThat(byService).containsOnlyKeys(SERVICES);
    return byService;
  }

  private static int appliedMigrations(ServiceDatabase db) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(db.jdbcUrl(), db.ownerUser(), db.ownerPassword());
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM " + db.schema() + ".flyway_schema_history WHERE success")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
